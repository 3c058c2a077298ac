-- model_totals: how many journeys, customers and events a journey model holds.
-- grain:  one row
-- input:  journeys, touchpoints
-- params: none
select
    (select count(*) from journeys) as journeys,
    (select count(distinct customer_key) from journeys) as customers,
    (select sum(events) from touchpoints) as events
