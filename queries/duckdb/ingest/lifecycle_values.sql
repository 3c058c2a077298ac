-- lifecycle_values: how many events of the source hold each lifecycle transition.
-- grain:  one row per transition (lower case, trimmed; NULL for no value), most events first
-- input:  raw_input
-- params: {{column}} the lifecycle column
select
    nullif(lower(trim(cast({{column}} as varchar))), '') as transition,
    count(*) as events
from raw_input
group by all
order by events desc, transition
