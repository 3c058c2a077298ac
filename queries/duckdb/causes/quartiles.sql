-- quartiles: the quartiles of a numeric attribute and how many values it takes, to band it.
-- grain:  one row: quartiles (list of three), distinct_values
-- input:  {{relation}}
-- params: {{relation}} the table, {{attribute}} its numeric column
select
    quantile_cont({{attribute}}, [0.25, 0.5, 0.75]) as quartiles,
    count(distinct {{attribute}}) as distinct_values
from {{relation}}
