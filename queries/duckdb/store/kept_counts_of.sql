-- kept_counts_of: the parts kept under one key, in the order they were kept.
-- grain:  one row per kept part
-- input:  none (workbench_models.counts)
-- params: $key the counts' key
select part, tables, points from workbench_models.counts where key = $key order by part
