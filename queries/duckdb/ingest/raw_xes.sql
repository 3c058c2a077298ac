-- raw_xes: the view raw_input over the events read from an XES file.
-- grain:  one row per event, in file order
-- input:  xes_events
-- params: none
create or replace view raw_input as select * from xes_events
