-- create_table: a table holding the rows of a query, replacing any table of the same name.
-- grain:  the query's
-- input:  what the query reads
-- params: {{target}} the table (a tuple of names when schema-qualified);
--         {{> query}} the text of the query (a file under queries/, or a loader's own)
create or replace table {{target}} as
{{> query}}
