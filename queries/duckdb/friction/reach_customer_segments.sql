-- reach_customer_segments: the journeys that reach each touchpoint, counted by the value of each
--   segment attribute of their customer (segment, plan, region ...), period by period.
-- grain:  one row per attribute, value, source and period: journeys, converting, not_converted,
--         retried
-- input:  reaches, journeys, customers
-- params: $attributes  the customer attributes to count by (each with a few values)
with

valued as (
    unpivot (
        select r.source, r.period, r.not_converted, r.retried, cast(columns($attributes) as varchar)
        from reaches as r
        inner join journeys as j on r.journey_key = j.journey_key
        inner join customers as c on j.customer_key = c.customer_key
    )
    on columns($attributes)
    into name attribute value value
),

final as (
    select
        attribute,
        value,
        source,
        period,
        count(*) as journeys,
        count(not_converted) as converting,
        count_if(not_converted) as not_converted,
        count_if(retried) as retried
    from valued
    group by all
)

select * from final
