-- activity_durations: how long each activity took, from its start event to its complete event.
-- Starts and completes pair within the same case (the journey id, else the customer id) and the
-- same activity, first in first out: each complete takes the earliest start before it that no
-- earlier complete took. A complete with no open start before it (its balance of open starts
-- falls to a new low below zero) has no duration.
-- grain:  one row per complete event with a start
-- input:  lifecycle_rows (the mapped rows of a log with a lifecycle column)
-- params: {{lifecycle}} the lifecycle column
with

transitions as (
    select
        row_no,
        coalesce(journey_id, customer_id) as case_id,
        touchpoint,
        ts,
        lower(trim(cast({{lifecycle}} as varchar))) as transition
    from lifecycle_rows
    where
        ts is not null
        and touchpoint is not null
        and coalesce(journey_id, customer_id) is not null
        and lower(trim(cast({{lifecycle}} as varchar))) in ('start', 'complete')
),

balances as (
    select
        *,
        sum(case transition when 'start' then 1 else -1 end) over steps as balance
    from transitions
    window steps as (
        partition by case_id, touchpoint
        order by ts, transition = 'complete', row_no
        rows between unbounded preceding and current row
    )
),

lows as (
    select
        *,
        least(0, min(balance) over steps) as low
    from balances
    window steps as (
        partition by case_id, touchpoint
        order by ts, transition = 'complete', row_no
        rows between unbounded preceding and current row
    )
),

orphans as (
    select
        *,
        low < lag(low, 1, 0) over (
            partition by case_id, touchpoint
            order by ts, transition = 'complete', row_no
        ) as orphan
    from lows
),

starts as (
    select
        case_id,
        touchpoint,
        ts,
        row_number() over (partition by case_id, touchpoint order by ts, row_no) as n
    from orphans
    where transition = 'start'
),

completes as (
    select
        row_no,
        case_id,
        touchpoint,
        ts,
        row_number() over (partition by case_id, touchpoint order by ts, row_no) as n
    from orphans
    where transition = 'complete' and not orphan
),

final as (
    select
        c.row_no,
        epoch(c.ts) - epoch(s.ts) as activity_seconds
    from completes as c
    inner join starts as s
        on c.case_id = s.case_id and c.touchpoint = s.touchpoint and c.n = s.n
)

select * from final
