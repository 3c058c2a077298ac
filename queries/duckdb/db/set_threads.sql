-- set_threads: sets how many threads DuckDB runs a query on, for this connection's database.
-- grain:  none (a setting)
-- input:  none
-- params: $threads the number
set threads = $threads
