-- non_ascii_rows: how many rows of raw_input hold a character beyond ASCII in any column.
-- grain:  one row
-- input:  raw_input (every column text)
-- params: none
select count(*) from raw_input
where regexp_matches(concat(*columns(*)), '[^\x00-\x7F]')
