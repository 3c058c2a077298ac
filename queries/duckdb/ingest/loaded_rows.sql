-- loaded_rows: how many rows a survey or customer table holds, and how many of them belong to
--              a customer with no events in the log.
-- grain:  one row
-- input:  {{table}}
-- params: {{table}} the table (surveys or customers)
select count(*), count(*) filter (where customer_key is null) from {{table}}
