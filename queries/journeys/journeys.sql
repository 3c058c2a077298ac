-- journeys: one row per journey with its shape and effort.
-- grain:  one row per journey
-- input:  steps
-- params: $touchpoint_mask  true when the log has at most 64 touchpoints: a journey's distinct
--                          touchpoints are then counted as the bits set in a mask of their
--                          codes, else from its path
-- loops counts steps that return to a touchpoint already visited in the journey (rework);
-- channel_switches counts steps whose channel differs from the step before (counted on the
-- step before, whose next step is in another channel); channels counts the distinct channels
-- used, as the bits set in a mask of channel codes (at most 64 channels, checked at load).
with

steps_in as (
    select * from steps
),

aggregated as (
    select
        journey_key,
        any_value(customer_key) as customer_key,
        count(*) as length,
        min(ts) as start_ts,
        max(ts) as end_ts,
        coalesce(cast(count_if(next_channel <> channel) as bigint), 0) as channel_switches,
        coalesce(bit_count(bit_or(cast(1 as ubigint) << enum_code(channel))), 0) as channels,
        case
            when $touchpoint_mask
                then bit_count(bit_or(cast(1 as ubigint) << (enum_code(touchpoint) % 64)))
        end as touchpoint_bits,
        -- the path in step order: sorting each journey's numbers step * 2^32 + touchpoint code
        -- and reading the touchpoints back by code gives list(touchpoint order by step) in
        -- half the time
        list_transform(
            list_sort(list(step * 4294967296 + enum_code(touchpoint))),
            lambda v: cast(enum_range(null::touchpoint_enum) as touchpoint_enum[])[
                v % 4294967296 + 1
            ]
        ) as path
    from steps_in
    group by journey_key
),

shaped as (
    select
        * exclude (touchpoint_bits),
        coalesce(touchpoint_bits, len(list_distinct(path))) as distinct_touchpoints
    from aggregated
),

final as (
    select
        journey_key,
        customer_key,
        length,
        distinct_touchpoints,
        length - distinct_touchpoints as loops,
        cast(channels as bigint) as channels,
        channel_switches,
        start_ts,
        end_ts,
        epoch(end_ts - start_ts) as duration_seconds,
        path[1] as first_touchpoint,
        path[-1] as last_touchpoint,
        path
    from shaped
)

select * from final
