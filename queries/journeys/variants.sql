-- variants: distinct journey paths (ordered touchpoint sequences), most frequent first.
-- grain:  one row per distinct path
-- input:  journeys
-- params: none
-- cumulative_share is the share of journeys covered by this variant and every one above it.
with

journeys_in as (
    select path, duration_seconds from journeys
),

counted as (
    select
        path,
        count(*) as journeys,
        median(duration_seconds) as median_duration_seconds
    from journeys_in
    group by path
),

ranked as (
    select
        row_number() over (order by journeys desc, path) as variant,
        path,
        len(path) as length,
        journeys,
        median_duration_seconds
    from counted
),

final as (
    select
        variant,
        path,
        length,
        journeys,
        journeys / sum(journeys) over () as share,
        sum(journeys) over (order by variant rows between unbounded preceding and current row)
            / sum(journeys) over () as cumulative_share,
        median_duration_seconds
    from ranked
)

select * from final
order by variant
