-- distinct_values: the distinct non-null values of each of some columns, sorted (one scan).
-- grain:  one row; one list per column, in the order named
-- input:  {{relation}}
-- params: {{relation}} the table; $columns the columns' names (a list, never empty)
select
    list_filter(
        list(distinct columns($columns) order by columns($columns)), lambda v: v is not null
    )
from {{relation}}
