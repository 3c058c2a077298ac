-- interaction_events: each event's interaction id, which survey responses may name.
-- grain:  one row per event (none when the log has no interaction id): row_no, interaction_id
-- input:  events
-- params: {{interaction}} the interaction id attribute; $has_interaction whether there is one
with

final as (
    select row_no, cast({{interaction}} as varchar) as interaction_id
    from events
    where $has_interaction
)

select * from final
