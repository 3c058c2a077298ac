-- count_values: units and affected units per value of each candidate cause, when a unit is one
--   row of its source (a contact, a step): every feature counted in one grouping.
-- grain:  one row per feature and value: v<i> (feature i's value as text; null in the other
--         features' rows), units, affected
-- input:  cause_units, cause_steps (the one {{units}} names), customers, events
-- params: {{units}} the units' table, read as u (unit, effect, ts, ...);
--         {{?customers}} join each unit's customer as c; {{?events}} join each step's event as e;
--         {{#features}} one item per feature: key (its column, v<i>), value (its SQL over u, c, e)
with

valued as (
    select
        u.effect,
        {{#features}}cast({{> value}} as varchar) as {{key}},
        {{/features}}
    from {{units}} as u
    {{?customers}}join customers as c on u.customer_key = c.customer_key{{/customers}}
    {{?events}}join events as e on e.row_no = u.row_no{{/events}}
),

final as (
    select
        {{#features}}{{key}}, {{/features}}
        count(*) as units,
        count_if(effect) as affected
    from valued
    group by grouping sets ({{#features}}({{key}}), {{/features}})
)

select * from final
