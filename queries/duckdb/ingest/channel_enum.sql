-- channel_enum: the ENUM type of channels, every value of the mapped rows in order.
-- grain:  none (a statement)
-- input:  mapped_rows
-- params: none
create type channel_enum as enum (
    select distinct channel from mapped_rows where channel is not null order by 1
)
