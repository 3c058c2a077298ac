-- lifecycle_kept: the mapped rows a journey is made of: the complete events and the events
-- with no lifecycle value (every event when $all), each with its activity's duration.
-- grain:  one row per kept source row
-- input:  lifecycle_rows, activity_durations
-- params: {{lifecycle}} the lifecycle column; {{seconds}} the name of the duration column;
--         $all true to keep every event
with

mapped as (
    select * from lifecycle_rows
),

final as (
    select
        m.*,
        d.activity_seconds as {{seconds}}
    from mapped as m
    left join activity_durations as d on m.row_no = d.row_no
    where
        $all
        or coalesce(nullif(lower(trim(cast(m.{{lifecycle}} as varchar))), ''), 'complete')
        = 'complete'
)

select * from final
