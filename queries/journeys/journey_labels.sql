-- journey_labels: how people name each journey: its journey (case, ticket) id, or
-- "customer #n" for journeys cut by a session gap; and the customer id.
-- grain:  one row per journey
-- input:  journeys, customer_keys, journey_keys
-- params: $by_gap  true when journeys were cut by a session gap
with

journeys_in as (
    select journey_key, customer_key from journeys
),

final as (
    select
        j.journey_key,
        case
            when $by_gap then c.customer_id || ' #' || cast(j.journey_key % 4294967296 as varchar)
            else k.journey_id
        end as journey,
        c.customer_id
    from journeys_in as j
    inner join customer_keys as c on j.customer_key = c.customer_key
    left join journey_keys as k on j.journey_key = k.journey_key
)

select * from final
