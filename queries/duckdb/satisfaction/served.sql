-- served: the customers each team (or agent, or any event attribute) served in a contact.
-- grain:  one row per contact with a value: customer_key, grp
-- input:  kpi_contacts, events
-- params: {{attribute}} the event attribute that names who served
with

final as (
    select c.customer_key, cast(e.{{attribute}} as varchar) as grp
    from kpi_contacts as c
    inner join events as e on c.row_no = e.row_no
    where e.{{attribute}} is not null
)

select * from final
