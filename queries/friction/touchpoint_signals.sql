-- touchpoint_signals: for each touchpoint, how often each friction signal occurs there.
-- grain:  one row per touchpoint (per segment value when segment_visits gives one)
-- input:  visits, segment_visits (journey_key, touchpoint... with a segment column; see
--         workbench.friction)
-- params: none
-- For each signal: <signal>_n units that could show it, <signal>_k units that did, and
-- <signal>_customers distinct customers among them. Dropping off counts journeys; the other
-- signals count visits. Counting per customer first and then per touchpoint gives the distinct
-- customers of every signal from one grouping instead of one distinct count each.
with

visits_in as (
    select * from segment_visits
),

per_customer as (
    select
        segment,
        touchpoint,
        customer_key,
        coalesce(count_if(dropped), 0) as dropoff_k,
        count(long_wait) as long_wait_n,
        coalesce(count_if(long_wait), 0) as long_wait_k,
        count(transferred) as transfer_n,
        coalesce(count_if(transferred), 0) as transfer_k,
        count(unresolved) as unresolved_n,
        coalesce(count_if(unresolved), 0) as unresolved_k,
        count(abandoned) as abandoned_n,
        coalesce(count_if(abandoned), 0) as abandoned_k,
        count(repeat_contact) as repeat_contact_n,
        coalesce(count_if(repeat_contact), 0) as repeat_contact_k,
        count(switched) as channel_switch_n,
        coalesce(count_if(switched), 0) as channel_switch_k
    from visits_in
    group by segment, touchpoint, customer_key
),

per_touchpoint as (
    select
        segment,
        touchpoint,
        sum(dropoff_k) as dropoff_k,
        count_if(dropoff_k > 0) as dropoff_customers,
        sum(long_wait_n) as long_wait_n,
        sum(long_wait_k) as long_wait_k,
        count_if(long_wait_k > 0) as long_wait_customers,
        sum(transfer_n) as transfer_n,
        sum(transfer_k) as transfer_k,
        count_if(transfer_k > 0) as transfer_customers,
        sum(unresolved_n) as unresolved_n,
        sum(unresolved_k) as unresolved_k,
        count_if(unresolved_k > 0) as unresolved_customers,
        sum(abandoned_n) as abandoned_n,
        sum(abandoned_k) as abandoned_k,
        count_if(abandoned_k > 0) as abandoned_customers,
        sum(repeat_contact_n) as repeat_contact_n,
        sum(repeat_contact_k) as repeat_contact_k,
        count_if(repeat_contact_k > 0) as repeat_contact_customers,
        sum(channel_switch_n) as channel_switch_n,
        sum(channel_switch_k) as channel_switch_k,
        count_if(channel_switch_k > 0) as channel_switch_customers,
        count(*) as customers
    from per_customer
    group by segment, touchpoint
),

journeys_through as (
    select segment, touchpoint, count(*) as dropoff_n
    from (select distinct segment, touchpoint, journey_key from visits_in)
    group by segment, touchpoint
),

waits as (
    select segment, touchpoint, quantile_cont(wait_seconds, [0.5, 0.9]) as wait_quantiles
    from visits_in
    group by segment, touchpoint
),

final as (
    select
        p.segment,
        cast(p.touchpoint as varchar) as touchpoint,
        j.dropoff_n,
        cast(p.dropoff_k as bigint) as dropoff_k,
        p.dropoff_customers,
        cast(p.long_wait_n as bigint) as long_wait_n,
        cast(p.long_wait_k as bigint) as long_wait_k,
        p.long_wait_customers,
        cast(p.transfer_n as bigint) as transfer_n,
        cast(p.transfer_k as bigint) as transfer_k,
        p.transfer_customers,
        cast(p.unresolved_n as bigint) as unresolved_n,
        cast(p.unresolved_k as bigint) as unresolved_k,
        p.unresolved_customers,
        cast(p.abandoned_n as bigint) as abandoned_n,
        cast(p.abandoned_k as bigint) as abandoned_k,
        p.abandoned_customers,
        cast(p.repeat_contact_n as bigint) as repeat_contact_n,
        cast(p.repeat_contact_k as bigint) as repeat_contact_k,
        p.repeat_contact_customers,
        cast(p.channel_switch_n as bigint) as channel_switch_n,
        cast(p.channel_switch_k as bigint) as channel_switch_k,
        p.channel_switch_customers,
        p.customers,
        w.wait_quantiles
    from per_touchpoint as p
    inner join journeys_through as j on p.segment = j.segment and p.touchpoint = j.touchpoint
    inner join waits as w on p.segment = w.segment and p.touchpoint = w.touchpoint
)

select * from final
