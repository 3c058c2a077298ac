-- reject_lines: the lines DuckDB's reader could not split into fields, one row each.
-- grain:  one row per rejected line
-- input:  reject_errors
-- params: none
select
    line,
    any_value(error_type) as error_type,
    any_value(csv_line) as csv_line,
    any_value(error_message) as error_message
from reject_errors
group by line
order by line
