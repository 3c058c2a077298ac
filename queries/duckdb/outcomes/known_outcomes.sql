-- known_outcomes: how many journeys have each survey or customer outcome known.
-- grain:  one row
-- input:  journey_outcomes
-- params: none
select count(low_csat), count(detractor), count(churned) from journey_outcomes
