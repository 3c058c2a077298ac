-- drop_column: a column taken out of a table the loader made.
-- grain:  the table's
-- input:  {{table}}
-- params: {{table}} the table; {{column}} the column
alter table {{table}} drop column {{column}}
