-- create_temp_table: a temp table (this connection's or cursor's alone) holding the rows of a
--                    query, replacing any of the same name.
-- grain:  the query's
-- input:  what the query reads
-- params: {{target}} the table; {{> query}} the text of the query
create or replace temp table {{target}} as
{{> query}}
