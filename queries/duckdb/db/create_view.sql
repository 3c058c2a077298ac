-- create_view: a view over a query, replacing any view of the same name.
-- grain:  the query's
-- input:  what the query reads
-- params: {{target}} the view; {{> query}} the text of the query (values inlined: a view holds
--         no bound values)
create or replace view {{target}} as
{{> query}}
