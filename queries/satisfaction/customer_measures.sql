-- customer_measures: per customer, the journey-level and the touchpoint-level measures of their
-- experience, and the outcomes they might predict.
-- grain:  one row per customer with at least one journey
-- input:  journeys, journey_outcomes, visits, kpi_responses, customer_values (customer_key,
--         churned, revenue)
-- params: none
-- Journey level: how hard the journeys were (contacts, duration, channel switches, loops,
-- repeat contacts, waiting), whether they reached a goal, and journey CSAT where asked.
-- Touchpoint level: the CSAT and CES of single interactions (mean, last, worst). NPS is the
-- customer's latest answer.
with

effort as (
    select
        journey_key,
        count(*) filter (where is_contact) as contacts,
        count_if(repeat_contact) as repeat_contacts,
        coalesce(sum(wait_seconds), 0) as wait_seconds
    from visits
    group by journey_key
),

journeys_in as (
    select
        j.customer_key,
        j.duration_seconds,
        j.channel_switches,
        j.loops,
        o.reached_goal,
        e.contacts,
        e.repeat_contacts,
        e.wait_seconds
    from journeys as j
    inner join journey_outcomes as o on j.journey_key = o.journey_key
    inner join effort as e on j.journey_key = e.journey_key
),

journey_level as (
    select
        customer_key,
        count(*) as journeys,
        avg(contacts) as contacts_per_journey,
        sum(contacts) as contacts,
        avg(duration_seconds) / 3600 as hours_per_journey,
        avg(channel_switches) as switches_per_journey,
        avg(loops) as loops_per_journey,
        sum(repeat_contacts) as repeat_contacts,
        sum(wait_seconds) / 60 as minutes_waiting,
        avg(reached_goal::int) as goal_share
    from journeys_in
    group by customer_key
),

answers as (
    select
        customer_key,
        avg(score) filter (where kind = 'csat' and level = 'journey') as journey_csat,
        count(*) filter (where kind = 'csat' and level = 'touchpoint') as csat_answers,
        avg(score) filter (where kind = 'csat' and level = 'touchpoint') as csat_mean,
        arg_max(score, ts) filter (where kind = 'csat' and level = 'touchpoint') as csat_last,
        min(score) filter (where kind = 'csat' and level = 'touchpoint') as csat_worst,
        avg(score) filter (where kind = 'ces') as ces_mean,
        arg_max(score, ts) filter (where kind = 'ces') as ces_last,
        min(score) filter (where kind = 'ces') as ces_worst,
        arg_max(score, ts) filter (where kind = 'nps') as nps
    from kpi_responses
    group by customer_key
),

final as (
    select
        l.*,
        a.journey_csat,
        coalesce(a.csat_answers, 0) as csat_answers,
        a.csat_mean,
        a.csat_last,
        a.csat_worst,
        a.ces_mean,
        a.ces_last,
        a.ces_worst,
        a.nps,
        a.nps <= 6 as detractor,
        v.churned,
        v.revenue
    from journey_level as l
    left join answers as a on l.customer_key = a.customer_key
    left join customer_values as v on l.customer_key = v.customer_key
)

select * from final
