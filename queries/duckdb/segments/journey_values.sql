-- journey_values: each journey's value of one attribute, from the model's journey_values table
--   (built for friction's concentrations; see workbench.journeys.segments.journey_values).
-- grain:  one row per journey: journey_key, segment
-- input:  journey_values
-- params: {{column}} the attribute's column ("attr:<name>")
with

final as (
    select journey_key, {{column}} as segment
    from journey_values
)

select * from final
