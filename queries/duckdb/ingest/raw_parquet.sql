-- raw_parquet: the table raw_input holding the first rows of a Parquet file.
-- grain:  one row per source row, in source order
-- input:  the file at $path
-- params: $path the file; $limit how many rows at most (NULL: all)
create or replace table raw_input as select * from read_parquet($path) limit $limit
