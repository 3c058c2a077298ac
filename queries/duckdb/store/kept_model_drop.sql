-- kept_model_drop: removes the record of one kept journey model.
-- grain:  none (a statement)
-- input:  none (workbench_models.models)
-- params: $key the model's key
delete from workbench_models.models where key = $key
