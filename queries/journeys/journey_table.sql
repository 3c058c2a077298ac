-- journey_table: one row per journey as people read it, with the journey's id (or, for
-- journeys cut by a session gap, "customer #n"), the customer id and the variant it follows.
-- grain:  one row per journey
-- input:  journeys, journey_variants, customer_keys, journey_keys
-- params: $by_gap  true when journeys were cut by a session gap
with

journeys_in as (
    select * exclude (path) from journeys
),

final as (
    select
        case
            when $by_gap then c.customer_id || ' #' || cast(j.journey_key % 4294967296 as varchar)
            else k.journey_id
        end as journey,
        c.customer_id,
        j.length,
        j.distinct_touchpoints,
        j.loops,
        j.channels,
        j.channel_switches,
        j.start_ts,
        j.end_ts,
        j.duration_seconds,
        cast(j.first_touchpoint as varchar) as first_touchpoint,
        cast(j.last_touchpoint as varchar) as last_touchpoint,
        v.variant,
        j.journey_key
    from journeys_in as j
    inner join journey_variants as v on j.journey_key = v.journey_key
    inner join customer_keys as c on j.customer_key = c.customer_key
    left join journey_keys as k on j.journey_key = k.journey_key
)

select * from final
order by start_ts, journey
