-- journey_variants: which variant (rank in variants) each journey follows.
-- grain:  one row per journey
-- input:  journeys, variants
-- params: none
with

journeys_in as (
    select journey_key, path from journeys
),

variants_in as (
    select variant, path from variants
),

final as (
    select
        j.journey_key,
        v.variant
    from journeys_in as j
    inner join variants_in as v on j.path = v.path
)

select * from final
