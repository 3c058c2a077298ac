-- touchpoint_enum: the ENUM type of touchpoints, every value of the mapped rows in order
-- (values of rows rejected later enter it too: harmless, and it saves parsing times first).
-- grain:  none (a statement)
-- input:  mapped_rows
-- params: none
create type touchpoint_enum as enum (
    select distinct touchpoint from mapped_rows where touchpoint is not null order by 1
)
