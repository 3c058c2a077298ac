-- reach_counts: the journeys that reach each touchpoint, period by period, and how many of them
--   reached no goal after it or came back to it.
-- grain:  one row per source and period: journeys, converting (journeys whose conversion is
--         known), not_converted, retried
-- input:  reaches
-- params: none
select
    source,
    period,
    count(*) as journeys,
    count(not_converted) as converting,
    count_if(not_converted) as not_converted,
    count_if(retried) as retried
from reaches
group by all
