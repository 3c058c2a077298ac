-- concentration_points: the visits to the touchpoints a concentration asks about, narrow (a
--   table: DuckDB then knows they are fewer than the events and builds the join's hash table on
--   them rather than on every event).
-- grain:  one row per visit to one of the touchpoints
-- input:  visits
-- params: {{#at}} one item per touchpoint: touchpoint (its name); {{?no_points}} true when
--         there are none (the list then holds a null, and no visit is kept)
with

final as (
    select
        v.row_no, v.journey_key, v.touchpoint, v.long_wait, v.transferred, v.unresolved,
        v.abandoned, v.repeat_contact, v.switched, v.dropped
    from visits as v
    -- no null in a list of touchpoints: DuckDB then filters the table's scan itself
    where cast(v.touchpoint as varchar) in (
        {{#at}}{{= touchpoint}}, {{/at}}{{?no_points}}null{{/no_points}}
    )
)

select * from final
