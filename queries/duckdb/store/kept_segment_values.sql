-- kept_segment_values: each journey's value of every segment event attribute, kept in a dataset
--   at import; each attribute's values come from a table of its own (journey_value_<i>).
-- grain:  one row per journey of the events: journey_key, one column "attr:<name>" per attribute
-- input:  events, journey_value_{i}
-- params: {{#values}} one item per attribute: table (its journey_value_<i>), column ("attr:<name>")
with

journeys_in as (
    select distinct journey_key from events
),

final as (
    select
        j.journey_key,
        {{#values}}{{table}}.segment as {{column}},
        {{/values}}
    from journeys_in as j
    {{#values}}left join {{table}} on j.journey_key = {{table}}.journey_key
    {{/values}}
)

select * from final
