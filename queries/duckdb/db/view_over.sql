-- view_over: a temp view under another name over every row of a relation.
-- grain:  the relation's
-- input:  {{relation}}
-- params: {{view}} the view; {{relation}} the relation (a tuple of names when qualified)
create or replace temp view {{view}} as select * from {{relation}}
