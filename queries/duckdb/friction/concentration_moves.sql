-- concentration_moves: the steps that make one of the transitions a concentration asks about.
-- grain:  one row per step making one of the transitions: journey_key, touchpoint,
--         next_touchpoint
-- input:  visits
-- params: {{#moves}} one item per transition: source, target (touchpoint names)
with

final as (
    select journey_key, touchpoint, next_touchpoint
    from visits
    -- the pair of nulls ends the list, which may be empty: then no step is kept
    where (cast(touchpoint as varchar), cast(next_touchpoint as varchar))
        in ({{#moves}}({{= source}}, {{= target}}), {{/moves}}(null, null))
)

select * from final
