-- concentration: how often each mechanism signal occurs with each value of every attribute, at
-- the friction points asked about -- to say where a friction point is concentrated.
-- grain:  one row per (segment, point, signal) with units > 0
-- input:  segment_visits (visits at the points' touchpoints, segment = attribute<US>value; see
--         workbench.friction)
-- params: none
-- Only counts: the concentration test compares a value's rate with the other values' at the
-- same point, so no base rates, outcomes or distinct customers are needed.
with

visits_in as (
    select * from segment_visits
),

touchpoints as (
    select
        segment,
        cast(touchpoint as varchar) as touchpoint,
        count(distinct journey_key) as dropoff_n,
        count_if(dropped) as dropoff_k,
        count(long_wait) as long_wait_n,
        count_if(long_wait) as long_wait_k,
        count(transferred) as transfer_n,
        count_if(transferred) as transfer_k,
        count(unresolved) as unresolved_n,
        count_if(unresolved) as unresolved_k,
        count(abandoned) as abandoned_n,
        count_if(abandoned) as abandoned_k,
        count(repeat_contact) as repeat_contact_n,
        count_if(repeat_contact) as repeat_contact_k,
        count(switched) as channel_switch_n,
        count_if(switched) as channel_switch_k
    from visits_in
    group by segment, touchpoint
),

touchpoint_signals as (
    unpivot touchpoints
    on
        (dropoff_n, dropoff_k) as dropoff,
        (long_wait_n, long_wait_k) as long_wait,
        (transfer_n, transfer_k) as transfer,
        (unresolved_n, unresolved_k) as unresolved,
        (abandoned_n, abandoned_k) as abandoned,
        (repeat_contact_n, repeat_contact_k) as repeat_contact,
        (channel_switch_n, channel_switch_k) as channel_switch
    into name signal value units, affected
),

moves as (
    select segment, journey_key, touchpoint, next_touchpoint, count(*) as times
    from visits_in
    where next_touchpoint is not null
    group by segment, journey_key, touchpoint, next_touchpoint
),

loops as (
    select
        segment,
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target,
        count(*) as units,
        count_if(times >= 2) as affected
    from moves
    group by segment, touchpoint, next_touchpoint
),

final as (
    select
        segment,
        'touchpoint' as point_type,
        touchpoint,
        cast(null as varchar) as source,
        cast(null as varchar) as target,
        signal,
        units,
        affected
    from touchpoint_signals
    where units > 0
    union all
    select
        segment,
        'transition' as point_type,
        cast(null as varchar) as touchpoint,
        source,
        target,
        'loop' as signal,
        units,
        affected
    from loops
)

select * from final
