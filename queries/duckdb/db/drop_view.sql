-- drop_view: drops a view, if there is one of that name.
-- grain:  none (a statement)
-- input:  none
-- params: {{view}} the view
drop view if exists {{view}}
