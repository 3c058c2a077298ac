-- customer_units: the customers a customer-level effect is measured on, and whether each
-- shows it.
-- grain:  one row per customer with a known outcome
-- input:  journey_outcomes
-- params: $effect  detractor or churned
with

outcomes_in as (
    select customer_key, any_value(detractor) as detractor, any_value(churned) as churned,
           max(journey_key) as last_journey
    from journey_outcomes
    group by customer_key
),

final as (
    select
        customer_key as unit,
        customer_key,
        case $effect when 'detractor' then detractor when 'churned' then churned end as effect
    from outcomes_in
)

select * from final
where effect is not null
