-- parsed_times: how many of some values workbench_time (see time_macro) reads.
-- grain:  one row
-- input:  none
-- params: $values the values, as text
select count(workbench_time(v)) from (select unnest($values) as v)
