-- channel_names: every channel of the events, as text (unordered).
-- grain:  one row per channel
-- input:  events
-- params: none
select distinct cast(channel as varchar) from events where channel is not null
