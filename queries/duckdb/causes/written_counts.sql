-- written_counts: what the customers of an effect's units wrote, as candidate causes on the
-- Policy & information bone: per reason, the units whose journey (for a customer, any of
-- their journeys) has a text grouped into it, and how many of them show the effect.
-- grain:  one row per reason written about at least one unit
-- input:  cause_units, journeys
-- params: $journey_key  the journey of each grouped text
--         $label        the label of each text's reason, in the same order
--         $bone         the bone the reasons sit on
with

texts as (
    select unnest($journey_key) as journey_key, unnest($label) as label
),

text_units as (
    select t.journey_key, j.customer_key, t.label
    from texts as t
    inner join journeys as j on t.journey_key = j.journey_key
),

by_journey as (
    select u.unit, u.effect, t.label
    from cause_units as u
    inner join text_units as t on u.journey_key = t.journey_key
),

by_customer as (
    select u.unit, u.effect, t.label
    from cause_units as u
    inner join text_units as t on u.customer_key = t.customer_key
    where u.journey_key is null
),

matched as (
    select distinct unit, effect, label
    from (select * from by_journey union all select * from by_customer)
),

final as (
    select
        $bone as bone,
        'wrote' as attribute,
        label as value,
        count(*) as units,
        count_if(effect) as affected,
        false as banded
    from matched
    group by label
)

select * from final order by value
