-- touchpoints: what happens at each touchpoint.
-- grain:  one row per touchpoint
-- input:  steps, journeys
-- params: none
-- Dwell is the time from the touchpoint to the next step of the same journey.
with

stats as (
    select
        touchpoint,
        mode(channel) as channel,
        count(*) as events,
        count(*) filter (where step = 1) as starts,
        count(*) filter (where next_touchpoint is null) as ends,
        quantile_cont(dwell_seconds, [0.5, 0.9]) as quantiles,
        avg(dwell_seconds) as mean_dwell_seconds
    from steps
    group by touchpoint
),

visits as (
    -- each journey lists each touchpoint it visits once
    select touchpoint, count(*) as journeys, count(distinct customer_key) as customers
    from (select customer_key, unnest(list_distinct(path)) as touchpoint from journeys)
    group by touchpoint
),

final as (
    select
        cast(s.touchpoint as varchar) as touchpoint,
        cast(s.channel as varchar) as channel,
        s.events,
        v.journeys,
        v.customers,
        s.starts,
        s.ends,
        s.quantiles[1] as median_dwell_seconds,
        s.quantiles[2] as p90_dwell_seconds,
        s.mean_dwell_seconds
    from stats as s
    inner join visits as v on s.touchpoint = v.touchpoint
)

select * from final
order by events desc, touchpoint
