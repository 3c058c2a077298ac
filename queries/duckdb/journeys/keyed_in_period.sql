-- keyed_in_period: the keyed events of the journeys that start in a period (every event of
-- such a journey, also those after the period ends; none of a journey that started before).
-- grain:  one row per loaded event of a journey that starts in the period
-- input:  all_keyed_events (events with a journey_key; see keyed_by_column / keyed_by_gap)
-- params: $period_from  a journey's first event is at or after this moment
--         $period_to    and before this one (both as seconds since 1970-01-01 00:00 in the
--                       log's own clock: this is a view, which takes numbers only)
with

keyed as (
    select * from all_keyed_events
),

starting as (
    select journey_key
    from keyed
    group by journey_key
    having epoch(min(ts)) >= $period_from and epoch(min(ts)) < $period_to
),

final as (
    select k.*
    from keyed as k
    semi join starting as s on k.journey_key = s.journey_key
)

select * from final
