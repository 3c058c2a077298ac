-- raw_frame: the table raw_input holding a DataFrame or Arrow table registered as source_frame.
-- grain:  one row per source row, in source order
-- input:  source_frame
-- params: $limit how many rows at most (NULL: all)
create or replace table raw_input as select * from source_frame limit $limit
