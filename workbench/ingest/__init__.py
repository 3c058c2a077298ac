"""Reading logs: sources, time formats, column roles, and the loaders with their reports."""
