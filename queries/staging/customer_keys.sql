-- customer_keys: a small integer for every customer id, so journeys group and count fast.
-- grain:  one row per distinct customer id in the source (rejected rows included; harmless)
-- input:  mapped_rows
-- params: none
with

ids as (
    select distinct customer_id from mapped_rows where customer_id is not null
),

final as (
    select
        customer_id,
        cast(row_number() over (order by customer_id) as integer) as customer_key
    from ids
)

select * from final
