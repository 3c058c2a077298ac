-- no_customer_values: no churn flag nor revenue (no customer list, or it has neither column).
-- grain:  no rows: customer_key, churned, revenue
-- input:  none
-- params: none
select
    cast(null as integer) as customer_key,
    cast(null as boolean) as churned,
    cast(null as double) as revenue
where false
