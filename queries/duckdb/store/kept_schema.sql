-- kept_schema: the schema workbench_models, where a dataset keeps its journey models and counts.
-- grain:  none (a statement)
-- input:  none
-- params: none
create schema if not exists workbench_models
