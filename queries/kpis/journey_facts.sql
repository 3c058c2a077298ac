-- journey_facts: per journey, what the KPIs of any event log need: its group, its customer,
-- its steps and duration, the goals it reached (sorted) and how long after its start it first
-- reached one.
-- grain:  one row per journey
-- input:  journeys, steps, events
-- params: $goals      touchpoints that mean the customer got what they came for
--         $split      'all', 'month', 'week' (when the journey started) or 'value' (the value
--                     of {{attribute}} at the journey's first step)
--         {{attribute}} the event column a 'value' split reads (any column otherwise)
with

journeys_in as (
    select journey_key, customer_key, length, start_ts, duration_seconds from journeys
),

first_steps as (
    select journey_key, row_no from steps where step = 1
),

goal_steps as (
    select
        journey_key,
        min(ts) as goal_ts,
        list_sort(list(distinct cast(touchpoint as varchar))) as goals_reached
    from steps
    where list_contains($goals, cast(touchpoint as varchar))
    group by journey_key
),

final as (
    select
        case $split
            when 'month' then strftime(j.start_ts, '%Y-%m')
            when 'week' then strftime(j.start_ts, '%G-W%V')
            when 'value' then coalesce(cast(e.{{attribute}} as varchar), '(none)')
            else 'all'
        end as grp,
        j.customer_key,
        j.length as steps,
        j.duration_seconds,
        coalesce(g.goals_reached, []) as goals_reached,
        epoch(g.goal_ts - j.start_ts) as seconds_to_goal
    from journeys_in as j
    left join first_steps as f on j.journey_key = f.journey_key
    left join events as e on f.row_no = e.row_no
    left join goal_steps as g on j.journey_key = g.journey_key
)

select * from final
