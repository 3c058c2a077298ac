-- log_weeks: how many weeks the journeys' steps span (a log shorter than eight weeks is read
--   day by day).
-- grain:  one row: weeks
-- input:  steps
-- params: none
select epoch(max(ts) - min(ts)) / 604800 as weeks
from steps
