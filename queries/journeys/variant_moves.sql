-- variant_moves: each transition a variant makes and each touchpoint it visits, once per variant
-- (read from one journey that follows it: all of a variant's journeys take the same path).
-- grain:  one row per variant and (source, target); target null: a touchpoint it visits
-- input:  steps, journey_variants
-- params: none
with

representatives as (
    select variant, min(journey_key) as journey_key
    from journey_variants
    group by variant
),

representative_steps as (
    select r.variant, s.touchpoint, s.next_touchpoint
    from steps as s
    inner join representatives as r on s.journey_key = r.journey_key
),

moves as (
    select distinct variant, touchpoint as source, next_touchpoint as target
    from representative_steps
    where next_touchpoint is not null
),

visits as (
    select distinct variant, touchpoint as source, null as target
    from representative_steps
),

final as (
    select * from moves
    union all
    select * from visits
)

select * from final
