-- kept_model_record: records a kept journey model (replacing the record of the same key).
-- grain:  none (a statement)
-- input:  none (workbench_models.models)
-- params: $key, $split_by, $session_gap, $events, $journeys, $customers, $build_seconds,
--         $kept_at the record's fields
insert or replace into workbench_models.models
values ($key, $split_by, $session_gap, $events, $journeys, $customers, $build_seconds, $kept_at)
