-- text_journeys: the journey each customer text is about: the journey it is linked to (a
-- response about a contact, a note on an event), else the writer's last journey that started
-- at or before the text (a relationship survey's comment), with that journey's start and path.
-- grain:  one row per text tied to a journey (texts of customers with no journey before them
--         are left out)
-- input:  journeys, journey_labels
-- params: $journey   the journey label of each text (null when it names none), in text order
--         $customer  the writer's customer id of each text, in text order
--         $ts        the time of each text, in text order
with

texts as (
    select
        unnest(range(len($customer))) as text_no,
        unnest($journey) as journey,
        unnest($customer) as customer_id,
        unnest($ts) as ts
),

labelled as (
    select
        l.journey_key,
        l.journey,
        l.customer_id,
        j.start_ts,
        cast(j.path as varchar[]) as path
    from journey_labels as l
    inner join journeys as j on l.journey_key = j.journey_key
),

named as (
    select t.text_no, l.journey_key, l.start_ts, l.path
    from texts as t
    inner join labelled as l on t.journey = l.journey
),

before_text as (
    select t.text_no, l.journey_key, l.start_ts, l.path
    from (select * from texts where journey is null) as t
    asof inner join labelled as l on t.customer_id = l.customer_id and t.ts >= l.start_ts
),

final as (
    select * from named
    union all
    select * from before_text
)

select * from final order by text_no
