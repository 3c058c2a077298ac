-- customers: the loaded customer list, tied to the event log's customers where they match.
-- grain:  one row per accepted customer
-- input:  classified_customers, customer_keys
-- params: none
-- customer_key is null for customers who have no events in the log.
with

accepted as (
    select * exclude (reject_reason, reject_column, reject_value)
    from classified_customers
    where reject_reason is null
),

final as (
    select
        a.*,
        c.customer_key
    from accepted as a
    left join customer_keys as c on a.customer_id = c.customer_id
)

select * from final
