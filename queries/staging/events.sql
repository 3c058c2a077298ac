-- events: the loaded event log, one row per accepted input row, in canonical columns
-- (row_no, customer_id, journey_id, touchpoint, channel, ts), then the attributes, then the
-- integer keys the journey queries group by.
-- grain:  one row per loaded event
-- input:  classified_events, customer_keys, journey_keys; the types touchpoint_enum and
--         channel_enum
-- params: none
with

accepted as (
    select * exclude (reject_reason, reject_column, time_raw)
    from classified_events
    where reject_reason is null
),

final as (
    select
        a.* replace (
            cast(a.touchpoint as touchpoint_enum) as touchpoint,
            cast(a.channel as channel_enum) as channel
        ),
        c.customer_key,
        j.journey_key
    from accepted as a
    inner join customer_keys as c on a.customer_id = c.customer_id
    left join journey_keys as j on a.journey_id = j.journey_id
)

select * from final
