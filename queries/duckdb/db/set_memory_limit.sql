-- set_memory_limit: sets how much memory DuckDB may use before it spills to disk, for this connection's database.
-- grain:  none (a setting)
-- input:  none
-- params: $memory_limit e.g. 800MB
set memory_limit = $memory_limit
