-- weekly_signals: each touchpoint's friction signals week by week (for when a friction began
-- and ended).
-- grain:  one row per week and touchpoint
-- input:  visits
-- params: none
with

visits_in as (
    select * from visits
),

final as (
    select
        week,
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
    group by week, touchpoint
)

select * from final
order by touchpoint, week
