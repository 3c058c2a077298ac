-- loop_overlaps: for each pair of transitions, the journeys that go round both more than once
-- (to merge the transitions of one loop into one friction point); a transition paired with
-- itself gives the journeys that go round it more than once.
-- grain:  one row per (transition, transition) pair with such a journey in common
-- input:  visit_moves
-- params: none
with

looped as (
    select
        journey_key,
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target
    from visit_moves
    where times >= 2
),

final as (
    select
        a.source,
        a.target,
        b.source as other_source,
        b.target as other_target,
        count(*) as journeys
    from looped as a
    inner join looped as b on a.journey_key = b.journey_key
    group by a.source, a.target, b.source, b.target
)

select * from final
