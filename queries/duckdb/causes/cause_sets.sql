-- cause_sets: per unit with many rows (a journey's steps, a customer's events), the set of
--   values it has of each candidate cause, as a bit string (position i = the feature's i-th label).
-- grain:  one row per unit: unit, effect, b<i> (feature i's bit string)
-- input:  cause_steps, events (the one {{units}} names)
-- params: {{units}} the units' rows, read as u (unit, effect, touchpoint, channel, row_no);
--         {{?events}} join each step's event as e;
--         {{#coded}} one item per feature whose rows carry their label's position: key (its
--         column, b<i>), code (that position's SQL over u), last (the last position);
--         {{#labelled}} one item per other feature: key, value (its SQL over u and e), labels
--         (its labels as SQL literals, in order), last (the last position)
with

final as (
    select
        u.unit,
        u.effect,
        {{#coded}}bitstring_agg({{> code}}, 0, {{> last}}) as {{key}},
        {{/coded}}
        {{#labelled}}bitstring_agg(
            enum_code(cast(cast({{> value}} as varchar) as enum({{> labels}}))), 0, {{> last}}
        ) as {{key}},
        {{/labelled}}
    from {{units}} as u
    {{?events}}join events as e on e.row_no = u.row_no{{/events}}
    group by u.unit, u.effect
)

select * from final
