-- outcome_totals: the outcomes over all journeys (per segment value), the base that each
-- touchpoint's and transition's journeys are compared with.
-- grain:  one row per segment value
-- input:  segment_journeys (journey_key, segment), journey_outcomes
-- params: none
with

joined as (
    select s.segment, o.*
    from segment_journeys as s
    inner join journey_outcomes as o on s.journey_key = o.journey_key
),

final as (
    select
        segment,
        count(*) as journeys,
        count(reached_goal) as no_goal_n,
        count_if(not reached_goal) as no_goal_k,
        count(low_csat) as low_csat_n,
        count_if(low_csat) as low_csat_k,
        count(detractor) as detractor_n,
        count_if(detractor) as detractor_k,
        count(churned) as churned_n,
        count_if(churned) as churned_k,
        avg(csat) as csat_mean
    from joined
    group by segment
)

select * from final
