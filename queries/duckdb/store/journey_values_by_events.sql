-- journey_values_by_events: each journey's most common value of an event attribute, ties to the
--   first in sort order (so it never varies); events carry their journey (journeys from the journey column).
-- grain:  one row per journey with a value: journey_key, segment
-- input:  events
-- params: {{segment}} the event attribute
with

counted as (
    select e.journey_key as journey_key, cast(e.{{segment}} as varchar) as v, count(*) as n
    from events as e
    where e.{{segment}} is not null
    group by all
),

final as (
    -- the smallest (-count, value): a plain min() per journey, cheaper than an ordered aggregate
    select journey_key, min({'n': -n, 'v': v}).v as segment
    from counted
    group by journey_key
)

select * from final
