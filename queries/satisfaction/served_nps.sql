-- served_nps: for each value of an attribute of contacts (a team, an agent), the NPS of the
-- customers it served (their latest answer), for the agent/team view.
-- grain:  one row per attribute value
-- input:  served (customer_key, grp: the customers each team or agent had a contact with),
--         kpi_responses
-- params: none
with

latest as (
    select customer_key, arg_max(score, ts) as nps
    from kpi_responses
    where kind = 'nps'
    group by customer_key
),

pairs as (
    select distinct s.grp, s.customer_key, l.nps
    from served as s
    inner join latest as l on s.customer_key = l.customer_key
),

final as (
    select
        grp,
        count(*) as nps_n,
        count_if(nps >= 9) as promoters,
        count_if(nps <= 6) as detractors
    from pairs
    group by grp
)

select * from final
order by grp
