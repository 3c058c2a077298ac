-- survey_links: each transactional or journey survey response tied to the journey it is about.
-- grain:  one row per linked response (NPS is about the customer, not a journey: not linked)
-- input:  surveys, journeys, journey_keys, steps, interaction_events (row_no, interaction_id)
-- params: $by_journey_id   true when journeys come from the journey column, so a survey's
--                          journey id can be matched directly
--         $window_seconds  otherwise a response belongs to the customer's latest journey that
--                          started before it and ended at most this long before it
-- rule says which link was used: journey id, interaction, or customer and time.
with

responses as (
    select row_no as survey_row, customer_key, journey_id, interaction_id, ts
    from surveys
    where customer_key is not null and kind <> 'nps'
),

by_journey as (
    select r.survey_row, k.journey_key, 'journey id' as rule
    from responses as r
    inner join journey_keys as k on r.journey_id = k.journey_id
    where $by_journey_id
),

by_interaction as (
    -- only the responses the journey id left unlinked look through the events (none when
    -- every response has its journey's id)
    select r.survey_row, s.journey_key, 'interaction' as rule
    from (
        select * from responses where survey_row not in (select survey_row from by_journey)
    ) as r
    inner join interaction_events as i on r.interaction_id = i.interaction_id
    inner join steps as s on s.row_no = i.row_no
),

unlinked as (
    select * from responses
    where survey_row not in (select survey_row from by_journey)
        and survey_row not in (select survey_row from by_interaction)
),

by_time as (
    select u.survey_row, j.journey_key, 'customer and time' as rule
    from unlinked as u
    asof inner join journeys as j
        on u.customer_key = j.customer_key and u.ts >= j.start_ts
    where epoch(u.ts - j.end_ts) <= $window_seconds
),

final as (
    select * from by_journey
    union all select * from by_interaction
    union all select * from by_time
)

select * from final
