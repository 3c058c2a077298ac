-- parsed_column_times: how many values of a column workbench_time (see time_macro) reads.
-- grain:  one row
-- input:  {{relation}}
-- params: {{relation}} the source; {{column}} the time column
select count(workbench_time({{column}})) from {{relation}}
