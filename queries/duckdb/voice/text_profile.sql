-- text_profile: how one event attribute's values look, to tell free text from codes and
-- numbers: how many are set, how many differ, their median length and how many read as numbers.
-- grain:  one row
-- input:  events
-- params: {{column}} the event attribute
with

vals as (
    select cast({{column}} as varchar) as v from events where {{column}} is not null
),

final as (
    select
        count(*) as n,
        count(distinct v) as distinct_values,
        coalesce(median(length(trim(v))), 0) as median_length,
        count(*) filter (where try_cast(trim(v) as double) is not null) as numeric_values
    from vals
)

select * from final
