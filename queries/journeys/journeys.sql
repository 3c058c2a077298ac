-- journeys: one row per journey with its shape and effort.
-- grain:  one row per journey
-- input:  steps
-- params: none
-- loops counts steps that return to a touchpoint already visited in the journey (rework);
-- channel_switches counts steps whose channel differs from the step before.
with

steps_in as (
    select * from steps
),

aggregated as (
    select
        journey_key,
        any_value(customer_id) as customer_id,
        count(*) as length,
        min(ts) as start_ts,
        max(ts) as end_ts,
        cast(count_if(channel_switch) as bigint) as channel_switches,
        list(touchpoint order by step) as path,
        list_distinct(list(channel)) as channel_list
    from steps_in
    group by journey_key
),

final as (
    select
        journey_key,
        customer_id,
        length,
        len(list_distinct(path)) as distinct_touchpoints,
        length - len(list_distinct(path)) as loops,
        len(channel_list) as channels,
        channel_switches,
        start_ts,
        end_ts,
        epoch(end_ts - start_ts) as duration_seconds,
        path[1] as first_touchpoint,
        path[-1] as last_touchpoint,
        path
    from aggregated
)

select * from final
