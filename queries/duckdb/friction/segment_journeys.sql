-- segment_journeys: every journey with its segment ('(none)' when it has no value).
-- grain:  one row per journey: journey_key, segment
-- input:  journeys, segment_values (journey_key, segment)
-- params: none
select j.journey_key, coalesce(sv.segment, '(none)') as segment
from journeys as j
left join segment_values as sv on j.journey_key = sv.journey_key
