-- time_sample: the first non-empty values of a time column, as trimmed text.
-- grain:  one row per sampled value
-- input:  {{relation}}
-- params: {{relation}} the source; {{column}} the time column; $rows how many at most
select v from (select trim(cast({{column}} as varchar)) as v from {{relation}})
where v is not null and v <> ''
limit $rows
