-- time_macro: the temp macro workbench_time(x), reading x as a naive timestamp the way a
--             detected time format does (NULL where it does not).
-- grain:  none (a statement)
-- input:  none
-- params: {{> expression}} the format's expression of x (TimeFormat.expression("x"))
create or replace temp macro workbench_time(x) as {{> expression}}
