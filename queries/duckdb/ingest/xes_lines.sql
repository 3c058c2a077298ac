-- xes_lines: the line of the <event> element of each event asked for.
-- grain:  one row per event asked for
-- input:  xes_events
-- params: $rows the event numbers (rows) whose lines are wanted
select "__xes_event" as row_no, "__xes_line" as line
from xes_events
where "__xes_event" in (select unnest($rows))
