-- move_customer_segments: the moves counted by the value of each segment attribute of the
--   customer who made them (segment, plan, region ...), period by period.
-- grain:  one row per attribute, value, source, target and period: moves, slow
-- input:  moves, journeys, customers
-- params: $attributes  the customer attributes to count by (each with a few values)
-- Counted first by every combination of the attributes' values (far fewer rows than the
-- journeys), then spread to one row per attribute: each row is counted once per attribute.
with

combined as (
    select source, target, period, columns($attributes), count(*) as moves, count_if(slow) as slow
    from (
        select m.source, m.target, m.period, m.slow, columns($attributes)
        from moves as m
        inner join journeys as j on m.journey_key = j.journey_key
        inner join customers as c on j.customer_key = c.customer_key
    )
    group by all
),

valued as (
    unpivot (
        select source, target, period, moves, slow, cast(columns($attributes) as varchar)
        from combined
    )
    on columns($attributes)
    into name attribute value value
),

final as (
    select attribute, value, source, target, period,
        sum(moves)::bigint as moves,
        sum(slow) as slow
    from valued
    group by attribute, value, source, target, period
)

select * from final
