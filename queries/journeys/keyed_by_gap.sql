-- keyed_by_gap: events cut into journeys per customer wherever a gap of inactivity is longer
-- than the session gap (used when the log has no journey column, or when asked to).
-- grain:  one row per loaded event
-- input:  events
-- params: $gap_seconds  a gap longer than this many seconds starts a new journey
-- journey_key = customer_key * 2^32 + the customer's session number (1, 2, ...).
with

events_in as (
    select row_no, customer_key, touchpoint, channel, ts from events
),

gaps as (
    select
        *,
        epoch(ts - lag(ts) over (partition by customer_key order by ts, row_no)) as gap_seconds
    from events_in
),

numbered as (
    select
        *,
        sum(case when gap_seconds is null or gap_seconds > $gap_seconds then 1 else 0 end)
            over (partition by customer_key order by ts, row_no
                  rows between unbounded preceding and current row) as session_no
    from gaps
),

final as (
    select
        row_no,
        customer_key,
        cast(customer_key as bigint) * 4294967296 + session_no as journey_key,
        touchpoint,
        channel,
        ts
    from numbered
)

select * from final
