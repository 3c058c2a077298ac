-- rejected_list: every rejected row, in the order of the source.
-- grain:  one row per rejected row and column
-- input:  rejected_rows
-- params: none
select * from rejected_rows order by row, line
