-- xes_append: a further chunk of events read from an XES file, added to xes_events by column
--             name (a key the chunk lacks is NULL).
-- grain:  one row per event, in file order
-- input:  xes_chunk, xes_events
-- params: none
insert into xes_events by name select * from xes_chunk
