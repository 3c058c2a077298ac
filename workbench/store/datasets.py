"""Datasets on disk: an event log imported once into a DuckDB file, reopened in a moment.

A dataset file holds the tables of a loaded log (``events``, ``surveys``, ``customers``, the
rejected rows) and one row in ``workbench_dataset`` with everything the load reported (mapping,
time format, row accounting). That row is written last, in the same file that is then renamed
into place: a file without it -- an import that was killed half-way -- is never taken for a
dataset, and the half-written ``.part`` file is cleared by the next import.

- :func:`open_dataset` reopens a dataset file.
- :func:`dataset` imports sources into a folder of datasets (``.workbench/datasets`` by default)
  the first time and reopens the same import afterwards, as long as the files and the options
  are the same.
- :func:`list_datasets` and :func:`delete_dataset` manage the folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from workbench.core import db
from workbench.core.errors import LoadError
from workbench.core.progress import Progress, Stages
from workbench.ingest.load import IMPORT_STAGES, EventLog, Source, read_events
from workbench.ingest.report import LoadReport
from workbench.ingest.schema import ColumnMapping
from workbench.ingest.sources import Dialect
from workbench.ingest.times import TimeFormat
from workbench.store import kept as kept_models
from workbench.store.segment_values import keep_segment_values

FORMAT_VERSION = 2  # 2: one ColumnMapping for events, surveys and customers
META_TABLE = "workbench_dataset"  # named in queries/duckdb/store/dataset_*.sql
IN_USE = "Dataset in use"
SUFFIX = ".duckdb"
DEFAULT_FOLDER = Path(".workbench") / "datasets"
_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (LoadReport, ColumnMapping, TimeFormat, Dialect)
}


# -- reports to JSON and back -------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, "fields": fields}
    if isinstance(value, pd.DataFrame):
        return {"__frame__": value.reset_index(drop=True).to_json(orient="table", index=False)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__type__" in value:
        cls = _TYPES[value["__type__"]]
        return cls(**{k: _decode(v) for k, v in value["fields"].items()})
    if "__frame__" in value:
        return pd.read_json(io.StringIO(value["__frame__"]), orient="table")
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    return {k: _decode(v) for k, v in value.items()}


def describe(log: EventLog) -> dict[str, Any]:
    """What is stored about a loaded log: its reports, as JSON-safe values."""
    return {
        "format": FORMAT_VERSION,
        "report": _encode(log.report),
        "surveys": _encode(log.survey_report),
        "customers": _encode(log.customer_report),
    }


def write_meta(con: duckdb.DuckDBPyConnection, log: EventLog) -> None:
    """Record ``log``'s reports in the database: the mark of a complete dataset."""
    db.execute(con, "duckdb/store/dataset_record")
    db.execute(
        con,
        "duckdb/store/dataset_record_row",
        format=FORMAT_VERSION,
        created=datetime.now(UTC).replace(tzinfo=None),
        source=log.report.source,
        events=log.report.rows_loaded,
        description=json.dumps(describe(log)),
    )


# -- opening ------------------------------------------------------------------------------------


def open_dataset(
    path: str | Path, *, read_only: bool = False, memory_limit: str | None = None
) -> EventLog:
    """Reopen a dataset file written by ``load_events(..., database=path)``.

    Parameters
    ----------
    path
        The dataset's DuckDB file.
    read_only
        Open without taking the write lock, so other processes can read it too.
    memory_limit
        Cap DuckDB's memory; larger work spills to disk beside the file.

    Raises
    ------
    LoadError
        The file is missing, is not a DuckDB file, or holds no complete dataset.

    Examples
    --------
    >>> import tempfile, workbench as wb
    >>> folder = tempfile.mkdtemp()
    >>> log = wb.load_events("sample_data/events.csv", database=f"{folder}/sample.duckdb")
    >>> again = wb.open_dataset(f"{folder}/sample.duckdb")
    >>> again.report.rows_loaded == log.report.rows_loaded
    True
    """
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"There is no dataset file at {path}.", "No such dataset")
    try:
        con = db.connect(path, memory_limit=memory_limit, read_only=read_only)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise LoadError(
                f"{path.name} is open in another program (another workbench or a notebook). "
                "Close it there, or open it with read_only=True from both.",
                IN_USE,
            ) from exc
        raise LoadError(
            f"{path.name} cannot be opened as a dataset: {str(exc).splitlines()[0]}",
            "Not a dataset",
        ) from exc
    meta = _meta(con)
    if meta is None:
        con.close()
        raise LoadError(
            f"{path.name} holds no complete dataset (its import did not finish). Import the "
            "source again.",
            "Incomplete dataset",
        )
    if meta["format"] != FORMAT_VERSION:
        con.close()
        raise LoadError(
            f"{path.name} was written in dataset format {meta['format']}; this version reads "
            f"format {FORMAT_VERSION}. Import the source again.",
            "Dataset format",
        )
    desc = json.loads(meta["description"])
    return EventLog(
        con,
        _decode(desc["report"]),
        _decode(desc["surveys"]),
        _decode(desc["customers"]),
        path=path,
    )


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    found = db.execute(con, "duckdb/store/main_table_exists", table=META_TABLE).fetchone()
    if not found or not found[0]:
        return None
    row = db.execute(con, "duckdb/store/dataset_meta").fetchone()
    if row is None:
        return None
    keys = ("format", "created", "source", "events", "description")
    return dict(zip(keys, row, strict=True))


# -- a folder of datasets -----------------------------------------------------------------------


def fingerprint(sources: Mapping[str, Any], options: Mapping[str, Any]) -> str:
    """A key for an import: the files (path, size, modification time) and the options."""
    parts: dict[str, Any] = {"format": FORMAT_VERSION, "options": options}
    for role, source in sources.items():
        if source is None:
            parts[role] = None
            continue
        p = Path(source).resolve()
        stat = p.stat()
        parts[role] = [str(p), stat.st_size, stat.st_mtime_ns]
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def dataset(
    events: str | Path,
    *,
    folder: str | Path = DEFAULT_FOLDER,
    surveys: str | Path | None = None,
    customers: str | Path | None = None,
    memory_limit: str | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> EventLog:
    """Import ``events`` (with ``surveys`` and ``customers``) into ``folder`` once; afterwards
    reopen that import while the files and ``options`` (any of
    :func:`~workbench.load_events`' mapping and format options) stay the same. ``progress``
    sees the stages of an import (see :mod:`workbench.core.progress`); a reopen reports nothing.

    Examples
    --------
    >>> import tempfile, workbench as wb
    >>> folder = tempfile.mkdtemp()
    >>> first = wb.dataset("sample_data/events.csv", folder=folder)
    >>> second = wb.dataset("sample_data/events.csv", folder=folder)
    >>> first.path == second.path and len(wb.datasets.list_datasets(folder))
    1
    """

    folder = Path(folder)
    key = fingerprint({"events": events, "surveys": surveys, "customers": customers}, options)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(events).stem)[:40] or "events"
    path = folder / f"{stem}-{key[:12]}{SUFFIX}"
    if path.exists():
        try:
            log = open_dataset(path, memory_limit=memory_limit)
        except LoadError as exc:
            if exc.title != IN_USE:
                delete_dataset(path)  # unreadable or from an older format: import again
        else:
            return log
        if path.exists():  # held by another process: work on a private copy in memory
            return load_events(
                events,
                surveys=surveys,
                customers=customers,
                memory_limit=memory_limit,
                progress=progress,
                **options,
            )
    folder.mkdir(parents=True, exist_ok=True)
    return load_events(
        events,
        surveys=surveys,
        customers=customers,
        progress=progress,
        database=path,
        memory_limit=memory_limit,
        **options,
    )


def load_events(
    source: Source,
    mapping: Mapping[str, str | None] | None = None,
    *,
    database: str | Path | None = None,
    memory_limit: str | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> EventLog:
    """Load an event log through DuckDB: in memory, or with ``database`` into a new dataset file.

    Parameters
    ----------
    source, mapping, options
        What :func:`workbench.ingest.load.read_events` takes: the file, DataFrame or Arrow
        table, the role -> column overrides, and the format, survey, customer and
        pseudonymisation options.
    database
        A new DuckDB file to keep the log in (a dataset: reopen it with :func:`open_dataset`);
        in memory when not given. The file appears only when the import is complete; each
        journey's segment values are kept in it (:mod:`workbench.store.segment_values`).
    memory_limit
        Cap DuckDB's memory, e.g. ``"1GB"``; with ``database`` given, larger work spills to
        disk beside it instead of growing the process.
    progress
        Called with the fraction done and what is being done as each stage starts.

    Returns
    -------
    EventLog
        The loaded log; ``log.report`` accounts for every row.

    Examples
    --------
    >>> import tempfile, workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", database=tempfile.mkdtemp() + "/s.duckdb")
    >>> log.path.suffix, log.report.rows_rejected
    ('.duckdb', 0)
    """
    if database is None:
        return read_events(source, mapping, memory_limit=memory_limit, progress=progress, **options)
    stages = Stages(progress, IMPORT_STAGES)
    target = Path(database)
    part = start(target)
    con = db.connect(part, memory_limit=memory_limit)
    try:
        log = read_events(source, mapping, con=con, stages=stages, **options)
        if log.has_journey_column:
            stages.start("Finding each journey's segment values")
            keep_segment_values(log)
        stages.start("Writing the dataset file")
        write_meta(con, log)
        finish(con, part, target)
    except BaseException:
        con.close()
        delete_dataset(part)
        raise
    reopened = open_dataset(target, memory_limit=memory_limit)
    stages.done()
    return reopened


def list_datasets(folder: str | Path = DEFAULT_FOLDER) -> pd.DataFrame:
    """The complete datasets in ``folder``: ``path``, ``source``, ``events``, ``created``,
    ``models`` (the journey models it keeps, see :mod:`workbench.store.kept`), ``megabytes``.
    Files that cannot be read (in use by another process, unfinished) are
    listed with ``source`` empty."""
    rows = []
    for path in sorted(Path(folder).glob(f"*{SUFFIX}")):
        info: dict[str, Any] = {"path": str(path), "source": None, "events": None}
        info["created"] = info["models"] = None
        meta = None
        for read_only in (False, True):  # in this process the open instance is shared
            try:
                con = duckdb.connect(str(path), read_only=read_only)
            except duckdb.Error:
                continue
            try:
                meta = _meta(con)
                models = kept_models.count(con) if meta else None
            finally:
                con.close()
            break
        if meta:
            info.update(source=meta["source"], events=meta["events"], created=meta["created"])
            info["models"] = models
        info["megabytes"] = round(_size(path) / 2**20, 1)
        rows.append(info)
    return pd.DataFrame(
        rows, columns=["path", "source", "events", "created", "models", "megabytes"]
    )


def delete_dataset(path: str | Path) -> None:
    """Delete a dataset file with its write-ahead log and spill folder, if any."""
    path = Path(path)
    for extra in _companions(path):
        if extra.is_dir():
            for child in sorted(extra.rglob("*"), reverse=True):
                child.unlink() if child.is_file() else child.rmdir()
            extra.rmdir()
        elif extra.exists():
            extra.unlink()


def _companions(path: Path) -> list[Path]:
    return [path, Path(f"{path}.wal"), Path(f"{path}.tmp")]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in _companions(path) if p.is_file())


# -- writing atomically -------------------------------------------------------------------------


def part_path(path: Path) -> Path:
    """Where an import into ``path`` is written before it is complete."""
    return path.with_name(path.name + ".part")


def start(path: Path) -> Path:
    """Clear what a killed import into ``path`` left behind; refuse to overwrite a dataset."""
    if path.exists():
        raise LoadError(
            f"{path} exists already. Open it with open_dataset(), or delete it first.",
            "Dataset exists",
        )
    part = part_path(path)
    delete_dataset(part)
    return part


def finish(con: duckdb.DuckDBPyConnection, part: Path, path: Path) -> None:
    """Make the import in ``part`` durable, close it, and move it to ``path`` in one step."""
    db.checkpoint(con)
    con.close()
    os.replace(part, path)
    wal = Path(f"{part}.wal")
    if wal.exists():  # checkpointed: nothing in it is needed
        wal.unlink()
