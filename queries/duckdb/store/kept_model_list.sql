-- kept_model_list: the kept journey models as people see them, most recent first.
-- grain:  one row per kept model
-- input:  none (workbench_models.models)
-- params: none
select split_by, session_gap, events, journeys, customers, build_seconds, kept_at
from workbench_models.models
order by kept_at desc
