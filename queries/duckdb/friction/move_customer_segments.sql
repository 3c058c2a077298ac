-- move_customer_segments: the moves counted by the value of each segment attribute of the
--   customer who made them (segment, plan, region ...), period by period.
-- grain:  one row per attribute, value, source, target and period: moves, slow
-- input:  moves, journeys, customers
-- params: $attributes  the customer attributes to count by (each with a few values)
with

valued as (
    unpivot (
        select m.source, m.target, m.period, m.slow, cast(columns($attributes) as varchar)
        from moves as m
        inner join journeys as j on m.journey_key = j.journey_key
        inner join customers as c on j.customer_key = c.customer_key
    )
    on columns($attributes)
    into name attribute value value
),

final as (
    select attribute, value, source, target, period, count(*) as moves, count_if(slow) as slow
    from valued
    group by all
)

select * from final
