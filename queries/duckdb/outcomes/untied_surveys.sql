-- untied_surveys: how many responses other than NPS no rule tied to a journey.
-- grain:  one row
-- input:  surveys, survey_links
-- params: none
select count(*)
from surveys
where kind <> 'nps' and row_no not in (select survey_row from survey_links)
