-- visit_moves: each journey's moves from one touchpoint to the next, with how often it makes
-- each and when it first did -- grouped once, read by the transition, loop and weekly-loop counts.
-- grain:  one row per (journey, touchpoint, next touchpoint) the journey moves along
-- input:  visits
-- params: none
with

moves as (
    select
        journey_key,
        touchpoint,
        next_touchpoint,
        min(ts) as first_ts,
        count(*) as times
    from visits
    where next_touchpoint is not null
    group by journey_key, touchpoint, next_touchpoint
),

final as (
    select * from moves
)

select * from final
