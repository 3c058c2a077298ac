-- reaches: every touchpoint each journey reaches, with what happened after it first did: the
--   journey reached no goal later (not_converted), or came back to the touchpoint (retried).
-- grain:  one row per journey and touchpoint: journey_key, source, row_no and step (its first
--         visit), period, not_converted (null when no goal is known, or at a goal itself), retried
-- input:  steps
-- params: $daily      periods are days (a log too short for weeks) rather than weeks
--         $has_goals  goals are known (without them conversion is not known)
--         $goals      the goal touchpoints
with

steps_in as (
    select journey_key, cast(touchpoint as varchar) as touchpoint, step, row_no, ts
    from steps
),

goal_steps as (
    select journey_key, max(step) as last_goal_step
    from steps_in
    where $has_goals and list_contains($goals, touchpoint)
    group by journey_key
),

reached as (
    select
        journey_key,
        touchpoint as source,
        min(step) as first_step,
        arg_min(row_no, step) as row_no,
        min(ts) as ts,
        count(*) > 1 as retried
    from steps_in
    group by journey_key, touchpoint
),

final as (
    select
        r.journey_key,
        r.source,
        r.row_no,
        r.first_step as step,
        case when $daily then date_trunc('day', r.ts) else date_trunc('week', r.ts) end as period,
        case
            when $has_goals and not list_contains($goals, r.source)
                then coalesce(g.last_goal_step, 0) <= r.first_step
        end as not_converted,
        r.retried
    from reached as r
    left join goal_steps as g on r.journey_key = g.journey_key
)

select * from final
