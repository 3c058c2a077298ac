-- grouped_responses: every survey response with its group of the KPI split (grp): 'all', the
--   month or ISO week of the response, or the channel or event attribute of the event it rates
--   (journey surveys, NPS and untied responses named as such), or the customer's attribute.
-- grain:  one row per survey response
-- input:  kpi_responses, events, customers
-- params: one of {{?by_none}}, {{?by_month}}, {{?by_week}}, {{?by_channel}}, {{?by_event}},
--         {{?by_customer}} is true: the split; {{attribute}} the event or customer attribute a
--         split by attribute reads (any column otherwise)
with

final as (
    select
        r.*,
        {{?by_none}}'all'{{/by_none}}
        {{?by_month}}strftime(r.ts, '%Y-%m'){{/by_month}}
        {{?by_week}}strftime(r.ts, '%G-W%V'){{/by_week}}
        {{?by_channel}}coalesce(
            cast(re.channel as varchar),
            case r.level
                when 'journey' then '(journey survey)'
                when 'customer' then '(NPS)'
                else '(not tied)'
            end
        ){{/by_channel}}
        {{?by_event}}coalesce(
            cast(re.{{attribute}} as varchar),
            case r.level
                when 'journey' then '(journey survey)'
                when 'customer' then '(NPS)'
                else '(not tied)'
            end
        ){{/by_event}}
        {{?by_customer}}coalesce(cast(cu.{{attribute}} as varchar), '(none)'){{/by_customer}}
        as grp
    from kpi_responses as r
    {{?by_channel}}left join events as re on r.event_row = re.row_no{{/by_channel}}
    {{?by_event}}left join events as re on r.event_row = re.row_no{{/by_event}}
    {{?by_customer}}left join customers as cu on r.customer_key = cu.customer_key{{/by_customer}}
)

select * from final
