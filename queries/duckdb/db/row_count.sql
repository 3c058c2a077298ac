-- row_count: how many rows a relation holds.
-- grain:  one row
-- input:  {{relation}}
-- params: {{relation}} the table or view
select count(*) from {{relation}}
