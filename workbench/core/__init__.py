"""The ground floor: the DuckDB door, errors, durations, statistics and records."""
