-- period_sizes: how many journeys start in each of two periods.
-- grain:  one row per period ('A' or 'B') with journeys
-- input:  journeys
-- params: $a_from  period A: journeys that start at or after this moment
--         $a_to    and before this one
--         $b_from  period B, the same way (the periods do not overlap)
--         $b_to
with

dated as (
    select
        case
            when start_ts >= $a_from and start_ts < $a_to then 'A'
            when start_ts >= $b_from and start_ts < $b_to then 'B'
        end as period
    from journeys
),

final as (
    select period, count(*) as journeys
    from dated
    where period is not null
    group by period
)

select * from final
order by period
