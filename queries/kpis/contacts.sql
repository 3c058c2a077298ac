-- contacts: every contact (a step a person handled) with what the contact-centre KPIs need.
-- grain:  one row per contact
-- input:  visits
-- params: none
-- fcr (first-contact resolution) is set on a journey's first contact only: resolved (or not
-- marked unresolved), not transferred, and no other contact followed within the repeat window.
with

contacts_in as (
    select
        row_no, journey_key, customer_key, ts, channel, transferred, unresolved,
        repeat_contact, step
    from visits
    where is_contact
),

ordered as (
    select *, row_number() over (partition by journey_key order by step) as contact_no
    from contacts_in
),

final as (
    select
        row_no,
        journey_key,
        customer_key,
        ts,
        channel,
        transferred,
        unresolved,
        repeat_contact,
        case
            when contact_no = 1 then
                not coalesce(transferred, false)
                and not coalesce(unresolved, false)
                and not coalesce(repeat_contact, false)
        end as fcr
    from ordered
)

select * from final
