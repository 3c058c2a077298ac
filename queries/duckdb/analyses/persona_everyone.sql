-- persona_everyone: a persona with no condition holds every customer with events.
-- grain:  one row per customer: customer_key
-- input:  events
-- params: none
select distinct customer_key from events
