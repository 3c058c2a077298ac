-- signal_events: each event's contact signals, from the attributes recognised as them.
-- grain:  one row per event: row_no, customer_key, ts, touchpoint, channel, wait_seconds,
--         transferred,
--         resolved, abandoned, handled (null where the log has no such attribute)
-- input:  events
-- params: {{wait}}, {{transferred}}, {{resolved}}, {{abandoned}}, {{handled_by}} the attributes
--         that say them, each used only where its flag is true (any column otherwise):
--         $has_wait, $has_transferred, $has_resolved, $has_abandoned, $has_handled_by
with

final as (
    select
        row_no,
        customer_key,
        ts,
        touchpoint,
        channel,
        case when $has_wait then cast({{wait}} as double) end as wait_seconds,
        case when $has_transferred then cast({{transferred}} as boolean) end as transferred,
        case when $has_resolved then cast({{resolved}} as boolean) end as resolved,
        case when $has_abandoned then cast({{abandoned}} as boolean) end as abandoned,
        case when $has_handled_by then {{handled_by}} is not null end as handled
    from events
)

select * from final
