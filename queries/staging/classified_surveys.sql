-- classified_surveys: every survey response in canonical form, with the reason it is rejected.
-- grain:  one row per input row the reader could split into fields
-- input:  mapped_survey_rows (a view workbench.context builds over the source: row_no,
--         customer_id, journey_id, interaction_id, touchpoint, kind_raw, score_raw, time_raw,
--         ts, comment, then the attributes)
-- params: none
-- Kinds are normalised to nps (0-10), csat (1-5) and ces (1-7, 7 = very easy); a decimal comma
-- in scores is read as a point.
with

mapped as (
    select * from mapped_survey_rows
),

normalised as (
    select
        *,
        case
            when lower(kind_raw) in ('nps', 'net promoter', 'net promoter score', 'tnps',
                                     'rnps', 'recommend', 'likelihood to recommend') then 'nps'
            when lower(kind_raw) in ('csat', 'satisfaction', 'customer satisfaction', 'sat',
                                     'osat', 'tcsat', 'journey csat') then 'csat'
            when lower(kind_raw) in ('ces', 'effort', 'customer effort',
                                     'customer effort score') then 'ces'
        end as kind,
        try_cast(replace(score_raw, ',', '.') as double) as score
    from mapped
),

final as (
    select
        * exclude (kind_raw, score_raw),
        case
            when customer_id is null then 'customer id is empty'
            when kind_raw is null then 'survey kind is empty'
            when kind is null then 'unknown survey kind (expected nps, csat or ces)'
            when score_raw is null then 'score is empty'
            when score is null then 'score is not a number'
            when kind = 'nps' and (score < 0 or score > 10 or score <> round(score))
                then 'NPS score outside 0-10'
            when kind = 'csat' and (score < 1 or score > 5) then 'CSAT score outside 1-5'
            when kind = 'ces' and (score < 1 or score > 7) then 'CES score outside 1-7'
            when time_raw is null then 'time is empty'
            when ts is null then 'time not understood in the detected format'
        end as reject_reason,
        case
            when customer_id is null then 'customer'
            when kind is null then 'kind'
            when score is null
                or (kind = 'nps' and (score < 0 or score > 10 or score <> round(score)))
                or (kind = 'csat' and (score < 1 or score > 5))
                or (kind = 'ces' and (score < 1 or score > 7)) then 'score'
            when ts is null then 'time'
        end as reject_column,
        case
            when customer_id is null then null
            when kind is null then kind_raw
            when score is null
                or (kind = 'nps' and (score < 0 or score > 10 or score <> round(score)))
                or (kind = 'csat' and (score < 1 or score > 5))
                or (kind = 'ces' and (score < 1 or score > 7)) then score_raw
            when ts is null then time_raw
        end as reject_value
    from normalised
)

select * from final
