-- event_teams: the team that handled each event, for the texts about it.
-- grain:  one row per event whose team attribute is not null
-- input:  events
-- params: {{column}} the event attribute naming the team
with

handled as (
    select row_no as event_row, cast({{column}} as varchar) as team
    from events
    where {{column}} is not null
),

final as (
    select * from handled
)

select * from final
