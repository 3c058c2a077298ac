-- csv_dialect: how DuckDB's sniffer reads a delimited text file, its delimiter detected.
-- grain:  one row
-- input:  the file at $path
-- params: $path the file; $encoding its encoding;
select delimiter, hasheader, skiprows, quote
from sniff_csv($path, encoding = $encoding)
