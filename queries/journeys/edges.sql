-- edges: the journey graph, one row per transition from one touchpoint to the next.
-- grain:  one row per (source, target) touchpoint pair seen in consecutive steps
-- input:  steps
-- params: none
-- Times are the dwell from the source step to the target step, in seconds.
with

steps_in as (
    select * from steps
),

moves as (
    select touchpoint, next_touchpoint, customer_id, dwell_seconds
    from steps_in
    where next_touchpoint is not null
),

final as (
    select
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target,
        count(*) as transitions,
        count(distinct customer_id) as customers,
        median(dwell_seconds) as median_seconds,
        quantile_cont(dwell_seconds, 0.9) as p90_seconds,
        avg(dwell_seconds) as mean_seconds
    from moves
    group by touchpoint, next_touchpoint
)

select * from final
order by transitions desc, source, target
