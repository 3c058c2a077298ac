-- touchpoint_signals: for each touchpoint, how often each friction signal occurs there.
-- grain:  one row per touchpoint (per segment value when segment_visits gives one)
-- input:  segment_visits (visits with a segment column; see workbench.friction)
-- params: none
-- For each signal: <signal>_n visits that could show it, <signal>_k visits that did, and
-- <signal>_customers the distinct customers among those. Dropping off counts journeys: its
-- units are the journeys through the touchpoint (touchpoint_outcomes counts them) and a journey
-- drops off at its last step. The counts come from one small grouping per touchpoint; the
-- distinct customers from a grouping per customer of the visits that show a signal only -- a
-- fraction of all visits, which is what keeps this fast at scale.
with

visits_in as (
    select * from segment_visits
),

counts as (
    select
        segment,
        touchpoint,
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
        coalesce(count_if(switched), 0) as channel_switch_k,
        quantile_cont(wait_seconds, [0.5, 0.9]) as wait_quantiles
    from visits_in
    group by segment, touchpoint
),

signals_per_customer as (
    select
        segment,
        touchpoint,
        customer_key,
        bool_or(dropped) as dropoff,
        bool_or(long_wait) as long_wait,
        bool_or(transferred) as transfer,
        bool_or(unresolved) as unresolved,
        bool_or(abandoned) as abandoned,
        bool_or(repeat_contact) as repeat_contact,
        bool_or(switched) as channel_switch
    from visits_in
    where
        dropped or long_wait or transferred or unresolved or abandoned or repeat_contact
        or switched
    group by segment, touchpoint, customer_key
),

customers as (
    select
        segment,
        touchpoint,
        count_if(dropoff) as dropoff_customers,
        count_if(long_wait) as long_wait_customers,
        count_if(transfer) as transfer_customers,
        count_if(unresolved) as unresolved_customers,
        count_if(abandoned) as abandoned_customers,
        count_if(repeat_contact) as repeat_contact_customers,
        count_if(channel_switch) as channel_switch_customers
    from signals_per_customer
    group by segment, touchpoint
),

final as (
    select
        c.segment,
        cast(c.touchpoint as varchar) as touchpoint,
        cast(c.dropoff_k as bigint) as dropoff_k,
        coalesce(b.dropoff_customers, 0) as dropoff_customers,
        c.long_wait_n,
        cast(c.long_wait_k as bigint) as long_wait_k,
        coalesce(b.long_wait_customers, 0) as long_wait_customers,
        c.transfer_n,
        cast(c.transfer_k as bigint) as transfer_k,
        coalesce(b.transfer_customers, 0) as transfer_customers,
        c.unresolved_n,
        cast(c.unresolved_k as bigint) as unresolved_k,
        coalesce(b.unresolved_customers, 0) as unresolved_customers,
        c.abandoned_n,
        cast(c.abandoned_k as bigint) as abandoned_k,
        coalesce(b.abandoned_customers, 0) as abandoned_customers,
        c.repeat_contact_n,
        cast(c.repeat_contact_k as bigint) as repeat_contact_k,
        coalesce(b.repeat_contact_customers, 0) as repeat_contact_customers,
        c.channel_switch_n,
        cast(c.channel_switch_k as bigint) as channel_switch_k,
        coalesce(b.channel_switch_customers, 0) as channel_switch_customers,
        c.wait_quantiles
    from counts as c
    left join customers as b on c.segment = b.segment and c.touchpoint = b.touchpoint
)

select * from final
