-- journey_ratings: each journey rated as a whole (journey CSAT), with its type and the
-- touchpoints it visited, to find the touchpoints that drag journey satisfaction down.
-- grain:  one row per (rated journey, touchpoint it visited)
-- input:  journeys, kpi_responses, journey_types (journey_key, journey_type)
-- params: none
with

ratings as (
    select journey_key, avg(score) as journey_csat
    from kpi_responses
    where kind = 'csat' and level = 'journey' and journey_key is not null
    group by journey_key
),

visited as (
    select journey_key, unnest(list_distinct(cast(path as varchar[]))) as touchpoint
    from journeys
),

final as (
    select
        r.journey_key,
        coalesce(t.journey_type, '(all)') as journey_type,
        v.touchpoint,
        r.journey_csat
    from ratings as r
    inner join visited as v on r.journey_key = v.journey_key
    left join journey_types as t on r.journey_key = t.journey_key
)

select * from final
