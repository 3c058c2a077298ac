-- keyed_by_column: events keyed to journeys by the journey (case, ticket, session) column.
-- grain:  one row per loaded event
-- input:  events
-- params: none
with

events_in as (
    select * from events
),

final as (
    select
        *,
        journey_id as journey_key
    from events_in
)

select * from final
