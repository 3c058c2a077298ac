-- journey_keys: a small integer for every journey (case, ticket, session) id.
-- grain:  one row per distinct journey id in the source (rejected rows included; harmless)
-- input:  mapped_rows
-- params: none
with

ids as (
    select distinct journey_id from mapped_rows where journey_id is not null
),

final as (
    select
        journey_id,
        cast(row_number() over (order by journey_id) as bigint) as journey_key
    from ids
)

select * from final
