-- persona_size: how many customers a persona holds.
-- grain:  one row
-- input:  persona_members
-- params: none
select count(*) from persona_members
