-- journey_units: the journeys an effect is measured on, and whether each shows it.
-- grain:  one row per journey in the effect's population
-- input:  journeys, journey_outcomes, visits
-- params: $effect       no_goal, not_reached, has, low_csat, dropoff or loop
--         $touchpoint   the touchpoint of no_goal:, not_reached:, has: and dropoff effects
--         $source       the transition of a loop effect, from ...
--         $target       ... to
--         $heading      touchpoints whose journeys usually reach $touchpoint (for no_goal: the
--                       journeys that visit one of them are the ones heading to it)
--         $period_from  the first moment counted: journeys that start at or after it (null:
--                       from the start of the log)
--         $period_to    the moment counting stops: journeys that start before it (null: to the
--                       end of the log)
with

journeys_in as (
    select journey_key, customer_key, start_ts, cast(path as varchar[]) as path from journeys
),

moves as (
    select journey_key, count(*) as times
    from visits
    where cast(touchpoint as varchar) = $source and cast(next_touchpoint as varchar) = $target
    group by journey_key
),

dropped as (
    select distinct journey_key
    from visits
    where dropped and cast(touchpoint as varchar) = $touchpoint
),

flagged as (
    select
        j.journey_key,
        j.customer_key,
        j.start_ts,
        case $effect
            when 'no_goal' then list_has_any(j.path, $heading)
            when 'not_reached' then true
            when 'has' then true
            when 'low_csat' then o.low_csat is not null
            when 'dropoff' then list_contains(j.path, $touchpoint)
            when 'loop' then m.times is not null
        end as in_population,
        case $effect
            when 'no_goal' then not list_contains(j.path, $touchpoint)
            when 'not_reached' then not list_contains(j.path, $touchpoint)
            when 'has' then list_contains(j.path, $touchpoint)
            when 'low_csat' then o.low_csat
            when 'dropoff' then d.journey_key is not null
            when 'loop' then coalesce(m.times >= 2, false)
        end as effect
    from journeys_in as j
    inner join journey_outcomes as o on j.journey_key = o.journey_key
    left join moves as m on j.journey_key = m.journey_key
    left join dropped as d on j.journey_key = d.journey_key
),

final as (
    select journey_key as unit, journey_key, customer_key, start_ts as ts, effect
    from flagged
    where
        in_population
        and ($period_from is null or start_ts >= $period_from)
        and ($period_to is null or start_ts < $period_to)
)

select * from final
