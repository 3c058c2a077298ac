-- xes_create: the table xes_events, made from the first chunk of events read from an XES file.
-- grain:  one row per event, in file order
-- input:  xes_chunk (an Arrow table of events: every value as text, with the event's number
--         and the line its <event> element starts on)
-- params: none
create or replace table xes_events as select * from xes_chunk
