-- all_journeys: every journey in one segment, 'all' (a ranking or a table not split by segment).
-- grain:  one row per journey: journey_key, segment
-- input:  journeys
-- params: none
select journey_key, 'all' as segment
from journeys
