-- persona_surveys: the survey answers of a persona's customers, as a loader reads them again.
-- grain:  one row per survey answer, in source order
-- input:  surveys, persona_members
-- params: none
select * exclude (row_no, customer_key)
from surveys
where customer_key in (select customer_key from persona_members)
order by row_no
