-- model_journeys: a query of each journey's segment value kept to the journeys of the model
-- (a period's model: values read from the whole log's events or kept values hold every
-- journey of the log).
-- grain:  one row per journey of the model with a value
-- input:  journeys; the query given as text ({{> query}}, with journey_key and segment)
-- params: none
with

valued as (
    {{> query}}
),

final as (
    select v.journey_key, v.segment
    from valued as v
    semi join journeys as j on v.journey_key = j.journey_key
)

select * from final
