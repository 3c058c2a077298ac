-- segment_edges: for each value of an attribute, how many of its journeys make each transition
-- and visit each touchpoint (the segment-vs-rest journey map takes one value as the segment
-- and sums the others as the rest; journeys without a value are in neither). Journeys are
-- counted per variant and value first: a variant's journeys all make the same moves.
-- grain:  one row per value and transition (target null: a touchpoint visit)
-- input:  journey_variants, variant_moves, segment_values (journey_key, segment)
-- params: none
with

valued as (
    select j.variant, v.segment, count(*) as journeys
    from journey_variants as j
    inner join segment_values as v on j.journey_key = v.journey_key
    where v.segment is not null
    group by j.variant, v.segment
),

moved as (
    select v.segment, m.source, m.target, v.journeys
    from valued as v
    inner join variant_moves as m on v.variant = m.variant
),

final as (
    select
        segment,
        cast(source as varchar) as source,
        cast(target as varchar) as target,
        cast(sum(journeys) as bigint) as journeys
    from moved
    group by segment, source, target
)

select * from final
order by segment, source, target nulls first
