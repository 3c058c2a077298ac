-- persona_condition: the customers one condition of a persona holds. A condition on a customer
--   attribute tests the customer's value; one on an event attribute holds when any of the
--   customer's events meets it.
-- grain:  one row per customer: customer_key
-- input:  customers or events (the relation slot)
-- params: {{relation}}  customers or events
--         {{column}}    the attribute tested
--         $op           <, <=, >, >= (numbers), =, != (text) or in (a list of texts)
--         $number       the number compared with (for <, <=, >, >=)
--         $texts        the texts compared with: one for = and !=, any number for in
with

tested as (
    select
        customer_key,
        try_cast({{column}} as double) as number,
        cast({{column}} as varchar) as text
    from {{relation}}
    where customer_key is not null
),

final as (
    select distinct customer_key
    from tested
    where
        case $op
            when '<' then number < $number
            when '<=' then number <= $number
            when '>' then number > $number
            when '>=' then number >= $number
            when '=' then text = $texts[1]
            when '!=' then text <> $texts[1]
            when 'in' then list_contains($texts, text)
        end
)

select * from final
