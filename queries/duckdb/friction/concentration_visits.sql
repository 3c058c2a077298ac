-- concentration_visits: the visits at the points with their contact signals and each
--   attribute's value for the step: its own (an event attribute), else its journey's. A view:
--   the wide rows are read once and grouped as they stream, never written out.
-- grain:  one row per visit to one of the touchpoints
-- input:  concentration_points, events, journey_values
-- params: {{#at}} one item per touchpoint: touchpoint (its name); {{?no_points}} true when
--         there are none (the list then holds a null, and no visit is kept);
--         {{#steps}} one item per event attribute: attribute (its column in events), column
--         ("attr:<name>" in journey_values); {{#journeys}} one item per other attribute: column
with

final as (
    select
        v.journey_key, v.touchpoint, v.long_wait, v.transferred, v.unresolved, v.abandoned,
        v.repeat_contact, v.switched,
        {{#steps}}coalesce(cast(e.{{attribute}} as varchar), jv.{{column}}) as {{column}},
        {{/steps}}
        {{#journeys}}jv.{{column}} as {{column}},
        {{/journeys}}
    from concentration_points as v
    join events as e on v.row_no = e.row_no
    join journey_values as jv on v.journey_key = jv.journey_key
    -- the same filter on the events: only their visits to the points reach the join
    where cast(e.touchpoint as varchar) in (
        {{#at}}{{= touchpoint}}, {{/at}}{{?no_points}}null{{/no_points}}
    )
)

select * from final
