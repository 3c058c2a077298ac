-- visit_units: the contacts and steps on which a visit-level friction signal can be seen, and
-- whether it was (the effect a fishbone explains).
-- grain:  one row per step (at the point) where the signal is known
-- input:  visits
-- params: $signal       long_wait, transfer, unresolved, abandoned, repeat_contact or channel_switch
--         $touchpoint   the point: only its contacts and steps are counted (what goes with long
--                       waits *at* the billing line, not which line waits long: that is the
--                       friction ranking's answer, and the fishbone would only restate it);
--                       null: every point
--         $period_from  the first moment counted: a contact or step at or after it (null: from
--                       the start of the log)
--         $period_to    the moment counting stops: a contact or step before it (null: to the
--                       end of the log)
with

visits_in as (
    select * from visits
),

chosen as (
    select
        row_no,
        journey_key,
        customer_key,
        ts,
        cast(touchpoint as varchar) as touchpoint,
        case $signal
            when 'long_wait' then long_wait
            when 'transfer' then transferred
            when 'unresolved' then unresolved
            when 'abandoned' then abandoned
            when 'repeat_contact' then repeat_contact
            when 'channel_switch' then switched
        end as effect
    from visits_in
),

final as (
    select row_no as unit, row_no, journey_key, customer_key, ts, touchpoint, effect
    from chosen
    where
        effect is not null
        and ($touchpoint is null or touchpoint = $touchpoint)
        and ($period_from is null or ts >= $period_from)
        and ($period_to is null or ts < $period_to)
)

select * from final
