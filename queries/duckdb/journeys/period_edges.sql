-- period_edges: how many of the journeys that start in each of two periods make each
-- transition and visit each touchpoint (the journey map's two periods compared). Journeys are
-- counted per variant and period first: a variant's journeys all make the same moves.
-- grain:  one row per period ('A' or 'B') and transition (target null: a touchpoint visit)
-- input:  journeys, journey_variants, variant_moves
-- params: $a_from  period A: journeys that start at or after this moment
--         $a_to    and before this one
--         $b_from  period B, the same way (the periods do not overlap)
--         $b_to
with

dated as (
    select
        journey_key,
        case
            when start_ts >= $a_from and start_ts < $a_to then 'A'
            when start_ts >= $b_from and start_ts < $b_to then 'B'
        end as period
    from journeys
),

valued as (
    select j.variant, d.period, count(*) as journeys
    from journey_variants as j
    inner join dated as d on j.journey_key = d.journey_key
    where d.period is not null
    group by j.variant, d.period
),

moved as (
    select v.period, m.source, m.target, v.journeys
    from valued as v
    inner join variant_moves as m on v.variant = m.variant
),

final as (
    select
        period,
        cast(source as varchar) as source,
        cast(target as varchar) as target,
        cast(sum(journeys) as bigint) as journeys
    from moved
    group by period, source, target
)

select * from final
order by period, source, target nulls first
