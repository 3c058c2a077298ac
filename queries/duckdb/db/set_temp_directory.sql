-- set_temp_directory: sets where DuckDB spills what does not fit in memory, for this connection's database.
-- grain:  none (a setting)
-- input:  none
-- params: $temp_directory the folder
set temp_directory = $temp_directory
