-- drop_type: drops a type (an ENUM), if there is one of that name.
-- grain:  none (a statement)
-- input:  none
-- params: {{type}} the type
drop type if exists {{type}}
