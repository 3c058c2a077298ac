-- link_rules: how many survey responses each rule tied to a journey, most first.
-- grain:  one row per rule
-- input:  survey_links
-- params: none
select rule, count(*) from survey_links group by rule order by 2 desc
