-- rejected_rows: a table of every rejected row, from the DataFrame registered as rejected_frame.
-- grain:  one row per rejected row
-- input:  rejected_frame
-- params: {{table}} the table to make
create or replace table {{table}} as select * from rejected_frame
