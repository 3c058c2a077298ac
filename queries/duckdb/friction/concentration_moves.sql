-- concentration_moves: the steps that make one of the transitions a concentration asks about.
-- grain:  one row per step making one of the transitions: journey_key, touchpoint,
--         next_touchpoint
-- input:  visits
-- params: {{#moves}} one item per transition: source, target (touchpoint names);
--         {{?no_moves}} true when there are none (the list then holds nulls: no step is kept)
with

final as (
    select journey_key, touchpoint, next_touchpoint
    from visits
    where (cast(touchpoint as varchar), cast(next_touchpoint as varchar))
        in ({{#moves}}({{= source}}, {{= target}}), {{/moves}}{{?no_moves}}(null, null){{/no_moves}})
)

select * from final
