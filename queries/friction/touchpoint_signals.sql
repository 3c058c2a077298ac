-- touchpoint_signals: for each touchpoint, how often each friction signal occurs there.
-- grain:  one row per touchpoint (per segment value when segment_visits gives one)
-- input:  visits, segment_visits (journey_key, touchpoint... with a segment column; see
--         workbench.friction)
-- params: none
-- For each signal: <signal>_n units that could show it, <signal>_k units that did, and
-- <signal>_customers distinct customers among them. Dropping off counts journeys; the other
-- signals count visits.
with

visits_in as (
    select * from segment_visits
),

final as (
    select
        segment,
        cast(touchpoint as varchar) as touchpoint,
        count(distinct journey_key) as dropoff_n,
        count_if(dropped) as dropoff_k,
        count(distinct customer_key) filter (where dropped) as dropoff_customers,
        count(long_wait) as long_wait_n,
        count_if(long_wait) as long_wait_k,
        count(distinct customer_key) filter (where long_wait) as long_wait_customers,
        count(transferred) as transfer_n,
        count_if(transferred) as transfer_k,
        count(distinct customer_key) filter (where transferred) as transfer_customers,
        count(unresolved) as unresolved_n,
        count_if(unresolved) as unresolved_k,
        count(distinct customer_key) filter (where unresolved) as unresolved_customers,
        count(abandoned) as abandoned_n,
        count_if(abandoned) as abandoned_k,
        count(distinct customer_key) filter (where abandoned) as abandoned_customers,
        count(repeat_contact) as repeat_contact_n,
        count_if(repeat_contact) as repeat_contact_k,
        count(distinct customer_key) filter (where repeat_contact) as repeat_contact_customers,
        count(switched) as channel_switch_n,
        count_if(switched) as channel_switch_k,
        count(distinct customer_key) filter (where switched) as channel_switch_customers,
        count(distinct customer_key) as customers,
        quantile_cont(wait_seconds, [0.5, 0.9]) as wait_quantiles
    from visits_in
    group by segment, touchpoint
)

select * from final
