-- kept_model_keys: the key of every kept journey model.
-- grain:  one row per kept model
-- input:  none (workbench_models.models)
-- params: none
select key from workbench_models.models
