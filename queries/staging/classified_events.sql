-- classified_events: every input row in canonical form, with the reason it is rejected.
-- grain:  one row per input row the reader could split into fields
-- input:  mapped_rows (a view workbench.load builds over the source: row_no, customer_id,
--         journey_id, touchpoint, channel, time_raw, ts, then the attributes)
-- params: $journey_required  true when a journey column is mapped, so an empty id rejects
--         $customer_is_case  true when the customer id is the journey id (a case-only log), so
--                            an empty one is reported as the journey id it is
-- A row is loaded when reject_reason is null; otherwise reject_column names the role at fault.
with

mapped as (
    select * from mapped_rows
),

final as (
    select
        *,
        case
            when not $customer_is_case and customer_id is null then 'customer id is empty'
            when touchpoint is null then 'touchpoint is empty'
            when time_raw is null then 'time is empty'
            when ts is null then 'time not understood in the detected format'
            when $journey_required and journey_id is null then 'journey id is empty'
        end as reject_reason,
        case
            when not $customer_is_case and customer_id is null then 'customer'
            when touchpoint is null then 'touchpoint'
            when time_raw is null or ts is null then 'time'
            when $journey_required and journey_id is null then 'journey'
        end as reject_column
    from mapped
)

select * from final
