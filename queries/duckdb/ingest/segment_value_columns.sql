-- segment_value_columns: the columns of journey_segment_values that hold an attribute's value
-- per journey (named attr:<attribute>), when a dataset keeps that table.
-- grain:  one row per kept attribute (none when the table is not there)
-- input:  none (DuckDB's catalogue)
-- params: none
select column_name
from duckdb_columns()
where
    database_name = current_database()
    and schema_name = 'main'
    and table_name = 'journey_segment_values'
    and starts_with(column_name, 'attr:')
