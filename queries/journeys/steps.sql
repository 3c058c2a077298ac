-- steps: every event as a step of its journey, with the step that follows and the time to it.
-- grain:  one row per loaded event
-- input:  keyed_events (events with a journey_key; see keyed_by_column / keyed_by_gap)
-- params: none
-- dwell_seconds is the time from this step to the next one (null on a journey's last step);
-- steps at the same instant keep the order of the source rows.
with

keyed as (
    select journey_key, customer_key, touchpoint, channel, ts, row_no from keyed_events
),

windowed as (
    select
        journey_key,
        customer_key,
        touchpoint,
        channel,
        ts,
        row_no,
        row_number() over w as step,
        lead(touchpoint) over w as next_touchpoint,
        lead(ts) over w as next_ts,
        lead(channel) over w as next_channel
    from keyed
    window w as (partition by journey_key order by ts, row_no)
),

final as (
    select
        journey_key,
        customer_key,
        step,
        touchpoint,
        channel,
        ts,
        row_no,
        next_touchpoint,
        next_channel,
        epoch(next_ts - ts) as dwell_seconds
    from windowed
)

select * from final
