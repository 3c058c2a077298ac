-- all_rows: every row of a relation, as it is.
-- grain:  the relation's
-- input:  {{relation}}
-- params: {{relation}} the relation (a tuple of names when schema-qualified)
select * from {{relation}}
