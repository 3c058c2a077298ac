"""Read an XES event log (IEEE 1849), plain or gzipped, as a stream of rows.

Process-mining tools (Disco, ProM, Celonis, pm4py) export XES: an XML ``<log>`` of ``<trace>``
elements, each holding its own attributes and its ``<event>`` elements. :func:`read_xes` streams
the file through the standard library's expat parser (``xml.parsers.expat``: the parser that
tells the line of each element) and never holds the document: each trace's events are kept until
the trace closes, and rows go to DuckDB in chunks of :data:`CHUNK_EVENTS`, so a log of millions
of events is read in bounded memory.

Each event becomes one row, its columns named as pm4py names them:

- the event's attributes by their keys (``concept:name``, ``time:timestamp``, ``org:resource``,
  ``lifecycle:transition``, ``org:group`` ...);
- its trace's attributes as ``case:<key>`` (``case:concept:name`` is the case id).

Every value is kept as the text the file holds (``string``, ``date``, ``int``, ``float``,
``boolean``, ``id``): the loader reads times and types the columns exactly as it does for a CSV
file. Nested attributes (``list`` and ``container``, and the meta-attributes an attribute may
carry) are skipped and counted in a note. ``<global>`` defaults, ``<extension>`` and
``<classifier>`` declarations and the log's own attributes describe the log, not its events,
and are not read.

The table ``xes_events`` holds the rows with two more columns, the event's number in the file
(``__xes_event``, its row) and the line its ``<event>`` element starts on (``__xes_line``), so
a rejected event is reported with its line; :func:`event_lines` looks them up.

Bad input gets a titled :class:`~workbench.core.errors.LoadError`: a file that is not XML, XML
that is not XES (its first element is not ``<log>``), XML broken part-way (with the line) and a
file that ends early (a truncated ``.gz``, or a ``<log>`` never closed), which says how many
events were read before the end.

pm4py is not used: it is licensed AGPL, and the standard library's parser is enough.
"""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from xml.parsers import expat

import duckdb
import pyarrow as pa

from workbench.core import db
from workbench.core.errors import LoadError

#: Rows handed to DuckDB at a time: about 10-20 MB of Python strings at most.
CHUNK_EVENTS = 10_000
#: Bytes read from the file at a time.
READ_BYTES = 1 << 20
TABLE = "xes_events"
EVENT_NO = "__xes_event"
EVENT_LINE = "__xes_line"
CASE_ID = "case:concept:name"
#: Columns every XES read has, in this order, even when no event holds them: a missing case
#: id, activity or time then rejects the event with its reason, as an empty CSV field does.
LEADING = (EVENT_NO, EVENT_LINE, CASE_ID, "concept:name", "time:timestamp")
_VALUES = frozenset({"string", "date", "int", "float", "boolean", "id"})
_NESTED = frozenset({"list", "container", "values"})
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class XesRead:
    """What :func:`read_xes` read: events and traces, and what it skipped."""

    events: int
    traces: int
    notes: tuple[str, ...] = ()


class _Bytes(Protocol):
    def read1(self, size: int = ..., /) -> bytes: ...


class _NotXes(Exception):
    def __init__(self, element: str, line: int) -> None:
        super().__init__(element)
        self.element, self.line = element, line


class _Reader:
    """The expat handlers: trace and event attributes gathered into rows, rows sent in chunks."""

    def __init__(self, con: duckdb.DuckDBPyConnection, limit: int | None) -> None:
        self.con, self.limit = con, limit
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.root = False
        self.trace: dict[str, str | None] | None = None
        self.trace_events: list[dict[str, Any]] = []
        self.event: dict[str, Any] | None = None
        self.depth = 0  # inside an attribute: its meta-attributes or a list's items
        self.rows: list[dict[str, Any]] = []
        self.columns: dict[str, None] = dict.fromkeys(LEADING)
        self.sent: list[str] = []  # the columns the table has
        self.events = self.traces = self.written = 0
        self.final = False  # the parser was told the file ended
        self.skipped: Counter[str] = Counter()

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.depth:
            self.depth += 1
            return
        if ":" in name:
            name = name.rpartition(":")[2]
        if not self.root:
            if name != "log":
                raise _NotXes(name, self.parser.CurrentLineNumber)
            self.root = True
        elif name in _VALUES:
            self.depth = 1
            key = attrs.get("key")
            if key is None:
                return
            if self.event is not None:
                self.event[key] = attrs.get("value")
            elif self.trace is not None:
                self.trace["case:" + key] = attrs.get("value")
        elif name in _NESTED:
            self.depth = 1
            if self.event is not None or self.trace is not None:
                self.skipped[attrs.get("key", name)] += 1
        elif name == "event":
            self.event = {EVENT_LINE: self.parser.CurrentLineNumber}
        elif name == "trace":
            self.trace, self.trace_events = {}, []

    def end(self, name: str) -> None:
        if self.depth:
            self.depth -= 1
            return
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "event" and self.event is not None:
            if self.trace is not None:
                self.trace_events.append(self.event)
            else:  # an event outside any trace: it has no case
                self._emit({}, [self.event])
            self.event = None
        elif name == "trace" and self.trace is not None:
            self._emit(self.trace, self.trace_events)
            self.traces += 1
            self.trace, self.trace_events = None, []

    def _emit(self, trace: dict[str, str | None], events: list[dict[str, Any]]) -> None:
        for event in events:
            self.events += 1
            row = {**trace, **event} if trace else event
            row[EVENT_NO] = self.events
            self.rows.append(row)
        if len(self.rows) >= CHUNK_EVENTS:
            self.flush()

    def wants_more(self) -> bool:
        return self.limit is None or self.events < self.limit

    def flush(self) -> None:
        """Send the gathered rows to table ``xes_events`` and forget them."""
        rows = self.rows if self.limit is None else self.rows[: max(self.limit - self.written, 0)]
        self.rows = []
        self.written += len(rows)
        if not rows:
            return
        for row in rows:
            self.columns.update(dict.fromkeys(row))
        schema = pa.schema(
            (c, pa.int64() if c in (EVENT_NO, EVENT_LINE) else pa.string()) for c in self.columns
        )
        chunk = pa.Table.from_pylist(rows, schema=schema)
        self.con.complete()
        self.con.register("xes_chunk", chunk)
        if not self.sent:
            db.execute(self.con, "duckdb/ingest/xes_create")
        for column in list(self.columns)[len(self.sent) :] if self.sent else ():
            db.execute(self.con, "duckdb/ingest/xes_add_column", column=column)
        if self.sent:
            db.execute(self.con, "duckdb/ingest/xes_append")
        self.con.unregister("xes_chunk")
        self.sent = list(self.columns)

    def read(self, stream: _Bytes) -> None:
        # read1: one read of the file at most, so that what a truncated gzip stream still
        # held is parsed before its end raises (read() would drop it)
        while self.wants_more() and (data := stream.read1(READ_BYTES)):
            self.parser.Parse(data, False)
        if self.wants_more():
            self.final = True
            self.parser.Parse(b"", True)
        self.flush()


def is_gzip(path: Path) -> bool:
    """The file starts with the gzip magic bytes (whatever its name says)."""
    with open(path, "rb") as fh:
        return fh.read(2) == _GZIP_MAGIC


def read_xes(con: duckdb.DuckDBPyConnection, path: Path, limit: int | None = None) -> XesRead:
    """Stream the XES file at ``path`` (gzipped or not) into table ``xes_events``, one row per
    event in file order, every value as text; stop after ``limit`` events when given.

    Raises
    ------
    LoadError
        The file is not XML, not XES, broken part-way, or ends early (truncated); the message
        names the line, and for a truncated file how many events were read before its end.

    Examples
    --------
    >>> from workbench.core import db
    >>> con = db.connect()
    >>> read = read_xes(con, Path("tests/data/xes/helpdesk.xes.gz"))
    >>> read.events, read.traces
    (6, 3)
    >>> con.execute('select "case:concept:name", "concept:name" from xes_events').fetchone()
    ('Case 1', 'Open ticket')
    """
    reader = _Reader(con, limit)
    opener = gzip.open if is_gzip(path) else open
    try:
        with opener(path, "rb") as stream:
            reader.read(stream)
    except _NotXes as exc:
        raise LoadError(
            f"{path.name} is XML, but its first element is <{exc.element}> (line {exc.line}); "
            "an XES event log starts with <log>. Export the log as XES, or as CSV.",
            "Not an XES log",
        ) from exc
    except expat.ExpatError as exc:
        raise _xml_error(path, reader, exc) from exc
    except EOFError as exc:
        raise _truncated(path, reader, "the compressed stream stops before its end") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise LoadError(
            f"{path.name} could not be decompressed ({exc}). Download or export it again.",
            "Not a readable gzip file",
        ) from exc
    if reader.events == 0:
        raise LoadError(
            f"{path.name} is an XES log with {reader.traces:,} trace(s) but no events.",
            "No events",
        )
    return XesRead(reader.written, reader.traces, _notes(reader))


def _notes(reader: _Reader) -> tuple[str, ...]:
    if not reader.skipped:
        return ()
    keys = ", ".join(f"'{k}'" for k, _ in reader.skipped.most_common(5))
    return (
        f"{sum(reader.skipped.values()):,} list or container attribute(s) ({keys}) were "
        "skipped: only single values become columns.",
    )


def _xml_error(path: Path, reader: _Reader, exc: expat.ExpatError) -> LoadError:
    where = f"line {exc.lineno}, column {exc.offset + 1}"
    what = expat.ErrorString(exc.code)
    if not reader.root:
        return LoadError(
            f"{path.name} is not XML ({what} at {where}). An XES event log is an XML file "
            "that starts with <log>; export the log as XES, or load it as CSV.",
            "Not an XML file",
        )
    if reader.final:  # the error is at the end of the file: elements left open
        return _truncated(path, reader, "the <log> element is never closed")
    return LoadError(
        f"{path.name} is not well-formed XML at {where}: {what}. {_read_so_far(reader)} "
        "Nothing was loaded; fix the file there or export it again.",
        "Broken XES file",
    )


def _truncated(path: Path, reader: _Reader, why: str) -> LoadError:
    return LoadError(
        f"{path.name} ends early: {why} (after line {reader.parser.CurrentLineNumber:,}). "
        f"{_read_so_far(reader)} The events after that point are missing, so nothing was "
        "loaded; download or export the file again.",
        "Truncated file",
    )


def _read_so_far(reader: _Reader) -> str:
    cut = len(reader.trace_events)  # an <event> element cut off is not counted
    total = reader.events + cut
    text = f"{_count(total, 'event')} {'was' if total == 1 else 'were'} read before it"
    if cut:
        text += f" ({cut:,} of them in the trace it breaks off in)"
    return text + f", {_count(reader.traces, 'trace')} closed."


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def event_lines(con: duckdb.DuckDBPyConnection, rows: Iterable[int]) -> dict[int, int]:
    """The line of the ``<event>`` element of each event number in ``rows``."""
    wanted = [int(r) for r in rows]
    if not wanted:
        return {}
    found = db.execute(con, "duckdb/ingest/xes_lines", rows=wanted).fetchall()
    return {int(n): int(line) for n, line in found}


def drop(con: duckdb.DuckDBPyConnection) -> None:
    """Drop table ``xes_events`` once its lines are no longer needed."""
    db.execute(con, "duckdb/db/drop_table", table=TABLE)
