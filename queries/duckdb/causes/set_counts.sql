-- set_counts: units and affected units per distinct bit string of each feature in cause_sets.
-- grain:  one row per feature and distinct non-null bit string: feature (its column, b<i>),
--         bits (the string of 0s and 1s), units, affected
-- input:  cause_sets
-- params: none
with

sets as (
    -- one row per unit and feature (columns(*) rather than a list: the features vary); a unit
    -- without any value of a feature has no row for it
    unpivot cause_sets on columns(* exclude (unit, effect)) into name feature value bits
),

final as (
    select feature, cast(bits as varchar) as bits, count(*) as units, count_if(effect) as affected
    from sets
    group by feature, bits
)

select * from final
