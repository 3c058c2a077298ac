-- unit_totals: how many units there are, and how many of them show the effect.
-- grain:  one row
-- input:  cause_units
-- params: none
select count(*), coalesce(count_if(effect), 0) from cause_units
