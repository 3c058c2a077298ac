-- kept_read_only: whether the database open on this connection was opened read-only.
-- grain:  one row
-- input:  none (DuckDB's catalogue)
-- params: none
select readonly from duckdb_databases() where database_name = current_database()
