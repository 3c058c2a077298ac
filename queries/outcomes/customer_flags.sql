-- customer_flags: each listed customer's churn flag (null when the list has no such column).
-- grain:  one row per listed customer: customer_key, churned
-- input:  customers
-- params: {{churned}} the churn attribute (any column when $has_churned is false)
with

final as (
    select customer_key, case when $has_churned then cast({{churned}} as boolean) end as churned
    from customers
    where customer_key is not null
)

select * from final
