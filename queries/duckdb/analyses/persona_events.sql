-- persona_events: the events of a persona's customers, as a loader reads them again.
-- grain:  one row per event, in source order
-- input:  events, persona_members
-- params: $time_and_attributes 'ts' and the log's attribute columns, in order
select
    customer_id,
    journey_id,
    cast(touchpoint as varchar) as touchpoint,
    cast(channel as varchar) as channel,
    columns($time_and_attributes)
from events
where customer_key in (select customer_key from persona_members)
order by row_no
