-- one_journey_type: every journey of one type, '(all)' (no attribute says a journey's type).
-- grain:  one row per journey: journey_key, journey_type
-- input:  journeys
-- params: none
select journey_key, '(all)' as journey_type
from journeys
