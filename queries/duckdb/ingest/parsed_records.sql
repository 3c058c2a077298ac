-- parsed_records: raw_input again without the records the JSON reader could not parse.
-- grain:  one row per parsed record, in file order
-- input:  raw_input
-- params: $unparsed the 1-based positions of the records to leave out
create or replace table raw_input as
select * from raw_input
where not list_contains($unparsed, rowid + 1)
order by rowid
