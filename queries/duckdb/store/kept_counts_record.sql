-- kept_counts_record: records one kept part of an analysis's counts.
-- grain:  none (a statement)
-- input:  none (workbench_models.counts)
-- params: $key, $part, $model, $kind, $tables, $points, $kept_at the record's fields
insert into workbench_models.counts
values ($key, $part, $model, $kind, $tables, $points, $kept_at)
