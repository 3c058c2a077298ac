"""Other engines for the same queries (Spark)."""
