-- step_table: every step as people read it: journey, customer, step number, touchpoint,
-- channel, time and the dwell until the next step.
-- grain:  one row per loaded event
-- input:  steps, customer_keys, journey_keys
-- params: $by_gap  true when journeys were cut by a session gap
with

steps_in as (
    select * from steps
),

final as (
    select
        case
            when $by_gap then c.customer_id || ' #' || cast(s.journey_key % 4294967296 as varchar)
            else k.journey_id
        end as journey,
        c.customer_id,
        s.step,
        cast(s.touchpoint as varchar) as touchpoint,
        cast(s.channel as varchar) as channel,
        s.ts,
        s.dwell_seconds,
        cast(s.next_touchpoint as varchar) as next_touchpoint,
        s.channel_switch,
        s.row_no,
        s.journey_key
    from steps_in as s
    inner join customer_keys as c on s.customer_key = c.customer_key
    left join journey_keys as k on s.journey_key = k.journey_key
)

select * from final
order by journey, step
