-- kept_counts_parts: the kept parts of counts under a key, or beside a model (null: any).
-- grain:  one row per kept part
-- input:  none (workbench_models.counts)
-- params: $key the counts' key or null; $model the model's key or null
select key, part, tables
from workbench_models.counts
where key = coalesce($key, key) and model = coalesce($model, model)
