-- moves: every step's move, with its period and whether it was slow. A journey's last step moves
--   to '(end)' when the journey reached no goal (a drop-off there) and to '(done)' when it did.
-- grain:  one row per step: row_no, journey_key, source, target, period, seconds, slow
-- input:  steps, journey_outcomes
-- params: $daily  periods are days (a log too short for weeks) rather than weeks
-- A move is slow when it took longer than three in four moves between the same two touchpoints
-- usually do (the upper quartile over the whole log).
with

steps_in as (
    select s.row_no, s.journey_key, s.touchpoint, s.next_touchpoint, s.ts, s.dwell_seconds,
        o.reached_goal
    from steps as s
    inner join journey_outcomes as o on s.journey_key = o.journey_key
),

moved as (
    select
        row_no,
        journey_key,
        cast(touchpoint as varchar) as source,
        case
            when next_touchpoint is not null then cast(next_touchpoint as varchar)
            when reached_goal then '(done)'
            else '(end)'
        end as target,
        case when $daily then date_trunc('day', ts) else date_trunc('week', ts) end as period,
        dwell_seconds as seconds
    from steps_in
),

final as (
    select
        *,
        seconds > quantile_cont(seconds, 0.75) over (partition by source, target) as slow
    from moved
)

select * from final
