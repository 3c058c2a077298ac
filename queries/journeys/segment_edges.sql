-- segment_edges: for each transition and each touchpoint, how many journeys of a segment
-- make it and how many of the rest (for the segment-vs-rest journey map).
-- grain:  one row per transition (target null: a touchpoint visit)
-- input:  steps, segment_values (journey_key, segment)
-- params: $value  the segment's value; journeys with another value are "the rest" (journeys
--                 without a value are in neither)
with

tagged as (
    select
        s.journey_key,
        cast(s.touchpoint as varchar) as source,
        cast(s.next_touchpoint as varchar) as target,
        v.segment = $value as in_segment
    from steps as s
    inner join segment_values as v on s.journey_key = v.journey_key
    where v.segment is not null
),

moves as (
    select distinct journey_key, source, target, in_segment from tagged where target is not null
    union all
    select distinct journey_key, source, null as target, in_segment from tagged
),

final as (
    select
        source,
        target,
        count(*) filter (where in_segment) as segment_journeys,
        count(*) filter (where not in_segment) as rest_journeys
    from moves
    group by source, target
)

select * from final
