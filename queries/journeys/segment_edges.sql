-- segment_edges: for each value of an attribute, how many of its journeys make each transition
-- and visit each touchpoint (the segment-vs-rest journey map takes one value as the segment
-- and sums the others as the rest; journeys without a value are in neither).
-- grain:  one row per value and transition (target null: a touchpoint visit)
-- input:  journey_moves, segment_values (journey_key, segment)
-- params: none
with

valued as (
    select m.source, m.target, v.segment
    from journey_moves as m
    inner join segment_values as v on m.journey_key = v.journey_key
    where v.segment is not null
),

final as (
    select
        segment,
        cast(source as varchar) as source,
        cast(target as varchar) as target,
        count(*) as journeys
    from valued
    group by segment, source, target
)

select * from final
order by segment, source, target nulls first
