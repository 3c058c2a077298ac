-- starts: where journeys begin.
-- grain:  one row per touchpoint that starts at least one journey
-- input:  journeys
-- params: none
with

journeys_in as (
    select first_touchpoint, customer_key from journeys
),

final as (
    select
        cast(first_touchpoint as varchar) as touchpoint,
        count(*) as journeys,
        count(distinct customer_key) as customers,
        count(*) / sum(count(*)) over () as share
    from journeys_in
    group by first_touchpoint
)

select * from final
order by journeys desc, touchpoint
