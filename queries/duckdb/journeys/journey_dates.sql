-- journey_dates: the dates the first and the last journey start on (a date range's bounds).
-- grain:  one row: first_date, last_date
-- input:  journeys
-- params: none
with

final as (
    select
        cast(min(start_ts) as date) as first_date,
        cast(max(start_ts) as date) as last_date
    from journeys
)

select * from final
