-- concentration: how often each mechanism signal occurs with each value of every attribute, at
-- the friction points asked about -- to say where a friction point is concentrated.
-- grain:  one row per (attribute, value, point, signal) with units > 0
-- input:  concentration_visits (the visits at the points' touchpoints with their contact
--         signals and one column "attr:<name>" per attribute: the step's own value, else its
--         journey's; read once), concentration_steps (the same visits: journey_key,
--         touchpoint, dropped), concentration_moves (the steps making the transitions asked
--         about: journey_key, touchpoint, next_touchpoint), concentration_journeys (journey_key
--         and the "attr:" columns, journey-level values); see workbench.friction
-- params: none
-- Contact signals take the step's value (the team that took this call); dropping off and
-- loops are journey properties and take the journey's. Counts are summed over the finest
-- combinations of all attributes first, then unpivoted: one pass for every attribute. Only
-- counts: the test compares a value's rate with the other values' at the same point.
with

step_combos as (
    select
        cast(touchpoint as varchar) as touchpoint,
        columns('^attr:'),
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
    from concentration_visits
    group by all
),

step_values as (
    unpivot step_combos on columns('^attr:') into name attribute value segment
),

step_signals as (
    unpivot (
        select
            attribute,
            segment,
            touchpoint,
            sum(long_wait_n) as long_wait_n,
            sum(long_wait_k) as long_wait_k,
            sum(transfer_n) as transfer_n,
            sum(transfer_k) as transfer_k,
            sum(unresolved_n) as unresolved_n,
            sum(unresolved_k) as unresolved_k,
            sum(abandoned_n) as abandoned_n,
            sum(abandoned_k) as abandoned_k,
            sum(repeat_contact_n) as repeat_contact_n,
            sum(repeat_contact_k) as repeat_contact_k,
            sum(channel_switch_n) as channel_switch_n,
            sum(channel_switch_k) as channel_switch_k
        from step_values
        group by attribute, segment, touchpoint
    )
    on
        (long_wait_n, long_wait_k) as long_wait,
        (transfer_n, transfer_k) as transfer,
        (unresolved_n, unresolved_k) as unresolved,
        (abandoned_n, abandoned_k) as abandoned,
        (repeat_contact_n, repeat_contact_k) as repeat_contact,
        (channel_switch_n, channel_switch_k) as channel_switch
    into name signal value units, affected
),

passes as (
    -- each journey through a touchpoint once: did it end there without a goal?
    select journey_key, touchpoint, bool_or(coalesce(dropped, false)) as dropped
    from concentration_steps
    group by journey_key, touchpoint
),

pass_combos as (
    select
        cast(touchpoint as varchar) as touchpoint,
        columns('^attr:'),
        count(*) as units,
        count_if(dropped) as affected
    from passes
    inner join concentration_journeys using (journey_key)
    group by all
),

moves as (
    select journey_key, touchpoint, next_touchpoint, count(*) as times
    from concentration_moves
    where next_touchpoint is not null
    group by journey_key, touchpoint, next_touchpoint
),

move_combos as (
    select
        cast(touchpoint as varchar) as source,
        cast(next_touchpoint as varchar) as target,
        columns('^attr:'),
        count(*) as units,
        count_if(times >= 2) as affected
    from moves
    inner join concentration_journeys using (journey_key)
    group by all
),

final as (
    select
        attribute,
        segment,
        'touchpoint' as point_type,
        touchpoint,
        cast(null as varchar) as source,
        cast(null as varchar) as target,
        signal,
        cast(units as bigint) as units,
        cast(affected as bigint) as affected
    from step_signals
    where units > 0
    union all
    select
        attribute,
        segment,
        'touchpoint' as point_type,
        touchpoint,
        cast(null as varchar) as source,
        cast(null as varchar) as target,
        'dropoff' as signal,
        cast(sum(units) as bigint) as units,
        cast(sum(affected) as bigint) as affected
    from (unpivot pass_combos on columns('^attr:') into name attribute value segment)
    group by attribute, segment, touchpoint
    union all
    select
        attribute,
        segment,
        'transition' as point_type,
        cast(null as varchar) as touchpoint,
        source,
        target,
        'loop' as signal,
        cast(sum(units) as bigint) as units,
        cast(sum(affected) as bigint) as affected
    from (unpivot move_combos on columns('^attr:') into name attribute value segment)
    group by attribute, segment, source, target
)

select * from final
