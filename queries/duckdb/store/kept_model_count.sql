-- kept_model_count: how many journey models the dataset keeps.
-- grain:  one row
-- input:  none (workbench_models.models)
-- params: none
select count(*) from workbench_models.models
