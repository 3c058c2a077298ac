-- customer_values: each customer's churn flag and revenue, for the satisfaction measures.
-- grain:  one row per listed customer: customer_key, churned, revenue (null where the list has
--         no such column)
-- input:  customers
-- params: {{churned}}, {{revenue}} the list's churn and revenue columns (any column when
--         $has_churned / $has_revenue is false)
with

final as (
    select
        customer_key,
        case when $has_churned then cast({{churned}} as boolean) end as churned,
        case when $has_revenue then cast({{revenue}} as double) end as revenue
    from customers
    where customer_key is not null
)

select * from final
