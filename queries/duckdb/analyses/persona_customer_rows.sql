-- persona_customer_rows: the customer-list rows of a persona's customers, as a loader reads
--   them again.
-- grain:  one row per customer, in source order
-- input:  customers, persona_members
-- params: none
select * exclude (row_no, customer_key)
from customers
where customer_key in (select customer_key from persona_members)
order by row_no
