-- no_customer_flags: no churn flags, for a log loaded without a customer list.
-- grain:  no rows: customer_key, churned
-- input:  none
-- params: none
select cast(null as integer) as customer_key, cast(null as boolean) as churned
where false
