-- endpoints: where journeys begin and where they end (the first and the last step seen).
-- grain:  one row per side ('start' or 'end') and touchpoint
-- input:  journeys
-- params: $dense  count distinct customers as bit sets over their keys (see touchpoints.sql)
-- share is the share of all journeys that begin (or end) at the touchpoint.
with

journeys_in as (
    select first_touchpoint, last_touchpoint, customer_key from journeys
),

sides as (
    select 'start' as side, first_touchpoint as touchpoint, customer_key from journeys_in
    union all
    select 'end' as side, last_touchpoint as touchpoint, customer_key from journeys_in
),

counted as (
    select side, touchpoint, count(*) as journeys, bit_count(bitstring_agg(customer_key)) as customers
    from sides
    where $dense
    group by side, touchpoint
    union all
    select side, touchpoint, count(*) as journeys, count(distinct customer_key) as customers
    from sides
    where not $dense
    group by side, touchpoint
),

final as (
    select
        side,
        cast(touchpoint as varchar) as touchpoint,
        journeys,
        customers,
        journeys / sum(journeys) over (partition by side) as share
    from counted
)

select * from final
order by side desc, journeys desc, touchpoint
