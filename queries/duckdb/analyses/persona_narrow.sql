-- persona_narrow: keep only the persona's members that also meet the next condition.
-- grain:  (a statement: persona_members loses the customers not in persona_condition)
-- input:  persona_members, persona_condition
-- params: none
delete from persona_members
where customer_key not in (select customer_key from persona_condition)
