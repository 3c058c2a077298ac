"""Read a source into DuckDB as it is, and account for what could not be read.

Shared by every loader (events, surveys, customers): :func:`read_raw` puts a CSV/TSV (also
gzipped), Parquet, JSON/NDJSON file, an XES event log (also gzipped; streamed by
:mod:`workbench.ingest.xes`), a DataFrame or an Arrow table into the relation
``raw_input`` in source order, detecting dialect and encoding and keeping the rows the reader
could not split; :func:`record_rejections` stores every rejected row with its line and reason.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import duckdb
import pandas as pd

from workbench.core import db
from workbench.core.db import out_of_memory, quote_ident, quote_literal
from workbench.core.errors import LoadError, ValidationError
from workbench.ingest import xes
from workbench.ingest.schema import RESERVED, normalise

Source = str | Path | pd.DataFrame | Any  # Any: a pyarrow Table

_JSON_SUFFIXES = {".json", ".ndjson", ".jsonl"}
_DELIMS = (",", ";", "\t", "|")
REJECTED_PREVIEW_ROWS = 1_000


@dataclass(frozen=True)
class Dialect:
    """How a text file was split into rows and fields."""

    delimiter: str | None = None
    header: bool = True
    skip: int = 0
    quote: str | None = None
    encoding: str = "utf-8"

    def describe(self) -> str:
        if self.delimiter is None:
            return ""
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        parts = [
            f"{names.get(self.delimiter, repr(self.delimiter))}-separated",
            "header row" if self.header else "no header row",
            self.encoding,
        ]
        if self.skip:
            parts.append(f"{self.skip} line(s) skipped at the top")
        return ", ".join(parts)


@dataclass(frozen=True)
class Raw:
    name: str
    kind: str
    path: Path | None
    dialect: Dialect
    structural: pd.DataFrame  # line, reason, value: rows the reader could not split
    notes: tuple[str, ...] = ()
    row_expr: str = "rowid + 1"  # the 1-based data row of each raw_input row
    hidden: tuple[str, ...] = ()  # columns of raw_input that are not the source's
    is_view: bool = False

    def renamed(self, name: str) -> Raw:
        return replace(self, name=name)

    def withheld(self) -> Raw:
        """The same input with the text of unreadable rows withheld (they may hold ids)."""
        return replace(self, structural=self.structural.assign(value=WITHHELD))


def drop_raw(con: duckdb.DuckDBPyConnection, raw: Raw) -> None:
    """Drop ``raw_input`` (a view or a table, as ``raw`` was read) and the reader's records of
    unreadable rows, once the rows are loaded."""
    if raw.is_view:
        db.drop_view(con, "raw_input")
    else:
        db.drop_table(con, quote_ident("raw_input"))
    _drop_rejects(con)


def _drop_rejects(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("reject_errors", "reject_scans"):
        db.drop_table(con, quote_ident(table))


WITHHELD = "(withheld: customer ids are pseudonymised)"
PSEUDONYM_NOTE = (
    "Customer and journey ids are pseudonymised: each is replaced by a salted SHA-256 hash "
    "(the same id gives the same pseudonym with the same salt); the salt is not stored."
)


def text_expression(column: str | None) -> str:
    """SQL for a column as trimmed text, NULL when empty (or when there is no ``column``)."""
    if column is None:
        return "cast(null as varchar)"
    return f"nullif(trim(cast({quote_ident(column)} as varchar)), '')"


def id_expression(column: str | None, salt: str | None = None) -> str:
    """SQL for an id column as trimmed text (NULL when empty), pseudonymised when ``salt``
    is given: ``'P'`` and 16 hex digits of ``sha256(salt || id)``."""
    text = text_expression(column)
    if column is None or salt is None:
        return text
    return f"('P' || left(sha256({quote_literal(salt)} || {text}), 16))"


def _kind_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".zst"):
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last == ".xes":
        return "xes"
    if last in {".parquet", ".pq"}:
        return "parquet"
    if last in _JSON_SUFFIXES:
        return "ndjson" if last in (".ndjson", ".jsonl") else "json"
    if last in (".tsv", ".tab"):
        return "tsv"
    return "csv"


def read_raw(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    *,
    delimiter: str | None,
    encoding: str | None,
    limit: int | None = None,
) -> Raw:
    """Create table ``raw_input`` from the source, in source order (its rowid is the row)."""
    empty = pd.DataFrame({"line": pd.Series([], dtype="Int64"), "reason": [], "value": []})
    limit = None if limit is None else int(limit)
    if isinstance(source, pd.DataFrame) or _is_arrow(source):
        kind = "dataframe" if isinstance(source, pd.DataFrame) else "arrow"
        n_cols = (
            len(source.columns)
            if isinstance(source, pd.DataFrame)
            else len(cast(Any, source).schema)
        )
        if n_cols == 0:
            raise LoadError("The table has no columns.", "Empty data")
        con.complete()  # DuckDB refuses to register while an earlier result is unfinished
        con.register("source_frame", source)
        db.execute(con, "duckdb/ingest/raw_frame", limit=limit)
        con.unregister("source_frame")
        return Raw(f"<{kind}>", kind, None, Dialect(), empty)
    if not isinstance(source, (str, Path)):
        raise LoadError(
            f"Cannot read a {type(source).__name__}; give a file path, a pandas "
            "DataFrame or a pyarrow Table.",
            "Unsupported source",
        )
    path = Path(source).expanduser()
    if not path.is_file():
        raise LoadError(f"There is no file at {path}.", "File not found")
    if path.stat().st_size == 0:
        raise LoadError(f"{path.name} is empty (0 bytes). Export the data again.", "Empty file")
    kind = _kind_of(path)
    try:
        if kind == "parquet" and limit is None:
            # A view: Parquet is columnar and cheap to scan again, so nothing is copied.
            # (a view can hold no $parameters: DuckDB's reader makes it, with no SQL written)
            db.settle(con)  # a count fetched before may still hold the connection
            reader = con.read_parquet(str(path), file_row_number=True)
            reader.create_view("raw_input", replace=True)
            return Raw(
                path.name,
                kind,
                path,
                Dialect(),
                empty,
                row_expr="file_row_number + 1",
                hidden=("file_row_number",),
                is_view=True,
            )
        if kind == "parquet":
            db.execute(con, "duckdb/ingest/raw_parquet", path=str(path), limit=limit)
            return Raw(path.name, kind, path, Dialect(), empty)
        if kind in ("json", "ndjson"):
            return _read_json(con, path, kind, limit, empty)
        if kind == "xes":
            return _read_xes(con, path, limit, empty)
    except duckdb.OutOfMemoryException as exc:
        raise out_of_memory(exc, f"Reading {path.name}", con) from exc
    except duckdb.Error as exc:
        raise LoadError(
            f"{path.name} could not be read as {kind.upper()}: {_first_line(exc)}",
            f"Not a readable {kind.upper()} file",
        ) from exc
    return _read_csv(con, path, kind, delimiter, encoding, limit)


def _read_xes(
    con: duckdb.DuckDBPyConnection, path: Path, limit: int | None, empty: pd.DataFrame
) -> Raw:
    """An XES log streamed into ``xes_events``; ``raw_input`` is a view over it, so the table
    keeps each event's line until the rejected rows are accounted."""
    read = xes.read_xes(con, path, limit)
    db.execute(con, "duckdb/ingest/raw_xes")
    return Raw(
        path.name,
        "xes",
        path,
        Dialect(),
        empty,
        notes=read.notes,
        row_expr=quote_ident(xes.EVENT_NO),
        hidden=(xes.EVENT_NO, xes.EVENT_LINE),
        is_view=True,
    )


def _is_arrow(obj: Any) -> bool:
    return type(obj).__module__.startswith("pyarrow") and hasattr(obj, "schema")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_json(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    limit: int | None,
    empty: pd.DataFrame,
) -> Raw:
    fmt = "newline_delimited" if kind == "ndjson" else "auto"
    db.execute(con, "duckdb/ingest/raw_json", path=str(path), format=fmt, limit=limit)
    cols = list(db.columns(con, "raw_input"))
    if not cols:
        raise LoadError(f"{path.name} holds no JSON records.", "Empty file")
    bad = [int(r[0]) for r in db.execute(con, "duckdb/ingest/unparsed_records").fetchall()]
    structural = empty
    if bad:
        # A record the reader could not parse comes back as all NULLs: report and drop it.
        lines = json_lines(path, bad)
        structural = pd.DataFrame(
            {
                "line": pd.array([lines.get(b) for b in bad], dtype="Int64"),
                "reason": "not a valid JSON record",
                "value": [None] * len(bad),
            }
        )
        db.execute(con, "duckdb/ingest/parsed_records", unparsed=bad)
    return Raw(path.name, kind, path, Dialect(), structural)


def json_lines(path: Path, records: list[int]) -> dict[int, int]:
    """Physical line of the n-th non-blank line of an NDJSON file (for the records asked)."""
    wanted, out, n = set(records), {}, 0
    with _open_text(path, "utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            n += 1
            if n in wanted:
                out[n] = lineno
                if len(out) == len(wanted):
                    break
    return out


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    enc = "latin-1" if encoding in ("latin-1", "windows-1252") else "utf-8-sig"
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=enc, errors="replace", newline="")
    return open(path, encoding=enc, errors="replace", newline="")


def _read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    delimiter: str | None,
    encoding: str | None,
    limit: int | None,
) -> Raw:
    notes: list[str] = []
    delim = delimiter if delimiter is not None else ("\t" if kind == "tsv" else None)
    enc = (encoding or "utf-8").lower().replace("_", "-")
    if enc in ("latin1", "iso-8859-1", "cp1252", "windows-1252"):
        enc = "latin-1"
    if enc not in ("utf-8", "latin-1", "utf-16"):
        raise ValidationError(
            f"Encoding '{encoding}' is not supported here; use utf-8, utf-16 "
            "or latin-1 (which also reads most Windows-1252 files).",
            "Unsupported encoding",
        )
    scan_path, scan_enc = path, enc
    try:
        if enc == "latin-1":
            scan_path, scan_enc = _as_utf8(path), "utf-8"
        ncols, rejects = _scan_csv(con, scan_path, delim, scan_enc, limit)
        if encoding is None and _looks_latin1(con, rejects):
            enc = "latin-1"
            scan_path, scan_enc = _as_utf8(path), "utf-8"
            ncols, rejects = _scan_csv(con, scan_path, delim, scan_enc, limit)
            notes.append(
                "The file is not valid UTF-8; it was read as Windows-1252 (Latin-1 with €, "
                "curly quotes and dashes), so å, ä, ö and € read as meant."
            )
        if ncols == 1 and delimiter is not None:
            header = _first_line_of(path, enc)
            others = [c for c in _DELIMS if c != delimiter and c in header]
            if others:
                shown = {"\t": "tab"}.get(others[0], others[0])
                raise ValidationError(
                    f"{path.name} was read with the delimiter {delimiter!r} and gave one "
                    f"column, but its first line holds {shown!r}: {header.strip()[:80]!r}. "
                    f"Choose {shown!r} as the delimiter, or leave it to be detected.",
                    "Wrong delimiter",
                )
        if ncols == 1 and delimiter is None:
            header = _first_line_of(path, enc)
            best: tuple[int, int, str] | None = None
            for cand in _DELIMS:
                if cand in header and cand != delim:
                    n, rj = _scan_csv(con, scan_path, cand, scan_enc, limit, table="raw_probe")
                    score = (n, -len(rj))
                    if n > 1 and (best is None or score > (best[0], best[1])):
                        best = (n, -len(rj), cand)
            if best is not None:
                delim = best[2]
                ncols, rejects = _scan_csv(con, scan_path, delim, scan_enc, limit)
            db.drop_table(con, quote_ident("raw_probe"))
        dialect = _dialect(con, scan_path, delim, scan_enc)
    finally:
        if scan_path != path:
            scan_path.unlink(missing_ok=True)
    if enc == "latin-1":
        dialect = replace(dialect, encoding="windows-1252")
    structural = _structural_rejects(rejects)
    return Raw(path.name, kind, path, dialect, structural, tuple(notes))


def _cp1252_or_latin1(err: UnicodeError) -> tuple[str, int]:
    """Decode the five bytes Windows-1252 leaves undefined as Latin-1 does."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("workbench-latin1", _cp1252_or_latin1)


def _as_utf8(path: Path) -> Path:
    """Copy a Windows-1252 / Latin-1 text file as UTF-8 beside it (or in the temporary folder
    when that folder is read-only), line for line, for DuckDB to read; the caller deletes it."""
    try:
        fd, name = tempfile.mkstemp(prefix=".utf8-", suffix=".csv", dir=path.parent)
    except OSError:
        fd, name = tempfile.mkstemp(prefix="workbench-utf8-", suffix=".csv")
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as src, os.fdopen(fd, "wb") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk.decode("cp1252", errors="workbench-latin1").encode("utf-8"))
    return Path(name)


def _scan_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    delim: str | None,
    enc: str,
    limit: int | None,
    table: str = "raw_input",
) -> tuple[int, pd.DataFrame]:
    params: dict[str, Any] = {"table": table, "path": str(path), "encoding": enc, "limit": limit}
    query = "duckdb/ingest/raw_csv"
    if delim is not None:
        query, params["delimiter"] = "duckdb/ingest/raw_csv_delimited", delim
    _drop_rejects(con)
    try:
        db.execute(con, query, **params)
    except duckdb.OutOfMemoryException as exc:
        raise out_of_memory(exc, f"Reading {path.name}", con) from exc
    except duckdb.Error as exc:
        msg = _first_line(exc)
        if ("encod" in msg.lower() or "unicode" in msg.lower()) and enc == "utf-8":
            return -1, pd.DataFrame(
                {
                    "error_type": ["INVALID ENCODING"],
                    "line": [1],
                    "csv_line": [None],
                    "error_message": [msg],
                }
            )
        raise LoadError(
            f"{path.name} could not be read as a delimited text file: {msg}",
            "Not a readable CSV file",
        ) from exc
    ncols = len(db.columns(con, table))
    rejects = db.execute(con, "duckdb/ingest/reject_lines").df()
    return ncols, rejects


def _looks_latin1(con: duckdb.DuckDBPyConnection, rejects: pd.DataFrame) -> bool:
    """UTF-8 failed on some rows and no row that loaded holds a non-ASCII character."""
    if not len(rejects) or not (rejects["error_type"] == "INVALID ENCODING").any():
        return False
    if len(rejects) == 1 and rejects["csv_line"].isna().all():
        return True  # the reader gave up at once
    cols = list(db.columns(con, "raw_input"))
    if not cols:
        return True
    row = db.execute(con, "duckdb/ingest/non_ascii_rows").fetchone()
    return bool(row and row[0] == 0)


def _first_line_of(path: Path, enc: str) -> str:
    with _open_text(path, enc) as fh:
        return fh.readline()


def _dialect(con: duckdb.DuckDBPyConnection, path: Path, delim: str | None, enc: str) -> Dialect:
    params: dict[str, Any] = {"path": str(path), "encoding": enc}
    query = "duckdb/ingest/csv_dialect"
    if delim is not None:
        query, params["delimiter"] = "duckdb/ingest/csv_dialect_delimited", delim
    try:
        row = db.execute(con, query, **params).fetchone()
    except duckdb.Error:
        row = None
    cols = list(db.columns(con, "raw_input"))
    header = not all(re.fullmatch(r"column\d+", c) for c in cols)
    if row is None:
        return Dialect(delim or ",", header, 0, '"', enc)
    quote = None if row[3] in ("(empty)", "") else str(row[3])
    return Dialect(delim or str(row[0]), header, int(row[2] or 0), quote, enc)


def _structural_rejects(rejects: pd.DataFrame) -> pd.DataFrame:
    reasons = {
        "TOO MANY COLUMNS": "more fields than the header",
        "MISSING COLUMNS": "fewer fields than the header",
        "UNQUOTED VALUE": "quote not closed or stray quote",
        "INVALID ENCODING": "bytes that are not valid text in the file's encoding",
        "LINE SIZE OVER MAXIMUM": "line longer than the reader's maximum",
    }
    if not len(rejects):
        return pd.DataFrame({"line": pd.Series([], dtype="Int64"), "reason": [], "value": []})
    detail = (
        rejects["error_message"]
        .astype(str)
        .str.extract(r"Expected Number of Columns: (\d+) Found: (\d+)")
    )
    reason = [
        reasons.get(str(t), str(m).splitlines()[0])
        + (f" (expected {e}, found {f})" if isinstance(e, str) else "")
        for t, m, e, f in zip(
            rejects["error_type"], rejects["error_message"], detail[0], detail[1], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "line": rejects["line"].astype("Int64"),
            "reason": reason,
            "value": rejects["csv_line"],
        }
    )


def attribute_columns(
    con: duckdb.DuckDBPyConnection,
    attributes: Sequence[str],
    types: dict[str, str],
    reserved: frozenset[str] = RESERVED,
) -> tuple[dict[str, str], dict[str, str]]:
    """Name and type each attribute column of ``raw_input``.

    Returns ``(types, expressions)`` keyed by the name the attribute gets: its own, unless it
    clashes with a ``reserved`` canonical name (then ``attr_<name>``). Text columns become
    BIGINT, DOUBLE or BOOLEAN when every value fits; ids and codes with leading zeros stay text,
    so nothing is lost.
    """
    text_cols = [c for c in attributes if types[c] == "VARCHAR"]
    row: Sequence[Any] = ()
    if text_cols:
        fetched = db.execute(con, "duckdb/ingest/attribute_counts", columns=text_cols).fetchone()
        assert fetched is not None
        # each kind of count for every column in turn, the columns in the table's order
        # (columns($list) keeps it) -> the five counts of each text column, as named
        order = [c for c in types if c in set(text_cols)]
        k = len(order)
        at = {c: i for i, c in enumerate(order)}
        row = [fetched[kind * k + at[c]] for c in text_cols for kind in range(5)]
    return attribute_types(attributes, types, text_cols, row, reserved)


def attribute_probe(text_cols: Sequence[str], source: str) -> str:
    """The query (one row) that counts, for each text column of ``source``, its values and how
    many of them read as whole numbers, numbers, true/false and codes with leading zeros: what
    :func:`attribute_types` decides a column's type from.

    For the Spark engine, which runs it as SQL text (``COLUMNS``, as
    ``queries/duckdb/ingest/attribute_counts.sql`` uses on DuckDB, has no Spark equivalent);
    the names are quoted by :func:`~workbench.core.db.quote_ident`."""
    parts = []
    for i, c in enumerate(text_cols):
        v = f"nullif(trim({quote_ident(c)}), '')"
        parts.append(
            # DuckDB casts '28.71' to the integer 29: whole numbers must look whole
            f"count({v}) n{i}, "
            f"count(case when regexp_matches({v}, '^[+-]?[0-9]+$') "
            f"then try_cast({v} as bigint) end) b{i}, "
            f"count(try_cast({v} as double)) d{i}, "
            f"count(case when lower({v}) in ('true','false','yes','no') then 1 end) t{i}, "
            f"count(case when regexp_matches({v}, '^[+-]?0[0-9]') then 1 end) z{i}"
        )
    return "select " + ", ".join(parts) + f" from {quote_ident(source)}"


def attribute_types(
    attributes: Sequence[str],
    types: dict[str, str],
    text_cols: Sequence[str],
    probe: Sequence[Any],
    reserved: frozenset[str] = RESERVED,
) -> tuple[dict[str, str], dict[str, str]]:
    """:func:`attribute_columns` from the counts of :func:`attribute_probe` over
    ``text_cols``: the attributes' names and types, and the DuckDB expression of each."""
    names: dict[str, str] = {}
    used = {r.lower() for r in reserved}
    for col in attributes:
        alias = col
        if alias.lower() in used:
            alias = f"attr_{normalise(col) or 'column'}"
        while alias.lower() in used:
            alias += "_"
        used.add(alias.lower())
        names[col] = alias
    inferred: dict[str, str] = {}
    for i, c in enumerate(text_cols):
        n, b, d, t, z = probe[5 * i : 5 * i + 5]
        is_id = normalise(c).endswith("id")
        if n == 0 or is_id or z:
            inferred[c] = "VARCHAR"
        elif b == n:
            inferred[c] = "BIGINT"
        elif d == n:
            inferred[c] = "DOUBLE"
        elif t == n:
            inferred[c] = "BOOLEAN"
        else:
            inferred[c] = "VARCHAR"
    exprs: dict[str, str] = {}
    out_types: dict[str, str] = {}
    for col in attributes:
        q = quote_ident(col)
        typ = inferred.get(col, types[col])
        if col in inferred and typ == "BOOLEAN":
            expr = (
                f"case lower(trim({q})) when 'true' then true when 'yes' then true "
                f"when 'false' then false when 'no' then false end"
            )
        elif col in inferred and typ != "VARCHAR":
            expr = f"try_cast(nullif(trim({q}), '') as {typ})"
        elif col in inferred:
            expr = f"nullif({q}, '')"
        else:
            expr = q
        exprs[names[col]] = expr
        out_types[names[col]] = typ
    return out_types, exprs


def no_rejected_content() -> pd.DataFrame:
    """What the queries that find the rows rejected for their values
    (``staging/rejected_content``, ``staging/rejected_context``) return when there are none:
    a source whose every row loaded is not read again to run them."""
    return pd.DataFrame(
        {
            "row_no": pd.Series([], dtype="int64"),
            "reject_column": pd.Series([], dtype="object"),
            "reject_reason": pd.Series([], dtype="object"),
            "value": pd.Series([], dtype="object"),
        }
    )


def record_rejections(
    con: duckdb.DuckDBPyConnection,
    raw: Raw,
    content: pd.DataFrame,
    role_col: dict[str, str | None],
    table: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Store every rejected row in ``table`` and return (first rows, counts by reason).

    ``content`` holds the rows rejected for their values (``row_no``, ``reject_column``,
    ``reject_reason``, ``value``); ``raw.structural`` the rows the reader could not split.
    Each gets its line in the file where the file has lines.
    """
    content_lines: dict[int, int] = {}
    if len(content) and raw.path is not None and raw.kind in ("csv", "tsv"):
        content_lines = csv_lines(
            raw.path,
            raw.dialect,
            set(int(r) for r in content["row_no"]),
            set(int(x) for x in raw.structural["line"].dropna()),
        )
    elif len(content) and raw.path is not None and raw.kind == "ndjson":
        content_lines = json_lines(raw.path, [int(r) for r in content["row_no"]])
    elif len(content) and raw.kind == "xes":
        content_lines = xes.event_lines(con, content["row_no"])
    if raw.kind == "xes":
        xes.drop(con)
    rejected: pd.DataFrame = pd.concat(
        [
            pd.DataFrame(
                {
                    "line": pd.array([None] * len(raw.structural), dtype="Int64")
                    if raw.kind not in ("csv", "tsv", "ndjson", "json")
                    else raw.structural["line"],
                    "row": pd.array([None] * len(raw.structural), dtype="Int64"),
                    "column": [None] * len(raw.structural),
                    "reason": raw.structural["reason"],
                    "value": raw.structural["value"],
                }
            ),
            pd.DataFrame(
                {
                    "line": pd.array(
                        [content_lines.get(int(r)) for r in content["row_no"]], dtype="Int64"
                    ),
                    "row": content["row_no"].astype("Int64"),
                    "column": [role_col.get(str(c)) for c in content["reject_column"]],
                    "reason": content["reject_reason"],
                    "value": content["value"],
                }
            ),
        ],
        ignore_index=True,
    )
    rejected = rejected.sort_values(
        ["line", "row"], na_position="last", kind="stable", ignore_index=True
    )
    con.complete()
    con.register("rejected_frame", rejected)
    db.execute(con, "duckdb/ingest/rejected_rows", table=table)
    con.unregister("rejected_frame")
    by_reason = (
        rejected.assign(column=rejected["column"].fillna("(whole row)"))
        .groupby(["reason", "column"], sort=False, dropna=False)
        .agg(
            rows=("reason", "size"),
            first_line=("line", "min"),
            first_row=("row", "min"),
            example=("value", "first"),
        )
        .reset_index()
        .sort_values("rows", ascending=False, ignore_index=True)
    )
    return rejected, by_reason


def csv_lines(
    path: Path, dialect: Dialect, rows: set[int], structural_lines: set[int]
) -> dict[int, int]:
    """Physical line where each data row in ``rows`` starts (1-based), by re-reading the file.

    Rows are counted the way the reader counts them: blank lines, the header, skipped lines and
    rows rejected as malformed do not count; quoted values may span lines.
    """
    out: dict[int, int] = {}
    if not rows:
        return out
    last = max(rows)
    with _open_text(path, dialect.encoding) as fh:
        csv.field_size_limit(1 << 30)
        reader = csv.reader(fh, delimiter=dialect.delimiter or ",", quotechar=dialect.quote or '"')
        n = 0
        skip = dialect.skip + (1 if dialect.header else 0)
        line_no = 0
        for record in reader:
            start = line_no + 1
            line_no = reader.line_num
            if not record or (len(record) == 1 and record[0] == ""):
                continue
            if skip:
                skip -= 1
                continue
            if start in structural_lines:
                continue
            n += 1
            if n in rows:
                out[n] = start
            if n >= last:
                break
    return out
