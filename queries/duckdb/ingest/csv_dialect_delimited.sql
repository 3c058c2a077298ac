-- csv_dialect_delimited: how DuckDB's sniffer reads a delimited text file, its delimiter given.
-- grain:  one row
-- input:  the file at $path
-- params: $path the file; $encoding its encoding; $delimiter the delimiter
select delimiter, hasheader, skiprows, quote
from sniff_csv($path, encoding = $encoding, delim = $delimiter)
