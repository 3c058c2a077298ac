-- weekly_loops: for each transition, week by week (the week the journey started), the journeys
-- that make it and those that make it twice or more.
-- grain:  one row per week and transition
-- input:  visit_moves
-- params: none
with

moves as (
    select journey_key, first_ts, touchpoint, next_touchpoint, times from visit_moves
),

final as (
    select
        date_trunc('week', first_ts) as week,
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target,
        count(*) as loop_n,
        count_if(times >= 2) as loop_k
    from moves
    group by all
)

select * from final
order by source, target, week
