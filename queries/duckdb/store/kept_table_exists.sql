-- kept_table_exists: how many tables of this name the schema holds (0 or 1).
-- grain:  one row
-- input:  none (DuckDB's catalogue)
-- params: $schema the schema; $table the table's name
select count(*)
from duckdb_tables()
where database_name = current_database() and schema_name = $schema and table_name = $table
