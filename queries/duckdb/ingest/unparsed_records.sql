-- unparsed_records: the records of raw_input the JSON reader could not parse (all NULL).
-- grain:  one row per such record: its 1-based position
-- input:  raw_input
-- params: none
select rowid + 1 from raw_input
where columns(*) is null  -- every column: DuckDB joins the expanded tests with "and"
order by 1
