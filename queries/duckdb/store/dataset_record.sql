-- dataset_record: the table workbench_dataset (empty), where a dataset file records its load.
-- grain:  one row per dataset file (written by dataset_record_row)
-- input:  none
-- params: none
create or replace table workbench_dataset (
    format integer,
    created timestamp,
    source varchar,
    events bigint,
    description json
)
