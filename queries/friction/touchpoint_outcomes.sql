-- touchpoint_outcomes: for each touchpoint, the outcomes of the journeys that pass it.
-- grain:  one row per touchpoint (per segment value when segment_visits gives one)
-- input:  segment_visits, journey_outcomes
-- params: none
-- <outcome>_n journeys through the touchpoint whose outcome is known, <outcome>_k of them bad,
-- <outcome>_customers their customers; csat_mean is the mean CSAT of those journeys. Counted
-- per customer first, so the distinct customers come from one grouping.
with

passes as (
    select distinct segment, touchpoint, journey_key from segment_visits
),

joined as (
    select p.segment, p.touchpoint, o.*
    from passes as p
    inner join journey_outcomes as o on p.journey_key = o.journey_key
),

per_customer as (
    select
        segment,
        touchpoint,
        customer_key,
        count(reached_goal) as no_goal_n,
        coalesce(count_if(not reached_goal), 0) as no_goal_k,
        count(low_csat) as low_csat_n,
        coalesce(count_if(low_csat), 0) as low_csat_k,
        count(detractor) as detractor_n,
        coalesce(count_if(detractor), 0) as detractor_k,
        count(churned) as churned_n,
        coalesce(count_if(churned), 0) as churned_k,
        sum(csat) as csat_sum,
        count(csat) as csat_count
    from joined
    group by segment, touchpoint, customer_key
),

final as (
    select
        segment,
        cast(touchpoint as varchar) as touchpoint,
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
        count_if(churned_k > 0) as churned_customers,
        sum(csat_sum) / nullif(sum(csat_count), 0) as csat_mean
    from per_customer
    group by segment, touchpoint
)

select * from final
