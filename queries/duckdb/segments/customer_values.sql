-- customer_values: each journey's value of one customer attribute (its customer's).
-- grain:  one row per journey: journey_key, segment (null when the customer has none)
-- input:  journeys, customers
-- params: {{attribute}} the customer attribute
with

final as (
    select j.journey_key, cast(c.{{attribute}} as varchar) as segment
    from journeys as j
    left join customers as c on j.customer_key = c.customer_key
)

select * from final
