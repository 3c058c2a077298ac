-- classified_customers: every customer row in canonical form, with the reason it is rejected.
-- grain:  one row per input row the reader could split into fields
-- input:  mapped_customer_rows (a view workbench.context builds: row_no, customer_id, then the
--         attributes)
-- params: none
-- A customer id seen twice keeps its first row; the later ones are rejected.
with

mapped as (
    select * from mapped_customer_rows
),

ranked as (
    select
        *,
        row_number() over (partition by customer_id order by row_no) as copy_no,
        min(row_no) over (partition by customer_id) as first_row
    from mapped
),

final as (
    select
        * exclude (copy_no, first_row),
        case
            when customer_id is null then 'customer id is empty'
            when copy_no > 1 then 'customer id repeated (first at row ' || first_row || ')'
        end as reject_reason,
        case when customer_id is null or copy_no > 1 then 'customer' end as reject_column,
        case when copy_no > 1 then customer_id end as reject_value
    from ranked
)

select * from final
