-- grouped_events: every event with its group of the KPI split (grp: 'all', the month or ISO
--   week of the event, its channel or attribute, or its customer's attribute) and whether a
--   survey response rates it.
-- grain:  one row per event: row_no, grp, rated
-- input:  events, kpi_responses, customers
-- params: one of {{?by_none}}, {{?by_month}}, {{?by_week}}, {{?by_channel}}, {{?by_event}},
--         {{?by_customer}} is true: the split; {{attribute}} the event or customer attribute a
--         split by attribute reads (any column otherwise)
with

rated as (
    -- a join to the rated rows rather than a correlated EXISTS (see grouped_contacts)
    select distinct event_row from kpi_responses
),

final as (
    select
        e.row_no,
        {{?by_none}}'all'{{/by_none}}
        {{?by_month}}strftime(e.ts, '%Y-%m'){{/by_month}}
        {{?by_week}}strftime(e.ts, '%G-W%V'){{/by_week}}
        {{?by_channel}}cast(e.channel as varchar){{/by_channel}}
        {{?by_event}}coalesce(cast(e.{{attribute}} as varchar), '(none)'){{/by_event}}
        {{?by_customer}}coalesce(cast(cu.{{attribute}} as varchar), '(none)'){{/by_customer}}
        as grp,
        rr.event_row is not null as rated
    from events as e
    {{?by_customer}}left join customers as cu on e.customer_key = cu.customer_key{{/by_customer}}
    left join rated as rr on rr.event_row = e.row_no
)

select * from final
