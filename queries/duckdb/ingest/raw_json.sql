-- raw_json: the table raw_input holding the records of a JSON or NDJSON file; a record the
--           reader cannot parse comes back with every column NULL.
-- grain:  one row per record, in file order
-- input:  the file at $path
-- params: $path the file; $format 'auto' or 'newline_delimited'; $limit rows at most (NULL: all)
create or replace table raw_input as
select * from read_json($path, format = $format, ignore_errors = true)
limit $limit
