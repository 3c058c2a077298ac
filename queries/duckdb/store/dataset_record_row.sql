-- dataset_record_row: writes the one row of workbench_dataset: what the load reported.
-- grain:  one row
-- input:  none
-- params: $format the dataset format; $created when (UTC); $source the source's name;
--         $events the events loaded; $description the reports, as JSON text
insert into workbench_dataset values ($format, $created, $source, $events, $description)
