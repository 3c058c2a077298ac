-- nps_responses: how many NPS responses the surveys hold.
-- grain:  one row
-- input:  surveys
-- params: none
select count(*) from surveys where kind = 'nps'
