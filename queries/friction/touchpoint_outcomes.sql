-- touchpoint_outcomes: for each touchpoint, the outcomes of the journeys that pass it.
-- grain:  one row per touchpoint (per segment value when segment_visits gives one)
-- input:  segment_visits, journey_outcomes
-- params: none
-- journeys: the journeys through the touchpoint. <outcome>_n of them whose outcome is known,
-- <outcome>_k of them bad, <outcome>_customers the distinct customers among those bad ones;
-- csat_mean is the mean CSAT of the journeys. The counts come from one small grouping per
-- touchpoint; the distinct customers from a grouping per customer of the passes with a bad
-- outcome only -- a fraction of all passes, which is what keeps this fast at scale.
with

passes as (
    select distinct segment, touchpoint, journey_key from segment_visits
),

joined as (
    select
        p.segment,
        p.touchpoint,
        o.customer_key,
        o.reached_goal,
        o.low_csat,
        o.detractor,
        o.churned,
        o.csat
    from passes as p
    inner join journey_outcomes as o on p.journey_key = o.journey_key
),

counts as (
    select
        segment,
        touchpoint,
        count(*) as journeys,
        count(reached_goal) as no_goal_n,
        coalesce(count_if(not reached_goal), 0) as no_goal_k,
        count(low_csat) as low_csat_n,
        coalesce(count_if(low_csat), 0) as low_csat_k,
        count(detractor) as detractor_n,
        coalesce(count_if(detractor), 0) as detractor_k,
        count(churned) as churned_n,
        coalesce(count_if(churned), 0) as churned_k,
        avg(csat) as csat_mean
    from joined
    group by segment, touchpoint
),

bad_per_customer as (
    select
        segment,
        touchpoint,
        customer_key,
        bool_or(not reached_goal) as no_goal,
        bool_or(low_csat) as low_csat,
        bool_or(detractor) as detractor,
        bool_or(churned) as churned
    from joined
    where not reached_goal or low_csat or detractor or churned
    group by segment, touchpoint, customer_key
),

customers as (
    select
        segment,
        touchpoint,
        count_if(no_goal) as no_goal_customers,
        count_if(low_csat) as low_csat_customers,
        count_if(detractor) as detractor_customers,
        count_if(churned) as churned_customers
    from bad_per_customer
    group by segment, touchpoint
),

final as (
    select
        c.segment,
        cast(c.touchpoint as varchar) as touchpoint,
        c.journeys,
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
        coalesce(b.churned_customers, 0) as churned_customers,
        c.csat_mean
    from counts as c
    left join customers as b on c.segment = b.segment and c.touchpoint = b.touchpoint
)

select * from final
