-- reach_segments: the journeys that reach each touchpoint, counted by the value of each segment
--   attribute of the event of their first visit there (device, team, region ...), period by period.
-- grain:  one row per attribute, value, source and period: journeys, converting, not_converted,
--         retried
-- input:  reaches, events
-- params: $attributes  the event attributes to count by (each with a few values)
-- Counted first by every combination of the attributes' values (far fewer rows than the
-- journeys), then spread to one row per attribute: each row is counted once per attribute.
with

combined as (
    select source, period, columns($attributes),
        count(*) as journeys,
        count(not_converted) as converting,
        count_if(not_converted) as not_converted,
        count_if(retried) as retried
    from (
        select r.source, r.period, r.not_converted, r.retried, columns($attributes)
        from reaches as r
        inner join events as e on r.row_no = e.row_no
    )
    group by all
),

valued as (
    unpivot (
        select
            source, period, journeys, converting, not_converted, retried,
            cast(columns($attributes) as varchar)
        from combined
    )
    on columns($attributes)
    into name attribute value value
),

final as (
    select attribute, value, source, period,
        sum(journeys)::bigint as journeys,
        sum(converting)::bigint as converting,
        sum(not_converted) as not_converted,
        sum(retried) as retried
    from valued
    group by attribute, value, source, period
)

select * from final
