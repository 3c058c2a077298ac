-- responses: every survey response of a known customer, with what it rates.
-- grain:  one row per survey response whose customer has events
-- input:  surveys, interaction_events (row_no, interaction_id), survey_links
-- params: none
-- level: 'touchpoint' for a response about one interaction (it names the interaction or the
-- touchpoint), 'journey' for a CSAT about a whole journey, 'customer' for NPS.
with

surveys_in as (
    select row_no, customer_key, interaction_id, touchpoint, kind, score, ts
    from surveys
    where customer_key is not null
),

final as (
    select
        s.row_no as survey_row,
        s.customer_key,
        s.kind,
        s.score,
        s.ts,
        case
            when s.kind = 'nps' then 'customer'
            when s.interaction_id is not null or s.touchpoint is not null then 'touchpoint'
            else 'journey'
        end as level,
        i.row_no as event_row,
        l.journey_key
    from surveys_in as s
    left join interaction_events as i on s.interaction_id = i.interaction_id
    left join survey_links as l on s.row_no = l.survey_row
)

select * from final
