-- grouped_contacts: every contact with its group of the KPI split (grp: 'all', the month or ISO
--   week of the contact, its channel, its event's attribute or its customer's) and whether a
--   survey response rates it.
-- grain:  one row per contact
-- input:  kpi_contacts, kpi_responses, events, customers
-- params: one of {{?by_none}}, {{?by_month}}, {{?by_week}}, {{?by_channel}}, {{?by_event}},
--         {{?by_customer}} is true: the split; {{attribute}} the event or customer attribute a
--         split by attribute reads (any column otherwise)
with

rated as (
    -- a join to the rated rows rather than a correlated EXISTS, which Spark's optimiser fails
    -- to plan when no response is tied to an interaction
    select distinct event_row from kpi_responses
),

final as (
    select
        c.*,
        {{?by_none}}'all'{{/by_none}}
        {{?by_month}}strftime(c.ts, '%Y-%m'){{/by_month}}
        {{?by_week}}strftime(c.ts, '%G-W%V'){{/by_week}}
        {{?by_channel}}cast(c.channel as varchar){{/by_channel}}
        {{?by_event}}coalesce(cast(ce.{{attribute}} as varchar), '(none)'){{/by_event}}
        {{?by_customer}}coalesce(cast(cu.{{attribute}} as varchar), '(none)'){{/by_customer}}
        as grp,
        rr.event_row is not null as rated
    from kpi_contacts as c
    {{?by_event}}left join events as ce on c.row_no = ce.row_no{{/by_event}}
    {{?by_customer}}left join customers as cu on c.customer_key = cu.customer_key{{/by_customer}}
    left join rated as rr on rr.event_row = c.row_no
)

select * from final
