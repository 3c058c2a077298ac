-- journey_outcomes: the outcomes of each journey that friction and causes are measured against.
-- grain:  one row per journey
-- input:  journeys, survey_links, surveys, customer_flags (customer_key, churned)
-- params: $goals  touchpoints that mean the customer got what they came for
-- reached_goal: the journey visits a goal. csat: mean CSAT (1-5) of the responses linked to the
-- journey; low_csat: one of them is 1 or 2. nps is the customer's latest NPS (0-10), detractor
-- when it is 0-6; churned comes from the customer list. Unknown stays null.
with

journeys_in as (
    select journey_key, customer_key, path, start_ts from journeys
),

csat as (
    select
        l.journey_key,
        avg(s.score) as csat,
        bool_or(s.score <= 2) as low_csat,
        count(*) as csat_responses
    from survey_links as l
    inner join surveys as s on s.row_no = l.survey_row
    where s.kind = 'csat'
    group by l.journey_key
),

nps as (
    select customer_key, arg_max(score, ts) as nps
    from surveys
    where kind = 'nps' and customer_key is not null
    group by customer_key
),

final as (
    select
        j.journey_key,
        j.customer_key,
        list_has_any(cast(j.path as varchar[]), $goals) as reached_goal,
        c.csat,
        c.low_csat,
        n.nps,
        n.nps <= 6 as detractor,
        f.churned
    from journeys_in as j
    left join csat as c on j.journey_key = c.journey_key
    left join nps as n on j.customer_key = n.customer_key
    left join customer_flags as f on j.customer_key = f.customer_key
)

select * from final
