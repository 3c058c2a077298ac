-- transition_signals: for each transition, how often journeys go round it again (a loop),
-- and the outcomes of the journeys that make it.
-- grain:  one row per (source, target) transition (per segment value)
-- input:  segment_moves (visit_moves with each journey's segment), journey_outcomes
-- params: none
-- loop_n journeys that make the move, loop_k journeys that make it twice or more; the same
-- n and k for each outcome, and <signal>_customers the distinct customers among the k. The
-- counts come from one small grouping per transition; the distinct customers from a grouping
-- per customer of the moves that looped or had a bad outcome only.
with

moves as (
    select segment, journey_key, touchpoint, next_touchpoint, times
    from segment_moves
),

joined as (
    select
        m.segment,
        o.customer_key,
        m.touchpoint,
        m.next_touchpoint,
        m.times >= 2 as looped,
        o.reached_goal,
        o.low_csat,
        o.detractor,
        o.churned
    from moves as m
    inner join journey_outcomes as o on m.journey_key = o.journey_key
),

counts as (
    select
        segment,
        touchpoint,
        next_touchpoint,
        count(*) as loop_n,
        count_if(looped) as loop_k,
        count(reached_goal) as no_goal_n,
        coalesce(count_if(not reached_goal), 0) as no_goal_k,
        count(low_csat) as low_csat_n,
        coalesce(count_if(low_csat), 0) as low_csat_k,
        count(detractor) as detractor_n,
        coalesce(count_if(detractor), 0) as detractor_k,
        count(churned) as churned_n,
        coalesce(count_if(churned), 0) as churned_k
    from joined
    group by segment, touchpoint, next_touchpoint
),

flagged_per_customer as (
    select
        segment,
        touchpoint,
        next_touchpoint,
        customer_key,
        bool_or(looped) as looped,
        bool_or(not reached_goal) as no_goal,
        bool_or(low_csat) as low_csat,
        bool_or(detractor) as detractor,
        bool_or(churned) as churned
    from joined
    where looped or not reached_goal or low_csat or detractor or churned
    group by segment, touchpoint, next_touchpoint, customer_key
),

customers as (
    select
        segment,
        touchpoint,
        next_touchpoint,
        count_if(looped) as loop_customers,
        count_if(no_goal) as no_goal_customers,
        count_if(low_csat) as low_csat_customers,
        count_if(detractor) as detractor_customers,
        count_if(churned) as churned_customers
    from flagged_per_customer
    group by segment, touchpoint, next_touchpoint
),

final as (
    select
        c.segment,
        cast(c.touchpoint as varchar) as source,
        cast(c.next_touchpoint as varchar) as target,
        c.loop_n,
        cast(c.loop_k as bigint) as loop_k,
        coalesce(b.loop_customers, 0) as loop_customers,
        c.no_goal_n,
        cast(c.no_goal_k as bigint) as no_goal_k,
        coalesce(b.no_goal_customers, 0) as no_goal_customers,
        c.low_csat_n,
        cast(c.low_csat_k as bigint) as low_csat_k,
        coalesce(b.low_csat_customers, 0) as low_csat_customers,
        c.detractor_n,
        cast(c.detractor_k as bigint) as detractor_k,
        coalesce(b.detractor_customers, 0) as detractor_customers,
        c.churned_n,
        cast(c.churned_k as bigint) as churned_k,
        coalesce(b.churned_customers, 0) as churned_customers
    from counts as c
    left join customers as b
        on
            c.segment = b.segment
            and c.touchpoint = b.touchpoint
            and c.next_touchpoint = b.next_touchpoint
)

select * from final
