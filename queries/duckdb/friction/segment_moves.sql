-- segment_moves: every row of visit_moves with its journey's segment ('(none)' when it has no value).
-- grain:  one row per row of visit_moves: segment, then its columns
-- input:  visit_moves, segment_values (journey_key, segment)
-- params: none
select coalesce(sv.segment, '(none)') as segment, x.*
from visit_moves as x
left join segment_values as sv on x.journey_key = sv.journey_key
