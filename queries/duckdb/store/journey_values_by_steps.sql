-- journey_values_by_steps: each journey's most common value of an event attribute, ties to the
--   first in sort order (so it never varies); each step's event gives its value (journeys split otherwise).
-- grain:  one row per journey with a value: journey_key, segment
-- input:  steps, events
-- params: {{segment}} the event attribute
with

counted as (
    select s.journey_key as journey_key, cast(e.{{segment}} as varchar) as v, count(*) as n
    from steps as s inner join events as e on s.row_no = e.row_no
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
