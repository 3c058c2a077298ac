-- heading_to: touchpoints whose journeys usually go on to reach a given touchpoint (the
-- journeys that visit one of them are "heading to" it).
-- grain:  one row per such touchpoint
-- input:  journeys
-- params: $touchpoint  the destination
--         $share       how often journeys through a touchpoint must reach the destination
with

journeys_in as (
    select cast(path as varchar[]) as path from journeys
),

visits as (
    select unnest(list_distinct(path)) as touchpoint, list_contains(path, $touchpoint) as reaches
    from journeys_in
),

final as (
    select touchpoint, count(*) as journeys, avg(reaches::int) as reach_share
    from visits
    where touchpoint <> $touchpoint
    group by touchpoint
)

select * from final
where reach_share >= $share
order by touchpoint
