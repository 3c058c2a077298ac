-- kept_models_table: the registry of kept journey models (empty the first time).
-- grain:  one row per kept model (written by kept_model_record)
-- input:  none
-- params: none
create table if not exists workbench_models.models (
    key varchar primary key,
    split_by varchar,
    session_gap varchar,
    events bigint,
    journeys bigint,
    customers bigint,
    build_seconds double,
    kept_at timestamp
)
