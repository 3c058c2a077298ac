-- checks: data-quality checks on loaded events, one row per check, with how many rows it
-- concerns and one example. workbench.validate turns them into problems for people.
-- grain:  one row per check
-- input:  events
-- params: $latest_plausible  timestamps after this are "in the future"
--         $heavy_factor      a customer with more than this many times the median events
--                            per customer (and at least 1,000) is "heavy"
with

events_in as (
    select row_no, customer_id, journey_id, touchpoint, ts from events
),

duplicates as (
    select
        'duplicate_events' as check_name,
        count(*) filter (where copy_no > 1) as affected,
        min(case when copy_no > 1 then row_no end)::varchar as example
    from (
        select
            row_no,
            row_number() over (
                partition by customer_id, journey_id, touchpoint, ts order by row_no
            ) as copy_no
        from events_in
    )
),

shared_journeys as (
    select
        'shared_journey_ids' as check_name,
        count(*) as affected,
        min(journey_id) as example
    from (
        select journey_id
        from events_in
        where journey_id is not null
        group by journey_id
        having count(distinct customer_id) > 1
    )
),

implausible_times as (
    select
        'implausible_times' as check_name,
        count(*) filter (where ts < timestamp '1990-01-01' or ts > $latest_plausible)
            as affected,
        min(case when ts < timestamp '1990-01-01' or ts > $latest_plausible
            then ts end)::varchar as example
    from events_in
),

per_customer as (
    select customer_id, count(*) as n from events_in group by customer_id
),

heavy_customers as (
    select
        'heavy_customers' as check_name,
        count(*) filter (
            -- many times the typical customer, or more than any person makes (a bot, a test
            -- account, a placeholder id such as 'unknown'), even when nearly all events are theirs
            where n > greatest(1000, $heavy_factor * (select median(n) from per_customer))
                or n > 10000
        ) as affected,
        arg_max(customer_id, n) as example
    from per_customer
),

per_touchpoint as (
    select touchpoint, count(*) as n from events_in group by touchpoint
),

rare_touchpoints as (
    select
        'rare_touchpoints' as check_name,
        count(*) filter (where n <= 2) as affected,
        min(case when n <= 2 then touchpoint::varchar end) as example
    from per_touchpoint
),

out_of_order as (
    select
        'out_of_order' as check_name,
        count(*) filter (where ts < prev_ts) as affected,
        min(case when ts < prev_ts then row_no end)::varchar as example
    from (
        select row_no, ts, lag(ts) over (partition by customer_id order by row_no) as prev_ts
        from events_in
    )
),

unioned as (
    select * from duplicates
    union all select * from shared_journeys
    union all select * from implausible_times
    union all select * from heavy_customers
    union all select * from rare_touchpoints
    union all select * from out_of_order
),

final as (
    select check_name, cast(affected as bigint) as affected, example from unioned
)

select * from final
