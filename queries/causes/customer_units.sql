-- customer_units: the customers a customer-level effect is measured on, and whether each
-- shows it; a customer's time is the start of their last journey.
-- grain:  one row per customer with a known outcome
-- input:  journey_outcomes, journeys
-- params: $effect       detractor or churned
--         $period_from  the first moment counted: customers whose last journey starts at or
--                       after it (null: from the start of the log)
--         $period_to    the moment counting stops: customers whose last journey starts before
--                       it (null: to the end of the log)
with

outcomes_in as (
    select customer_key, any_value(detractor) as detractor, any_value(churned) as churned
    from journey_outcomes
    group by customer_key
),

last_journeys as (
    select customer_key, max(start_ts) as ts
    from journeys
    group by customer_key
),

final as (
    select
        o.customer_key as unit,
        cast(null as bigint) as journey_key,  -- a customer is no one journey
        o.customer_key,
        l.ts,
        case $effect when 'detractor' then o.detractor when 'churned' then o.churned end as effect
    from outcomes_in as o
    inner join last_journeys as l on o.customer_key = l.customer_key
    where
        ($period_from is null or l.ts >= $period_from)
        and ($period_to is null or l.ts < $period_to)
)

select * from final
where effect is not null
