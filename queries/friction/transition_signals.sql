-- transition_signals: for each transition, how often journeys go round it again (a loop),
-- and the outcomes of the journeys that make it.
-- grain:  one row per (source, target) transition (per segment value)
-- input:  segment_visits, journey_outcomes
-- params: none
-- loop_n journeys that make the move, loop_k journeys that make it twice or more.
with

moves as (
    select segment, journey_key, customer_key, touchpoint, next_touchpoint, count(*) as times
    from segment_visits
    where next_touchpoint is not null
    group by segment, journey_key, customer_key, touchpoint, next_touchpoint
),

joined as (
    select m.*, o.reached_goal, o.low_csat, o.detractor, o.churned
    from moves as m
    inner join journey_outcomes as o on m.journey_key = o.journey_key
),

final as (
    select
        segment,
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target,
        count(*) as loop_n,
        count_if(times >= 2) as loop_k,
        count(distinct customer_key) filter (where times >= 2) as loop_customers,
        count(distinct customer_key) as customers,
        count(reached_goal) as no_goal_n,
        count_if(not reached_goal) as no_goal_k,
        count(distinct customer_key) filter (where not reached_goal) as no_goal_customers,
        count(low_csat) as low_csat_n,
        count_if(low_csat) as low_csat_k,
        count(distinct customer_key) filter (where low_csat) as low_csat_customers,
        count(detractor) as detractor_n,
        count_if(detractor) as detractor_k,
        count(distinct customer_key) filter (where detractor) as detractor_customers,
        count(churned) as churned_n,
        count_if(churned) as churned_k,
        count(distinct customer_key) filter (where churned) as churned_customers
    from joined
    group by segment, touchpoint, next_touchpoint
)

select * from final
