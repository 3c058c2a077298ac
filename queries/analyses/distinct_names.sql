-- distinct_names: the different values of one column of the events, such as its channels.
-- grain:  one row per value (nulls left out), sorted
-- input:  events
-- params: {{column}} the column (channel, touchpoint)
with

final as (
    select distinct cast({{column}} as varchar) as name
    from events
    where {{column}} is not null
)

select * from final
order by name
