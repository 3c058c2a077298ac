-- kept_model_splits: every kept model, newest first, and whether it has the split given.
-- grain:  one row per kept model
-- input:  none (workbench_models.models)
-- params: $split_by, $session_gap the split to compare with
select key, split_by = $split_by and session_gap is not distinct from $session_gap
from workbench_models.models
order by kept_at desc
