-- unsegmented_visits: every row of visits in the one segment 'all' (a ranking not split by segment).
-- grain:  one row per row of visits: segment, then its columns
-- input:  visits
-- params: none
select 'all' as segment, x.*
from visits as x
