-- segment_visits: every row of visits with its journey's segment ('(none)' when it has no value).
-- grain:  one row per row of visits: segment, then its columns
-- input:  visits, segment_values (journey_key, segment)
-- params: none
select coalesce(sv.segment, '(none)') as segment, x.*
from visits as x
left join segment_values as sv on x.journey_key = sv.journey_key
