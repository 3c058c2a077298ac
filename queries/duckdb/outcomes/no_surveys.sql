-- no_surveys: an empty stand-in for the surveys, for a log loaded without them.
-- grain:  no rows: the columns of the loaded surveys table
-- input:  none
-- params: none
select
    cast(null as bigint) as row_no,
    cast(null as integer) as customer_key,
    cast(null as varchar) as journey_id,
    cast(null as varchar) as interaction_id,
    cast(null as varchar) as touchpoint,
    cast(null as varchar) as kind,
    cast(null as double) as score,
    cast(null as timestamp) as ts
where false
