-- kept_model: the record of one kept journey model.
-- grain:  one row, or none when the model is not kept
-- input:  none (workbench_models.models)
-- params: $key the model's key
select * from workbench_models.models where key = $key
