-- xes_add_column: a column for an attribute key first met in a later chunk of an XES file
--                 (earlier events have no value for it).
-- grain:  the table's
-- input:  xes_events
-- params: {{column}} the attribute key
alter table xes_events add column {{column}} varchar
