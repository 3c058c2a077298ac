-- edges: the journey graph, one row per transition from one touchpoint to the next.
-- grain:  one row per (source, target) touchpoint pair seen in consecutive steps
-- input:  steps
-- params: $dense  count distinct customers per move as bit sets over the customer keys (fast;
--                 the caller says so only when the keys are few enough for the memory)
-- Times are the dwell from the source step to the target step, in seconds; customers counts
-- distinct customers who made the move at least once.
with

moves as (
    select touchpoint, next_touchpoint, customer_key, dwell_seconds
    from steps
    where next_touchpoint is not null
),

stats as (
    select
        touchpoint,
        next_touchpoint,
        count(*) as transitions,
        quantile_cont(dwell_seconds, [0.5, 0.9]) as quantiles,
        avg(dwell_seconds) as mean_seconds
    from moves
    group by touchpoint, next_touchpoint
),

reach as (
    select touchpoint, next_touchpoint, bit_count(bitstring_agg(customer_key)) as customers
    from moves
    where $dense
    group by touchpoint, next_touchpoint
    union all
    select touchpoint, next_touchpoint, count(*) as customers
    from (select distinct touchpoint, next_touchpoint, customer_key from moves where not $dense)
    group by touchpoint, next_touchpoint
),

final as (
    select
        cast(s.touchpoint as varchar) as source,
        cast(s.next_touchpoint as varchar) as target,
        s.transitions,
        r.customers,
        s.quantiles[1] as median_seconds,
        s.quantiles[2] as p90_seconds,
        s.mean_seconds
    from stats as s
    inner join reach as r
        on s.touchpoint = r.touchpoint and s.next_touchpoint = r.next_touchpoint
)

select * from final
order by transitions desc, source, target
