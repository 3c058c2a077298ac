-- channel_spread: how many channels the mapped rows hold, and one of them.
-- grain:  one row
-- input:  mapped_rows
-- params: none
select count(distinct channel), min(channel) from mapped_rows
