-- touchpoints: what happens at each touchpoint.
-- grain:  one row per touchpoint
-- input:  steps
-- params: none
-- Dwell is the time from the touchpoint to the next step of the same journey.
with

steps_in as (
    select touchpoint, channel, journey_key, customer_id, step, next_touchpoint, dwell_seconds
    from steps
),

final as (
    select
        cast(touchpoint as varchar) as touchpoint,
        mode(channel) as channel,
        count(*) as events,
        count(distinct journey_key) as journeys,
        count(distinct customer_id) as customers,
        count(*) filter (where step = 1) as starts,
        count(*) filter (where next_touchpoint is null) as ends,
        median(dwell_seconds) as median_dwell_seconds,
        quantile_cont(dwell_seconds, 0.9) as p90_dwell_seconds,
        avg(dwell_seconds) as mean_dwell_seconds
    from steps_in
    group by touchpoint
)

select * from final
order by events desc, touchpoint
