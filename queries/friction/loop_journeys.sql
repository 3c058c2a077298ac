-- loop_journeys: the journeys that go round each transition more than once (to merge the
-- transitions of one loop into one friction point).
-- grain:  one row per (transition, journey) repeated in that journey
-- input:  visit_moves
-- params: none
with

moves as (
    select journey_key, touchpoint, next_touchpoint, times from visit_moves
),

final as (
    select
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target,
        journey_key
    from moves
    where times >= 2
)

select * from final
