-- table_from_frame: a new table holding the rows of a DataFrame registered as frame_in.
-- grain:  one row per row of the frame
-- input:  frame_in
-- params: {{table}} the table (a tuple of names when schema-qualified)
create table {{table}} as select * from frame_in
