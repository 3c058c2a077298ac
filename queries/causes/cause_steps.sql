-- cause_steps: the steps each cause unit is about, with the unit's effect; the attributes of a
--          step's event are read from `events` by its row number.
-- grain:  one row per unit and step
-- input:  cause_units, steps
-- params: $by_journey   units are journeys (their unit is the journey key): all their steps
--         $by_customer  units are customers (their unit is the customer key): all their steps
--         (neither: units are single events; their unit is the event's row number)
with

units_in as (
    select unit, effect from cause_units
),

by_event as (
    select u.unit, u.effect, s.row_no, s.touchpoint, s.channel
    from units_in as u
    inner join steps as s on s.row_no = u.unit
    where not $by_journey and not $by_customer
),

by_journey as (
    select u.unit, u.effect, s.row_no, s.touchpoint, s.channel
    from units_in as u
    inner join steps as s on s.journey_key = u.unit
    where $by_journey
),

by_customer as (
    select u.unit, u.effect, s.row_no, s.touchpoint, s.channel
    from units_in as u
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
