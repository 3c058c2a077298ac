-- ends: where journeys end (the last step seen).
-- grain:  one row per touchpoint that ends at least one journey
-- input:  journeys
-- params: none
with

journeys_in as (
    select last_touchpoint, customer_key from journeys
),

final as (
    select
        cast(last_touchpoint as varchar) as touchpoint,
        count(*) as journeys,
        count(distinct customer_key) as customers,
        count(*) / sum(count(*)) over () as share
    from journeys_in
    group by last_touchpoint
)

select * from final
order by journeys desc, touchpoint
