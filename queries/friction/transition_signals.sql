-- transition_signals: for each transition, how often journeys go round it again (a loop),
-- and the outcomes of the journeys that make it.
-- grain:  one row per (source, target) transition (per segment value)
-- input:  segment_visits, journey_outcomes
-- params: none
-- loop_n journeys that make the move, loop_k journeys that make it twice or more. Counted per
-- customer first, so the distinct customers come from one grouping.
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

per_customer as (
    select
        segment,
        touchpoint,
        next_touchpoint,
        customer_key,
        count(*) as loop_n,
        coalesce(count_if(times >= 2), 0) as loop_k,
        count(reached_goal) as no_goal_n,
        coalesce(count_if(not reached_goal), 0) as no_goal_k,
        count(low_csat) as low_csat_n,
        coalesce(count_if(low_csat), 0) as low_csat_k,
        count(detractor) as detractor_n,
        coalesce(count_if(detractor), 0) as detractor_k,
        count(churned) as churned_n,
        coalesce(count_if(churned), 0) as churned_k
    from joined
    group by segment, touchpoint, next_touchpoint, customer_key
),

final as (
    select
        segment,
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target,
        cast(sum(loop_n) as bigint) as loop_n,
        cast(sum(loop_k) as bigint) as loop_k,
        count_if(loop_k > 0) as loop_customers,
        count(*) as customers,
        cast(sum(no_goal_n) as bigint) as no_goal_n,
        cast(sum(no_goal_k) as bigint) as no_goal_k,
        count_if(no_goal_k > 0) as no_goal_customers,
        cast(sum(low_csat_n) as bigint) as low_csat_n,
        cast(sum(low_csat_k) as bigint) as low_csat_k,
        count_if(low_csat_k > 0) as low_csat_customers,
        cast(sum(detractor_n) as bigint) as detractor_n,
        cast(sum(detractor_k) as bigint) as detractor_k,
        count_if(detractor_k > 0) as detractor_customers,
        cast(sum(churned_n) as bigint) as churned_n,
        cast(sum(churned_k) as bigint) as churned_k,
        count_if(churned_k > 0) as churned_customers
    from per_customer
    group by segment, touchpoint, next_touchpoint
)

select * from final
