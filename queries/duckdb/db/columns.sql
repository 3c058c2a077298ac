-- columns: the columns of a table or view and their DuckDB types, in order.
-- grain:  one row per column
-- input:  {{relation}}
-- params: {{relation}} the table or view
describe {{relation}}
