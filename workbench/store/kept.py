"""A dataset keeps the journey models built on it, so the next session reopens one at once.

Building a journey model reads every event: about 10 s at 10M events, in every new process (an
app start, a notebook, a CLI run). When the log is a dataset open for writing,
:func:`workbench.build_journeys` writes the model's tables into the dataset file instead of
keeping them in memory -- schema ``workbench_models``, one set of tables per model, each
prefixed ``m<key>_`` -- and records the model in ``workbench_models.models`` in the same
transaction, so a model is kept whole or not at all. The next build with the same split finds
the record and points its views at the kept tables.

- The key is the split (journey column, or the session gap in seconds) and the text of every
  ``queries/journeys/*.sql``: a workbench whose journey queries differ builds afresh. A
  dataset's events never change after import, so nothing else can make a kept model stale.
- At most :data:`KEEP` models are kept per dataset, one per split; keeping another drops the
  least recently kept one, and any other of the same split (written by other journey queries),
  that no model in this process reads. A dataset file is written by one process at a
  time (DuckDB's lock), so no other process can be reading it then.
- A dataset opened read-only reuses a kept model but keeps none; a log in memory keeps none.
- :func:`list_models` lists them, :func:`forget_models` drops them.

Beside a kept model, the analyses keep what they count (``workbench_models.counts``, tables
``c<key>_<part>_<i>``): the journeys' outcomes and survey links (:func:`keep_tables`, read
through temp views), friction's counts and concentrations, the causes of each effect, the KPIs
and the Satisfaction page's inputs (:func:`keep_frames`, read back as DataFrames). Analyses
never call these: they ask their model's cache (:mod:`workbench.store.cache`), the one door
that looks in memory, then here, then computes. The key adds the analysis's parameters and a
digest of every query and of the analyses' code, so changed code counts afresh; a later session
that finds them reads no event at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from workbench.core import db
from workbench.ingest.load import EventLog

# The statements in queries/duckdb/store/kept_*.sql name the schema and its two record tables
# in their text (workbench_models.models, workbench_models.counts); table names made at run time
# go through db.qualified, and every value is bound.
_Q = f"{db.LOCAL}/store"
SCHEMA = "workbench_models"
REGISTRY = "models"
COUNTS = "counts"
#: How many sets of an analysis's counts a dataset keeps (kilobytes to tens of megabytes each).
KEEP_COUNTS = 24
#: How many journey models a dataset keeps (at 10M events each takes about 220 MB of the file).
KEEP = 2
#: The model's tables: the large ones later analyses read, and the small ones it returns.
TABLES = (
    "steps",
    "journeys",
    "variants",
    "journey_variants",
    "edges",
    "endpoints",
    "touchpoints",
)
_FORMAT = "1"
#: Code outside analyses/ and journeys/ that shapes what the analyses count.
_SEGMENT_CODE = (
    Path(__file__).resolve().parent / "segment_values.py",
    Path(__file__).resolve().parent.parent / "ingest" / "vocabulary.py",  # the guessed goals
)

_in_use: Counter[tuple[str, str]] = Counter()
_in_use_lock = threading.Lock()


def model_key(split_by: str, gap_seconds: float | None) -> str:
    """The key of a model: its split and the text of the journey queries.

    Examples
    --------
    >>> model_key("journey column", None) == model_key("journey column", None)
    True
    >>> model_key("session gap", 1800.0) != model_key("session gap", 3600.0)
    True
    """
    digest = hashlib.sha256(f"{_FORMAT}\0{split_by}\0{gap_seconds!r}".encode())
    for name in db.query_names():
        if name.startswith("journeys/"):
            digest.update(f"\0{name}\0{db.query_text(name)}".encode())
    return digest.hexdigest()[:16]


def _model_name(key: str, table: str) -> str:
    return f"m{key}_{table}"


def table_name(key: str, table: str) -> str:
    """The kept table ``table`` (one of :data:`TABLES`) of model ``key``, schema-qualified."""
    return db.qualified(SCHEMA, _model_name(key, table))


def write_table(
    cur: duckdb.DuckDBPyConnection, key: str, query: str, table: str, **params: Any
) -> None:
    """Write ``queries/<query>.sql`` as model ``key``'s kept table ``table`` (inside the
    transaction :func:`start` began), under a temp view named ``table``."""
    db.materialize(cur, query, _model_name(key, table), schema=SCHEMA, **params)
    db.view_over(cur, table, table_name(key, table))


def can_keep(log: EventLog, cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``log`` is a dataset this process may write to."""
    if log.path is None:
        return False
    row = db.execute(cur, f"{_Q}/kept_read_only").fetchone()
    return row is not None and not row[0]


def _registry_exists(cur: duckdb.DuckDBPyConnection, table: str = REGISTRY) -> bool:
    row = db.execute(cur, f"{_Q}/kept_table_exists", schema=SCHEMA, table=table).fetchone()
    return bool(row and row[0])


def count(cur: duckdb.DuckDBPyConnection) -> int:
    """How many journey models the dataset open on ``cur`` keeps."""
    if not _registry_exists(cur):
        return 0
    row = db.execute(cur, f"{_Q}/kept_model_count").fetchone()
    return int(row[0]) if row else 0


def find(log: EventLog, cur: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any] | None:
    """The record of model ``key`` kept in ``log``'s dataset, or None."""
    if log.path is None or not _registry_exists(cur):
        return None
    frame = db.execute(cur, f"{_Q}/kept_model", key=key).df()
    return None if frame.empty else {str(k): v for k, v in frame.iloc[0].items()}


def start(cur: duckdb.DuckDBPyConnection) -> None:
    """Begin the transaction that keeps a model (its tables and, last, its record)."""
    cur.begin()
    for statement in ("kept_schema", "kept_models_table", "kept_counts_table"):
        db.execute(cur, f"{_Q}/{statement}")


def point_views(cur: duckdb.DuckDBPyConnection, key: str) -> None:
    """Temp views under the model tables' usual names (``steps``, ``journeys`` ...) over model
    ``key``'s kept tables, so every analysis reads them as it reads a model built in memory."""
    for t in TABLES:
        db.view_over(cur, t, table_name(key, t))


def finish(cur: duckdb.DuckDBPyConnection, key: str, record: dict[str, Any], path: str) -> None:
    """Record model ``key`` and commit; then drop, of the kept models no model in this process
    reads, those of the same split (kept by another version of the journey queries: this one
    replaces them) and the oldest beyond :data:`KEEP`."""
    db.execute(
        cur,
        f"{_Q}/kept_model_record",
        key=key,
        split_by=record["split_by"],
        session_gap=record["session_gap"],
        events=record["events"],
        journeys=record["journeys"],
        customers=record["customers"],
        build_seconds=record["build_seconds"],
        kept_at=_now(),
    )
    cur.commit()
    rows = db.execute(
        cur,
        f"{_Q}/kept_model_splits",
        split_by=record["split_by"],
        session_gap=record["session_gap"],
    ).fetchall()
    with _in_use_lock:
        busy = {k for (p, k), n in _in_use.items() if p == path and n > 0}
    old, staying = [], 0
    for k, same_split in rows:  # newest first: this model, then the others
        if k != key and str(k) not in busy and (same_split or staying >= KEEP):
            old.append(str(k))
        else:
            staying += 1
    if old:
        try:
            _drop(cur, old)
        except duckdb.TransactionException:  # another session is writing: the next keep drops
            rollback(cur)


def _drop(cur: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
    cur.begin()
    for k in keys:
        for t in TABLES:
            db.drop_table(cur, table_name(k, t))
        db.execute(cur, f"{_Q}/kept_model_drop", key=k)
        _drop_counts(cur, model=k)
    cur.commit()


def _drop_counts(
    cur: duckdb.DuckDBPyConnection, *, key: str | None = None, model: str | None = None
) -> None:
    """Drop the counts kept under ``key``, or beside model ``model`` (inside the caller's
    transaction)."""
    rows = db.execute(cur, f"{_Q}/kept_counts_parts", key=key, model=model).fetchall()
    for k, part, tables in rows:
        for i in range(int(tables)):
            db.drop_table(cur, _counts_table(str(k), int(part), i))
        db.execute(cur, f"{_Q}/kept_counts_drop", key=k, part=part)


# -- an analysis's counts ------------------------------------------------------------------------


@cache
def _code() -> str:
    """A digest of everything an analysis's counts depend on besides the data and their key:
    every query, and the code of the analyses and journeys that prepares their inputs."""
    digest = hashlib.sha256(_FORMAT.encode())
    for name in db.query_names():
        digest.update(f"\0{name}\0{db.query_text(name)}".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(
        [*package.glob("analyses/**/*.py"), *package.glob("journeys/*.py"), *_SEGMENT_CODE]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def counts_key(model_key: str | None, *parts: Any) -> str | None:
    """The key an analysis keeps its counts under for the kept model ``model_key`` (None: the
    model is not kept, so neither are its counts) and everything else they depend on."""
    if model_key is None:
        return None
    text = f"{model_key}\0{_code()}\0{parts!r}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _counts_name(key: str, part: int, i: int) -> str:
    """The name of the ``i``-th table of part ``part`` of the counts kept under ``key``."""
    return f"c{key}_{part}_{i}"


def _counts_table(key: str, part: int, i: int) -> str:
    return db.qualified(SCHEMA, _counts_name(key, part, i))


def _read(cur: duckdb.DuckDBPyConnection, key: str, part: int, tables: int) -> list[pd.DataFrame]:
    return [db.read_all(cur, _counts_table(key, part, i)) for i in range(tables)]


def kept_counts(
    cur: duckdb.DuckDBPyConnection, key: str | None
) -> list[tuple[str, list[pd.DataFrame]]]:
    """The parts kept under ``key``, in the order they were kept: each its ``points`` text
    (what it covers, as the analysis wrote it) and its tables as DataFrames."""
    if key is None or not _registry_exists(cur, COUNTS):
        return []
    rows = db.execute(cur, f"{_Q}/kept_counts_of", key=key).fetchall()
    return [(str(points), _read(cur, key, int(part), int(n))) for part, n, points in rows]


def keep_frames(
    log: EventLog,
    cur: duckdb.DuckDBPyConnection,
    key: str | None,
    model_key: str | None,
    kind: str,
    frames: list[pd.DataFrame],
    points: str = "",
) -> list[pd.DataFrame]:
    """Like :func:`keep_counts` for counts already in DataFrames: kept as tables and read back
    (so this session answers from what the next one will read), or returned as they are."""

    def write(part: int) -> None:
        for i, frame in enumerate(frames):
            db.table_from_frame(cur, _counts_table(str(key), part, i), frame)

    part = _keep(log, cur, key, model_key, kind, len(frames), write, points)
    return frames if part is None else _read(cur, str(key), part, len(frames))


def kept_views(cur: duckdb.DuckDBPyConnection, key: str | None, names: list[str]) -> bool:
    """Point temp views ``names`` at the tables kept under ``key`` by :func:`keep_tables`, if
    there are any; return whether there were."""
    if key is None or not _registry_exists(cur, COUNTS):
        return False
    rows = db.execute(cur, f"{_Q}/kept_counts_of", key=key).fetchall()
    if not rows:
        return False
    for i, name in enumerate(names):
        db.view_over(cur, name, _counts_table(key, int(rows[0][0]), i))
    return True


def keep_tables(
    log: EventLog,
    cur: duckdb.DuckDBPyConnection,
    key: str | None,
    model_key: str | None,
    kind: str,
    queries: list[tuple[str, str, dict[str, Any]]],
) -> None:
    """Make each (query, name, parameters) of ``queries`` the relation ``name`` on ``cur``, in
    order (a query may read the ones before it): kept in the dataset under ``key`` with a temp
    view ``name`` over it when the dataset can keep them (:func:`kept_views` finds them in the
    next session), else a temp table."""

    def write(part: int) -> None:
        for i, (query, name, params) in enumerate(queries):
            db.materialize(cur, query, _counts_name(str(key), part, i), schema=SCHEMA, **params)
            db.view_over(cur, name, _counts_table(str(key), part, i))

    if _keep(log, cur, key, model_key, kind, len(queries), write, "") is None:
        for query, name, params in queries:
            db.materialize(cur, query, name, temp=True, **params)


def _keep(
    log: EventLog,
    cur: duckdb.DuckDBPyConnection,
    key: str | None,
    model_key: str | None,
    kind: str,
    tables: int,
    write: Callable[[int], None],
    points: str,
) -> int | None:
    """Keep one more part under ``key``: its ``tables`` tables made by ``write(part)`` and its
    record, in one transaction, dropping the oldest sets beyond :data:`KEEP_COUNTS`; return
    the part. None when nothing was kept: no kept model, no write access, or another session
    writing at the same moment."""
    if key is None or model_key is None or not can_keep(log, cur):
        return None
    start(cur)
    try:
        ((part,),) = db.execute(cur, f"{_Q}/kept_counts_next", key=key).fetchall()
        write(int(part))
        db.execute(
            cur,
            f"{_Q}/kept_counts_record",
            key=key,
            part=part,
            model=model_key,
            kind=kind,
            tables=tables,
            points=points,
            kept_at=_now(),
        )
        stale = db.execute(cur, f"{_Q}/kept_counts_stale", key=key, keep=KEEP_COUNTS - 1)
        for (old,) in stale.fetchall():
            _drop_counts(cur, key=str(old))
        cur.commit()
    except duckdb.TransactionException:
        rollback(cur)
        return None
    except BaseException:
        rollback(cur)
        raise
    return int(part)


def rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back the transaction on ``cur``, if one is still open."""
    with contextlib.suppress(duckdb.TransactionException):  # a failed commit ended it
        cur.rollback()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hold(model: object, path: str, key: str) -> None:
    """Mark model ``key`` of the dataset at ``path`` as read by ``model`` until it is gone."""
    with _in_use_lock:
        _in_use[(path, key)] += 1
    weakref.finalize(model, _release, path, key)


def _release(path: str, key: str) -> None:
    with _in_use_lock:
        _in_use[(path, key)] -= 1
        if _in_use[(path, key)] <= 0:
            del _in_use[(path, key)]


def list_models(log: EventLog) -> pd.DataFrame:
    """The journey models ``log``'s dataset keeps: ``split_by``, ``session_gap``, ``events``,
    ``journeys``, ``customers``, ``build_seconds`` (how long the build took) and ``kept_at``
    (UTC), most recent first. Empty for a log in memory.

    Examples
    --------
    >>> import tempfile, workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", database=tempfile.mkdtemp() + "/s.duckdb")
    >>> len(list_models(log))
    0
    >>> _ = wb.build_journeys(log)
    >>> list_models(log)[["split_by", "journeys"]].to_dict("records")
    [{'split_by': 'journey column', 'journeys': 5728}]
    """
    cur = log.cursor()
    columns = [
        "split_by",
        "session_gap",
        "events",
        "journeys",
        "customers",
        "build_seconds",
        "kept_at",
    ]
    if log.path is None or not _registry_exists(cur):
        return pd.DataFrame(columns=columns)
    return db.execute(cur, f"{_Q}/kept_model_list").df()


def forget_models(log: EventLog) -> int:
    """Drop every journey model ``log``'s dataset keeps that no model in this process reads;
    return how many were dropped. The file's space is reused by the next writes."""
    cur = log.cursor()
    if log.path is None or not can_keep(log, cur) or not _registry_exists(cur):
        return 0
    keys = [str(r[0]) for r in db.execute(cur, f"{_Q}/kept_model_keys").fetchall()]
    with _in_use_lock:
        busy = {k for (p, k), n in _in_use.items() if p == str(log.path) and n > 0}
    old = [k for k in keys if k not in busy]
    if old:
        _drop(cur, old)
    return len(old)
