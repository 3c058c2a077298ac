-- unsegmented_moves: every row of visit_moves in the one segment 'all' (a ranking not split by segment).
-- grain:  one row per row of visit_moves: segment, then its columns
-- input:  visit_moves
-- params: none
select 'all' as segment, x.*
from visit_moves as x
