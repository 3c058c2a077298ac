-- endpoints: where journeys begin and where they end (the first and the last step seen).
-- grain:  one row per side ('start' or 'end') and touchpoint
-- input:  journeys
-- params: none
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

final as (
    select
        side,
        cast(touchpoint as varchar) as touchpoint,
        count(*) as journeys,
        count(distinct customer_key) as customers,
        count(*) / sum(count(*)) over (partition by side) as share
    from sides
    group by side, touchpoint
)

select * from final
order by side desc, journeys desc, touchpoint
