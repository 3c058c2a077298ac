-- raw_preview: the first rows of the source as read, for a preview.
-- grain:  one row per source row (at most 50)
-- input:  raw_input
-- params: none
select * from raw_input limit 50
