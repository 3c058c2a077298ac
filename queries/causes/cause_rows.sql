-- cause_rows: the events (rows) each cause unit is about, to read its attributes from.
-- grain:  one row per unit and event
-- input:  cause_units, steps
-- params: $by_journey   units are journeys (their unit is the journey key): all their steps
--         $by_customer  units are customers (their unit is the customer key): all their steps
--         (neither: units are single events; their unit is the event's row number)
with

by_event as (
    select unit, unit as row_no from cause_units
    where not $by_journey and not $by_customer
),

by_journey as (
    select u.unit, s.row_no
    from cause_units as u
    inner join steps as s on s.journey_key = u.unit
    where $by_journey
),

by_customer as (
    select u.unit, s.row_no
    from cause_units as u
    inner join steps as s on s.customer_key = u.unit
    where $by_customer
),

final as (
    select * from by_event
    union all
    select * from by_journey
    union all
    select * from by_customer
)

select * from final
