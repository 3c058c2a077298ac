-- step_table: every step as people read it: journey, customer, step number, touchpoint,
-- channel, time and the dwell until the next step.
-- grain:  one row per loaded event
-- input:  steps, journey_labels
-- params: none
with

steps_in as (
    select * from steps
),

final as (
    select
        l.journey,
        l.customer_id,
        s.step,
        cast(s.touchpoint as varchar) as touchpoint,
        cast(s.channel as varchar) as channel,
        s.ts,
        s.dwell_seconds,
        cast(s.next_touchpoint as varchar) as next_touchpoint,
        coalesce(
            s.channel <> lag(s.channel) over (partition by s.journey_key order by s.step), false
        ) as channel_switch,
        s.row_no,
        s.journey_key
    from steps_in as s
    inner join journey_labels as l on s.journey_key = l.journey_key
)

select * from final
order by journey, step
