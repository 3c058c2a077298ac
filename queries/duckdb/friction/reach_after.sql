-- reach_after: of the journeys that reach a source, the share that reach a target after it
--   (after its first visit there), for each pair asked.
-- grain:  one row per pair: source, target, journeys (reaching the source), share
-- input:  reaches
-- params: $sources, $targets  the pairs, position by position
with

pairs as (
    select unnest($sources) as source, unnest($targets) as target
),

followed as (
    select
        p.source,
        p.target,
        count(*) as journeys,
        count(t.journey_key) as reaching
    from pairs as p
    inner join reaches as s on p.source = s.source
    left join reaches as t
        on s.journey_key = t.journey_key and p.target = t.source and t.step > s.step
    group by p.source, p.target
),

final as (
    select source, target, journeys, reaching / journeys as share
    from followed
)

select * from final
