-- journey_table: one row per journey as people read it: its label, the customer, its shape
-- and effort, and the variant it follows.
-- grain:  one row per journey
-- input:  journeys, journey_variants, journey_labels
-- params: none
with

journeys_in as (
    select * exclude (path) from journeys
),

final as (
    select
        l.journey,
        l.customer_id,
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
    inner join journey_labels as l on j.journey_key = l.journey_key
)

select * from final
order by start_ts, journey
