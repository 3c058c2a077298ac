-- kept_counts_next: the number the next part kept under a key takes.
-- grain:  one row
-- input:  none (workbench_models.counts)
-- params: $key the counts' key
select coalesce(max(part) + 1, 0) from workbench_models.counts where key = $key
