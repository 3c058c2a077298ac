-- kept_counts_table: the registry of an analysis's kept counts (empty the first time).
-- grain:  one row per kept part (written by kept_counts_record)
-- input:  none
-- params: none
create table if not exists workbench_models.counts (
    key varchar,
    part integer,
    model varchar,
    kind varchar,
    tables integer,
    points varchar,
    kept_at timestamp,
    primary key (key, part)
)
