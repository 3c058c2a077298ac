-- main_table_exists: how many tables of this name the main schema holds (0 or 1).
-- grain:  one row
-- input:  none (DuckDB's catalogue)
-- params: $table the table's name
select count(*) from duckdb_tables() where table_name = $table and schema_name = 'main'
