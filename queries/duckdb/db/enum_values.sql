-- enum_values: every value an ENUM column's type can take, in code order.
-- grain:  one row (none when the table is empty)
-- input:  {{relation}}
-- params: {{relation}} the table; $column the column's name, as a one-item list
select enum_range(columns($column)) from {{relation}}
limit 1
