-- keyed_by_column: events keyed to journeys by the journey (case, ticket, session) column.
-- grain:  one row per loaded event
-- input:  events
-- params: none
with

events_in as (
    select row_no, customer_key, journey_key, touchpoint, channel, ts from events
),

final as (
    select * from events_in
)

select * from final
