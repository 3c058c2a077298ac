-- bitset_sizes: how large bit sets of distinct keys would be (see journeys.BITSET_BUDGET): how
-- many touchpoints and moves there are to group by, and how wide the keys range.
-- grain:  one row
-- input:  steps, journeys
-- params: none
-- moves counts the distinct (touchpoint, next touchpoint) pairs, a journey's end included;
-- every touchpoint of a step is the source of one of them.
with

pairs as (
    select
        count(*) as moves,
        count(distinct touchpoint) as touchpoints
    from (select distinct touchpoint, next_touchpoint from steps)
),

keys as (
    select
        max(journey_key) - min(journey_key) + 1 as journey_span,
        max(customer_key) - min(customer_key) + 1 as customer_span
    from journeys
),

final as (
    select p.touchpoints, p.moves, k.journey_span, k.customer_span
    from pairs as p
    cross join keys as k
)

select * from final
