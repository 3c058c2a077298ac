-- dataset_meta: the record a dataset file keeps of its load.
-- grain:  one row
-- input:  workbench_dataset
-- params: none
select format, created, source, events, description from workbench_dataset
