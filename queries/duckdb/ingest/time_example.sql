-- time_example: one value of a time column and how workbench_time (see time_macro) reads it.
-- grain:  one row (none when no value reads)
-- input:  {{relation}}
-- params: {{relation}} the source; {{column}} the time column
select cast({{column}} as varchar), cast(workbench_time({{column}}) as varchar)
from {{relation}}
where workbench_time({{column}}) is not null
limit 1
