-- events_in_order: the loaded events in the order of the source's rows.
-- grain:  one row per event
-- input:  events
-- params: $n how many rows at most (null: all of them)
select * from events order by row_no limit $n
