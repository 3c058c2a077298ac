-- attribute_counts: for each text column named, how many values it holds and how many of them
--                   read as whole numbers, numbers, true/false and codes with leading zeros.
-- grain:  one row: the counts of each kind for every column in turn (values, whole numbers,
--         numbers, true/false, leading zeros), each kind in the order the columns are named
-- input:  raw_input
-- params: $columns the text columns (a list, never empty)
with

trimmed as (
    select nullif(trim(columns($columns)), '') from raw_input
)

select
    count(columns(*)),
    -- DuckDB casts '28.71' to the integer 29: whole numbers must look whole
    count(
        case when regexp_matches(columns(*), '^[+-]?[0-9]+$') then try_cast(columns(*) as bigint) end
    ),
    count(try_cast(columns(*) as double)),
    count(case when lower(columns(*)) in ('true', 'false', 'yes', 'no') then 1 end),
    count(case when regexp_matches(columns(*), '^[+-]?0[0-9]') then 1 end)
from trimmed
