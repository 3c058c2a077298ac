-- rejected_content: input rows the reader split into fields but that cannot be loaded, with
-- the role at fault and, for times, the value that could not be read.
-- grain:  one row per rejected input row
-- input:  classified_events
-- params: none
with

rejected as (
    select row_no, reject_column, reject_reason, time_raw
    from classified_events
    where reject_reason is not null
),

final as (
    select
        row_no,
        reject_column,
        reject_reason,
        case reject_column when 'time' then time_raw end as value
    from rejected
)

select * from final
order by row_no
