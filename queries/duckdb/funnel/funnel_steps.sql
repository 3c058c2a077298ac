-- funnel_steps: how many journeys reach each step of a funnel in order, and how long each
--   step takes from the one before.
-- grain:  one row per group and funnel step that at least one journey reaches: grp, step,
--         journeys, median_seconds, p90_seconds
-- input:  steps, journeys, segment_values (each journey's segment; 'all' when not split)
-- params: $steps          the funnel's touchpoints in order (a list of texts)
--         $period         'week' or 'month': group journeys by when they started; null: by
--                         their segment in segment_values
--         $start_date     only journeys that start on or after this date (null: no limit)
--         $end_date       only journeys that start on or before this date (null: no limit)
--         $within_seconds every step within this many seconds of the first (null: no limit)
-- A journey reaches step k when it visits steps 1..k in this order (each at a later step of
-- the journey than the one before; other touchpoints may come between). Each visit of the
-- first step may start the funnel, and each later step is the first visit of its touchpoint
-- after the step before: the earliest match, which reaches furthest from that start. The
-- journey counts with the start that reaches furthest (the earliest of those), and its times
-- are that start's.
with recursive

journeys_in as (
    select
        j.journey_key,
        case $period
            when 'week' then strftime(j.start_ts, '%G-W%V')
            when 'month' then strftime(j.start_ts, '%Y-%m')
            else coalesce(cast(s.segment as varchar), '(none)')
        end as grp
    from journeys as j
    left join segment_values as s on j.journey_key = s.journey_key
    where
        ($start_date is null or cast(j.start_ts as date) >= $start_date)
        and ($end_date is null or cast(j.start_ts as date) <= $end_date)
),

funnel_visits as (
    select s.journey_key, s.step, cast(s.touchpoint as varchar) as touchpoint, s.ts
    from steps as s
    semi join journeys_in as j on s.journey_key = j.journey_key
    where list_contains($steps, cast(s.touchpoint as varchar))
),

paths as (
    select
        journey_key,
        list({'step': step, 'touchpoint': touchpoint, 'ts': ts} order by step) as path
    from funnel_visits
    group by journey_key
),

starts as (
    select v.journey_key, v.step as first_step, v.ts as first_ts
    from funnel_visits as v
    where v.touchpoint = $steps[1]
),

chain as (
    select
        s.journey_key,
        s.first_step,
        s.first_ts,
        p.path,
        1 as k,
        s.first_step as at_step,
        s.first_ts as at_ts
    from starts as s
    inner join paths as p on s.journey_key = p.journey_key

    union all

    select journey_key, first_step, first_ts, path, k, found.step, found.ts
    from (
        select
            journey_key,
            first_step,
            first_ts,
            path,
            k + 1 as k,
            list_filter(
                path,
                lambda v: v.touchpoint = $steps[k + 1]
                and v.step > at_step
                and ($within_seconds is null or epoch(v.ts - first_ts) <= $within_seconds)
            )[1] as found
        from chain
        where k < len($steps)
    )
    where found is not null
),

reached as (
    select journey_key, first_step, max(k) as furthest
    from chain
    group by journey_key, first_step
),

best as (
    select journey_key, first_step
    from reached
    qualify row_number() over (partition by journey_key order by furthest desc, first_step) = 1
),

best_chain as (
    select
        c.journey_key,
        c.k,
        epoch(c.at_ts - lag(c.at_ts) over (partition by c.journey_key order by c.k)) as seconds
    from chain as c
    semi join best as b on c.journey_key = b.journey_key and c.first_step = b.first_step
),

final as (
    select
        j.grp,
        c.k as step,
        count(*) as journeys,
        median(c.seconds) as median_seconds,
        quantile_cont(c.seconds, 0.9) as p90_seconds
    from best_chain as c
    inner join journeys_in as j on c.journey_key = j.journey_key
    group by j.grp, c.k
)

select * from final
order by grp, step
