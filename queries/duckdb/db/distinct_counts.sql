-- distinct_counts: how many distinct non-null values each of some columns holds (one scan).
-- grain:  one row; one value per column, in the order named
-- input:  {{relation}}
-- params: {{relation}} the table; $columns the columns' names (a list, never empty)
select count(distinct columns($columns)) from {{relation}}
