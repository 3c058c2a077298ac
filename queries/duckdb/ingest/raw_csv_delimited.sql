-- raw_csv_delimited: a delimited text file read as text, its delimiter given, the rows the reader could
--        not split recorded in reject_errors and reject_scans.
-- grain:  one row per data row, in file order
-- input:  the file at $path
-- params: {{table}} the table to fill; $path the file; $encoding its encoding; $delimiter the delimiter;
--         $limit rows at most (NULL: all)
create or replace table {{table}} as
select * from read_csv(
    $path,
    all_varchar = true,
    store_rejects = true,
    rejects_table = 'reject_errors',
    rejects_scan = 'reject_scans',
    encoding = $encoding, delim = $delimiter
)
limit $limit
