-- touchpoints_by_count: every touchpoint as text, most frequent first (ties by name).
-- grain:  one row per touchpoint
-- input:  events
-- params: none
select cast(touchpoint as varchar) from events group by 1 order by count(*) desc, 1
