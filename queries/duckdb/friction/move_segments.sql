-- move_segments: the moves counted by the value of each segment attribute of the event they
--   start from (device, team, region ...), period by period.
-- grain:  one row per attribute, value, source, target and period: moves, slow
-- input:  moves, events
-- params: $attributes  the event attributes to count by (each with a few values)
with

valued as (
    unpivot (
        select m.source, m.target, m.period, m.slow, cast(columns($attributes) as varchar)
        from moves as m
        inner join events as e on m.row_no = e.row_no
    )
    on columns($attributes)
    into name attribute value value
),

final as (
    select attribute, value, source, target, period, count(*) as moves, count_if(slow) as slow
    from valued
    group by all
)

select * from final
