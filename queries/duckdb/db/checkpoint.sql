-- checkpoint: writes everything the database file holds in its log into the file itself.
-- grain:  none (a statement)
-- input:  none
-- params: none
checkpoint
