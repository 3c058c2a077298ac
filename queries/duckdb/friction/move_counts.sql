-- move_counts: how many moves went from each touchpoint to each other, period by period.
-- grain:  one row per source, target and period: moves, slow (those slower than usual)
-- input:  moves
-- params: none
select source, target, period, count(*) as moves, count_if(slow) as slow
from moves
group by all
