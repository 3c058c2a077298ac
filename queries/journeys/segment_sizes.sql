-- segment_sizes: how many journeys have each value of an attribute.
-- grain:  one row per value
-- input:  segment_values (journey_key, segment)
-- params: none
with

final as (
    select segment, count(*) as journeys
    from segment_values
    where segment is not null
    group by segment
)

select * from final
order by segment
