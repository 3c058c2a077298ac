-- rejected_context: rows of a survey or customer file that cannot be loaded, with the role
-- at fault and the value that could not be used.
-- grain:  one row per rejected input row
-- input:  classified_context (a view over classified_surveys or classified_customers)
-- params: none
with

rejected as (
    select row_no, reject_column, reject_reason, reject_value
    from classified_context
    where reject_reason is not null
),

final as (
    select row_no, reject_column, reject_reason, reject_value as value from rejected
)

select * from final
order by row_no
