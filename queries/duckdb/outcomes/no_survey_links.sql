-- no_survey_links: an empty survey_links, for a log loaded without surveys.
-- grain:  no rows: the columns of survey_links
-- input:  none
-- params: none
select
    cast(null as bigint) as survey_row,
    cast(null as bigint) as journey_key,
    cast(null as varchar) as rule
where false
