-- contact_kpis: first-contact resolution, repeat contacts, resolution and feedback coverage
-- per group.
-- grain:  one row per group
-- input:  grouped_contacts (contacts with a column grp), grouped_events (every event with grp
--         and rated: a survey response rates it)
-- params: none
with

contacts_in as (
    select * from grouped_contacts
),

events_in as (
    select * from grouped_events
),

contact_counts as (
    select
        grp,
        count(*) as contacts,
        count(fcr) as fcr_n,
        count_if(fcr) as fcr_k,
        count(repeat_contact) as repeat_n,
        count_if(repeat_contact) as repeat_k,
        count(unresolved) as resolution_n,
        count_if(not unresolved) as resolution_k,
        count_if(rated) as contacts_rated
    from contacts_in
    group by grp
),

event_counts as (
    select grp, count(*) as interactions, count_if(rated) as interactions_rated
    from events_in
    group by grp
),

final as (
    select
        coalesce(e.grp, c.grp) as grp,
        coalesce(e.interactions, 0) as interactions,
        coalesce(e.interactions_rated, 0) as interactions_rated,
        coalesce(c.contacts, 0) as contacts,
        coalesce(c.contacts_rated, 0) as contacts_rated,
        coalesce(c.fcr_n, 0) as fcr_n,
        coalesce(c.fcr_k, 0) as fcr_k,
        coalesce(c.repeat_n, 0) as repeat_n,
        coalesce(c.repeat_k, 0) as repeat_k,
        coalesce(c.resolution_n, 0) as resolution_n,
        coalesce(c.resolution_k, 0) as resolution_k
    from event_counts as e
    full outer join contact_counts as c on e.grp = c.grp
)

select * from final
order by grp
