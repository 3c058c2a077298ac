-- reason_units: the journeys a reason effect is measured on (those whose customers wrote a
-- text that was grouped into a reason), and whether each shows it (a text grouped into the
-- reason chosen).
-- grain:  one row per journey with a grouped text
-- input:  journeys
-- params: $journey_key  the journey of each grouped text (repeats allowed)
--         $in_reason    whether that text is in the reason chosen, in the same order
--         $period_from  the first moment counted: journeys that start at or after it (null:
--                       from the start of the log)
--         $period_to    the moment counting stops: journeys that start before it (null: to the
--                       end of the log)
with

texts as (
    select unnest($journey_key) as journey_key, unnest($in_reason) as in_reason
),

per_journey as (
    select journey_key, bool_or(in_reason) as effect
    from texts
    group by journey_key
),

final as (
    select j.journey_key as unit, j.journey_key, j.customer_key, j.start_ts as ts, p.effect
    from per_journey as p
    inner join journeys as j on p.journey_key = j.journey_key
    where
        ($period_from is null or j.start_ts >= $period_from)
        and ($period_to is null or j.start_ts < $period_to)
)

select * from final
