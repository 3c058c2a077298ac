-- survey_texts: every survey comment with what it is linked to: the customer, the journey the
-- response is about, the touchpoint and channel it rates, its time and the score given with it;
-- event_row is the event it rates, when it names one (interaction_id).
-- grain:  one row per survey response with a comment (empty ones included, to be counted)
-- input:  surveys, interaction_events (row_no, interaction_id), survey_links, steps,
--         journey_labels
-- params: none
with

comments as (
    select row_no, customer_id, interaction_id, touchpoint, kind, score, ts, comment
    from surveys
    where comment is not null
),

final as (
    select
        'survey comment' as source,
        c.row_no as source_row,
        c.customer_id as customer,
        j.journey,
        coalesce(c.touchpoint, cast(s.touchpoint as varchar)) as touchpoint,
        cast(s.channel as varchar) as channel,
        c.ts,
        c.kind,
        c.score,
        c.comment as text,
        i.row_no as event_row
    from comments as c
    left join interaction_events as i on c.interaction_id = i.interaction_id
    left join steps as s on i.row_no = s.row_no
    left join survey_links as l on c.row_no = l.survey_row
    left join journey_labels as j on coalesce(s.journey_key, l.journey_key) = j.journey_key
)

select * from final order by source_row
