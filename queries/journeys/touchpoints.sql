-- touchpoints: what happens at each touchpoint.
-- grain:  one row per touchpoint
-- input:  steps, journeys
-- params: $dense  count distinct journeys and customers as bit sets over their keys (fast;
--                 the caller says so only when the keys are few enough for the memory)
-- Dwell is the time from the touchpoint to the next step of the same journey.
-- Journeys and customers per touchpoint are the same numbers either way: with $dense, one bit
-- per key (bitstring_agg) in one pass over the steps; without, a hashed distinct count.
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
    select
        touchpoint,
        bit_count(bitstring_agg(journey_key)) as journeys,
        bit_count(bitstring_agg(customer_key)) as customers
    from steps
    where $dense
    group by touchpoint
    union all
    -- each journey lists each touchpoint it visits once
    select touchpoint, count(*) as journeys, count(distinct customer_key) as customers
    from (
        select customer_key, unnest(list_distinct(path)) as touchpoint from journeys
        where not $dense
    )
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
