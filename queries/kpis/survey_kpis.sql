-- survey_kpis: NPS, CSAT and CES counts per group, for the KPI figures and their intervals.
-- grain:  one row per group
-- input:  grouped_responses (responses with a column grp)
-- params: none
-- NPS counts each customer's latest answer in the group; CSAT counts 4-5 as satisfied; CES
-- (1-7, 7 = very easy) counts 5-7 as easy.
with

responses_in as (
    select * from grouped_responses
),

latest_nps as (
    select grp, customer_key, arg_max(score, ts) as score
    from responses_in
    where kind = 'nps'
    group by grp, customer_key
),

nps as (
    select
        grp,
        count(*) as nps_n,
        count_if(score >= 9) as promoters,
        count_if(score <= 6) as detractors
    from latest_nps
    group by grp
),

scores as (
    select
        grp,
        count(*) filter (where kind = 'csat' and level = 'touchpoint') as csat_n,
        count(*) filter (where kind = 'csat' and level = 'touchpoint' and score >= 4)
            as csat_satisfied,
        count(*) filter (where kind = 'csat' and level = 'journey') as journey_csat_n,
        count(*) filter (where kind = 'csat' and level = 'journey' and score >= 4)
            as journey_csat_satisfied,
        count(*) filter (where kind = 'ces') as ces_n,
        avg(score) filter (where kind = 'ces') as ces_mean,
        stddev_samp(score) filter (where kind = 'ces') as ces_sd,
        count(*) filter (where kind = 'ces' and score >= 5) as ces_easy
    from responses_in
    group by grp
),

final as (
    select
        coalesce(s.grp, n.grp) as grp,
        coalesce(n.nps_n, 0) as nps_n,
        coalesce(n.promoters, 0) as promoters,
        coalesce(n.detractors, 0) as detractors,
        coalesce(s.csat_n, 0) as csat_n,
        coalesce(s.csat_satisfied, 0) as csat_satisfied,
        coalesce(s.journey_csat_n, 0) as journey_csat_n,
        coalesce(s.journey_csat_satisfied, 0) as journey_csat_satisfied,
        coalesce(s.ces_n, 0) as ces_n,
        s.ces_mean,
        s.ces_sd,
        coalesce(s.ces_easy, 0) as ces_easy
    from scores as s
    full outer join nps as n on s.grp = n.grp
)

select * from final
order by grp
