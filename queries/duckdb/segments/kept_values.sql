-- kept_values: each journey's value of one event attribute, as the dataset kept it at import.
-- grain:  one row per journey with a value: journey_key, segment
-- input:  journey_segment_values (written at import; see workbench.store.segment_values)
-- params: {{column}} the attribute's column ("attr:<name>")
with

final as (
    select journey_key, {{column}} as segment
    from journey_segment_values
    where {{column}} is not null
)

select * from final
