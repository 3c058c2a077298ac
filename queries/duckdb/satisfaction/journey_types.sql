-- journey_types: each journey's type, from the attribute that says it (its segment value).
-- grain:  one row per journey with a value: journey_key, journey_type
-- input:  segment_values (journey_key, segment)
-- params: none
select journey_key, segment as journey_type
from segment_values
