"""What is kept on disk: datasets, and the one cache door."""
