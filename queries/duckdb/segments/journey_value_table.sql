-- journey_value_table: each journey of the model with its value of several attributes, side by
--   side: read from the values a dataset kept (k), the customer list (c) or a table of the
--   attribute's own (journey_value_<i>).
-- grain:  one row per journey: journey_key, one column "attr:<name>" per attribute
-- input:  journeys, customers, journey_segment_values, journey_value_{i}
-- params: {{?customers}} join each journey's customer as c; {{?kept}} join the kept values as k;
--         {{#columns}} one item per attribute, in order: source (c, k or its journey_value_<i>),
--         field (the column there), column ("attr:<name>");
--         {{#tables}} one item per journey_value_<i> to join: table
with

final as (
    select
        j.journey_key,
        {{#columns}}cast({{source}}.{{field}} as varchar) as {{column}},
        {{/columns}}
    from journeys as j
    {{?customers}}left join customers as c on j.customer_key = c.customer_key{{/customers}}
    {{?kept}}left join journey_segment_values as k on j.journey_key = k.journey_key{{/kept}}
    {{#tables}}left join {{table}} on j.journey_key = {{table}}.journey_key
    {{/tables}}
)

select * from final
