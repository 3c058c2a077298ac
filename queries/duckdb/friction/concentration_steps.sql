-- concentration_steps: the visits at the points with whether the journey dropped off there.
-- grain:  one row per visit to one of the touchpoints: journey_key, touchpoint, dropped
-- input:  concentration_points
-- params: none
with

final as (
    select journey_key, touchpoint, dropped from concentration_points
)

select * from final
