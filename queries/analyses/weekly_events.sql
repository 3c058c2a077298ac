-- weekly_events: how many events each channel carried each week (ISO weeks, Monday start).
-- grain:  one row per week and channel
-- input:  events
-- params: none
with

events_in as (
    select ts, coalesce(channel, '(no channel)') as channel from events
),

final as (
    select
        date_trunc('week', ts) as week,
        channel,
        count(*) as events
    from events_in
    group by all
)

select * from final
order by week, channel
