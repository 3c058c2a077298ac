-- drop_table: drops a table, if there is one of that name.
-- grain:  none (a statement)
-- input:  none
-- params: {{table}} the table (a tuple of names when schema-qualified)
drop table if exists {{table}}
