"""Charts (Altair values) and the offline HTML report."""
