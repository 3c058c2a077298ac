-- keyed_by_gap: events cut into journeys per customer wherever a gap of inactivity is longer
-- than the session gap (used when the log has no journey column, or when asked to).
-- grain:  one row per loaded event
-- input:  events
-- params: $gap_seconds  a gap longer than this many seconds starts a new journey
with

events_in as (
    select * from events
),

gaps as (
    select
        *,
        epoch(ts - lag(ts) over (partition by customer_id order by ts, row_no)) as gap_seconds
    from events_in
),

numbered as (
    select
        *,
        sum(case when gap_seconds is null or gap_seconds > $gap_seconds then 1 else 0 end)
            over (partition by customer_id order by ts, row_no
                  rows between unbounded preceding and current row) as session_no
    from gaps
),

final as (
    select
        * exclude (gap_seconds, session_no),
        customer_id || ' #' || session_no as journey_key
    from numbered
)

select * from final
