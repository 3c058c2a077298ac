-- kept_counts_drop: removes the record of one kept part of counts.
-- grain:  none (a statement)
-- input:  none (workbench_models.counts)
-- params: $key the counts' key; $part the part
delete from workbench_models.counts where key = $key and part = $part
