-- elsewhere: how often the effect is seen at the other points than the one explained, the
-- baseline a point-bound fishbone is read against ("94 % of its contacts, against 12 % at the
-- other points").
-- grain:  one row: units, affected
-- input:  cause_units (every point)
-- params: $touchpoint  the point explained
with

units_in as (
    select touchpoint, effect from cause_units
),

final as (
    select
        count(*) as units,
        coalesce(count_if(effect), 0) as affected
    from units_in
    where touchpoint <> $touchpoint
)

select * from final
