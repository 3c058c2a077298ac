-- touchpoint_outcomes: for each touchpoint, the outcomes of the journeys that pass it.
-- grain:  one row per touchpoint (per segment value when segment_visits gives one)
-- input:  segment_visits, journey_outcomes
-- params: none
-- <outcome>_n journeys through the touchpoint whose outcome is known, <outcome>_k of them bad,
-- <outcome>_customers their customers; csat_mean is the mean CSAT of those journeys.
with

passes as (
    select distinct segment, touchpoint, journey_key from segment_visits
),

joined as (
    select p.segment, p.touchpoint, o.*
    from passes as p
    inner join journey_outcomes as o on p.journey_key = o.journey_key
),

final as (
    select
        segment,
        cast(touchpoint as varchar) as touchpoint,
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
        count(distinct customer_key) filter (where churned) as churned_customers,
        avg(csat) as csat_mean
    from joined
    group by segment, touchpoint
)

select * from final
