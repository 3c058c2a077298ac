-- create_temp_view: a temp view (this connection's or cursor's alone) over a query, replacing
--                   any of the same name.
-- grain:  the query's
-- input:  what the query reads
-- params: {{target}} the view; {{> query}} the text of the query (values inlined: a view holds
--         no bound values)
create or replace temp view {{target}} as
{{> query}}
