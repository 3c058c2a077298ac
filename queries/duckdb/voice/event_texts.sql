-- event_texts: the text of one event attribute on every event that has it, with the event's
-- customer, journey, touchpoint, channel and time (no score: events carry none); event_row is
-- the event the text is about (its own).
-- grain:  one row per event whose attribute is not null
-- input:  events, steps, journey_labels
-- params: {{column}} the event attribute holding free text
with

texts as (
    select row_no, cast({{column}} as varchar) as text
    from events
    where {{column}} is not null
),

final as (
    select
        'event attribute' as source,
        t.row_no as source_row,
        j.customer_id as customer,
        j.journey,
        cast(s.touchpoint as varchar) as touchpoint,
        cast(s.channel as varchar) as channel,
        s.ts,
        cast(null as varchar) as kind,
        cast(null as double) as score,
        t.text,
        t.row_no as event_row
    from texts as t
    inner join steps as s on t.row_no = s.row_no
    left join journey_labels as j on s.journey_key = j.journey_key
)

select * from final order by source_row
