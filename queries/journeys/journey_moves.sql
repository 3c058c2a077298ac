-- journey_moves: each transition a journey makes and each touchpoint it visits, once per
-- journey, whatever the segment (the segment-vs-rest journey map counts journeys from it).
-- grain:  one row per journey and (source, target); target null: a touchpoint it visits
-- input:  steps
-- params: none
with

steps_in as (
    select journey_key, touchpoint, next_touchpoint from steps
),

moves as (
    select distinct journey_key, touchpoint as source, next_touchpoint as target
    from steps_in
    where next_touchpoint is not null
),

visits as (
    select distinct journey_key, touchpoint as source, null as target
    from steps_in
),

final as (
    select * from moves
    union all
    select * from visits
)

select * from final
