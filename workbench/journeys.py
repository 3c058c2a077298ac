"""Rebuild journeys from an event log: steps, the journey graph, starts, ends and variants.

All of it is computed in DuckDB by the SQL files in ``queries/journeys/``; pandas only receives
the small results. The per-step table stays in DuckDB, private to the model's own cursor, for
later analyses to reuse.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from workbench import db, kept_models
from workbench.errors import ValidationError
from workbench.load import EventLog
from workbench.progress import Progress, Stages

DEFAULT_SESSION_GAP = "30min"
_UNITS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}


def parse_gap(gap: str | int | float) -> float:
    """Seconds in a session gap such as ``"30min"``, ``"2h"``, ``"1 day"`` or ``90`` (seconds).

    Examples
    --------
    >>> parse_gap("30min"), parse_gap("2 h"), parse_gap(90)
    (1800.0, 7200.0, 90.0)
    """
    if isinstance(gap, (int, float)) and not isinstance(gap, bool):
        seconds = float(gap)
    else:
        m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", str(gap))
        unit = m.group(2).lower() if m else ""
        if not m or (unit and unit not in _UNITS):
            raise ValidationError(
                f"'{gap}' is not a time gap. Write a number and a unit, e.g. 30min, 2h, 1d or 90s.",
                "Bad session gap",
            )
        seconds = float(m.group(1)) * _UNITS[unit or "s"]
    if seconds <= 0:
        raise ValidationError("The session gap must be longer than zero.", "Bad session gap")
    return seconds


@dataclass(frozen=True)
class JourneyTables:
    """The tables and totals of a journey model, whichever engine built them: DuckDB
    (:class:`JourneyModel`) or Spark (:class:`workbench.spark.SparkJourneys`). The columns are
    described on :class:`JourneyModel`."""

    split_by: str
    session_gap: str | None
    edges: pd.DataFrame
    starts: pd.DataFrame
    ends: pd.DataFrame
    variants: pd.DataFrame
    touchpoints: pd.DataFrame
    n_events: int
    n_journeys: int
    n_customers: int

    def summary(self) -> dict[str, Any]:
        """Totals for a headline: events, journeys, customers, transitions, variants."""
        return {
            "events": self.n_events,
            "journeys": self.n_journeys,
            "customers": self.n_customers,
            "transitions": self.n_events - self.n_journeys,
            "variants": len(self.variants),
            "split_by": self.split_by,
            "session_gap": self.session_gap,
        }


@dataclass(frozen=True)
class JourneyModel(JourneyTables):
    """Journeys rebuilt from an event log.

    Attributes
    ----------
    split_by
        ``"journey column"`` or ``"session gap"``: how events were grouped into journeys.
    session_gap
        The gap used (``None`` when the journey column was used).
    edges
        One row per touchpoint -> touchpoint transition: ``source``, ``target``,
        ``transitions``, ``customers``, ``median_seconds``, ``p90_seconds``, ``mean_seconds``.
    starts, ends
        Touchpoints where journeys begin and end: ``touchpoint``, ``journeys``, ``customers``,
        ``share``.
    variants
        Distinct paths: ``variant`` (rank), ``path`` (list), ``length``, ``journeys``,
        ``share``, ``cumulative_share``, ``median_duration_seconds``.
    touchpoints
        Per touchpoint: events, journeys, customers, starts, ends and dwell (median, p90, mean).
    n_events, n_journeys, n_customers, n_transitions
        Totals; ``n_transitions == n_events - n_journeys``.
    """

    n_transitions: int
    cursor: duckdb.DuckDBPyConnection = field(repr=False, compare=False)
    log: EventLog = field(repr=False, compare=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    kept_key: str | None = field(default=None, repr=False, compare=False)
    """The key of the model's tables kept in its dataset (see :mod:`workbench.kept_models`), or
    None when they live in memory; analyses keep their counts beside them under it."""
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What the private tables on the cursor were last built with (see
    :func:`workbench.outcomes.prepare_visits`), so analyses sharing them build them once."""

    @contextmanager
    def using(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The model's cursor, held alone: its private tables (steps, journeys ...) live on it,
        and a DuckDB cursor must not be used by two threads at once (two app sessions may share
        one cached model)."""
        with self.lock:
            yield self.cursor

    def journeys(self) -> pd.DataFrame:
        """One row per journey: ``journey`` (its id, or "customer #n" when cut by a session gap),
        ``customer_id``, length, distinct touchpoints, loops, channels, channel switches, start,
        end, duration and the ``variant`` it follows.

        Fetched from DuckDB on demand (a 10M-event log has more than a million journeys).
        """
        with self.using() as cur:
            return db.run(cur, "journeys/journey_table")

    def steps(self) -> pd.DataFrame:
        """Every step: journey, customer_id, step, touchpoint, channel, ts, dwell_seconds ..."""
        with self.using() as cur:
            return db.run(cur, "journeys/step_table")


# Distinct journeys and customers per touchpoint or move are counted as bit sets over their keys
# (one bit per key and group in each thread's part of the grouping) when these fit in this much
# memory; otherwise as hashed distinct counts, which spill to disk. Same numbers either way.
BITSET_BUDGET = 96 * 2**20


def _bitset_sizes(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """``journeys/bitset_sizes`` on the model's tables, with DuckDB's threads."""
    row = db.run(cur, "journeys/bitset_sizes").iloc[0]
    return {**{str(k): v for k, v in row.items()}, "threads": db.threads(cur)}


def _bitsets_fit(sizes: dict[str, Any], groups: int, *spans: str) -> bool:
    """Whether bit sets over keys as wide as ``sizes``' ``spans`` (``journeys/bitset_sizes``
    with the threads) for ``groups`` groups fit :data:`BITSET_BUDGET`."""
    widths = [sizes[s] for s in spans]
    if any(w is None or pd.isna(w) for w in widths):
        return False
    return groups * (int(max(widths)) // 8 + 1) * int(sizes["threads"]) <= BITSET_BUDGET


#: The stages of building a journey model, with their usual shares of the time (10M events).
MODEL_STAGES = (
    ("Reopening the journey model the dataset keeps", 0.0),
    ("Ordering each journey's steps", 3.0),
    ("Summarising each journey and its path", 3.7),
    ("Counting the moves between touchpoints", 0.9),
    ("Counting starts, ends and touchpoints", 1.2),
    ("Ranking the variants", 0.5),
)


def build_journeys(
    log: EventLog,
    session_gap: str | int | float | None = None,
    *,
    keep: bool = True,
    progress: Progress | None = None,
) -> JourneyModel:
    """Rebuild every customer's journeys from ``log``.

    Parameters
    ----------
    log
        A loaded event log.
    session_gap
        ``None`` (default): use the journey column when the log has one, otherwise cut each
        customer's events at gaps longer than 30 minutes. A gap such as ``"30min"``, ``"2h"`` or
        ``"1d"`` always cuts by gap, ignoring any journey column.
    keep
        When ``log`` is a dataset (:func:`workbench.open_dataset`), reopen the model it keeps
        for this split if there is one, and otherwise keep the model built now in the dataset
        file for the next session (see :mod:`workbench.kept_models`). ``False`` builds from the
        events and keeps nothing.
    progress
        Called with the fraction done and what is being done as each stage starts (see
        :mod:`workbench.progress`); at 10M events the model takes about 10 s to build, and a
        kept one well under a second to reopen.

    Returns
    -------
    JourneyModel
        Edges, starts, ends, variants and touchpoints as DataFrames; per-journey and per-step
        tables on demand.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv")
    >>> model = wb.build_journeys(log)
    >>> model.split_by
    'journey column'
    >>> int(model.edges["transitions"].sum()) == model.n_transitions
    True
    """
    began = time.perf_counter()
    stages = Stages(progress, MODEL_STAGES)
    cur = log.cursor()
    gap_seconds: float | None = None
    if session_gap is None and log.has_journey_column:
        split_by, gap_text = "journey column", None
    else:
        gap = session_gap if session_gap is not None else DEFAULT_SESSION_GAP
        split_by, gap_text, gap_seconds = "session gap", str(gap), parse_gap(gap)
    key = kept_models.model_key(split_by, gap_seconds)
    record = kept_models.find(log, cur, key) if keep else None
    kept_key: str | None = None
    if record is not None:
        stages.start("Reopening the journey model the dataset keeps")
        kept_models.point_views(cur, key)
        kept_key = key
    else:
        stages.start("Ordering each journey's steps")
        keeping = keep and kept_models.can_keep(log, cur)
        if keeping:
            kept_models.start(cur)
        try:
            record = _build(cur, stages, gap_seconds, key if keeping else None)
            if keeping:
                record = {
                    **record,
                    "split_by": split_by,
                    "session_gap": gap_text,
                    "build_seconds": time.perf_counter() - began,
                }
                kept_models.finish(cur, key, record, str(log.path))
                kept_key = key
        except (duckdb.ConstraintException, duckdb.TransactionException):
            if not keeping:
                raise
            # another session kept a model at the same moment: build this one in memory
            kept_models.rollback(cur)
            return build_journeys(log, session_gap, keep=False, progress=progress)
        except BaseException:
            if keeping:
                kept_models.rollback(cur)
            raise
    # a view: read only when someone asks for the per-journey or per-step tables
    db.create_view(
        cur, "journeys/journey_labels", "journey_labels", temp=True, by_gap=gap_text is not None
    )
    endpoints = db.table(cur, "endpoints")
    starts, ends = (
        endpoints[endpoints["side"] == side].drop(columns="side").reset_index(drop=True)
        for side in ("start", "end")
    )
    n_events, n_journeys = int(record["events"]), int(record["journeys"])
    model = JourneyModel(
        split_by=split_by,
        session_gap=gap_text,
        edges=db.table(cur, "edges"),
        starts=starts,
        ends=ends,
        variants=db.table(cur, "variants"),
        touchpoints=db.table(cur, "touchpoints"),
        n_events=n_events,
        n_journeys=n_journeys,
        n_customers=int(record["customers"]),
        n_transitions=n_events - n_journeys,
        cursor=cur,
        log=log,
        kept_key=kept_key,
    )
    if kept_key is not None:
        kept_models.hold(model, str(log.path), key)
    stages.done()
    return model


def _build(
    cur: duckdb.DuckDBPyConnection, stages: Stages, gap_seconds: float | None, key: str | None
) -> dict[str, Any]:
    """Build the model's tables on ``cur`` -- temp tables, or with ``key`` kept tables in the
    dataset (see :mod:`workbench.kept_models`) under temp views of the same names -- and
    return its totals."""

    def save(query: str, table: str, **params: Any) -> None:
        if key is None:
            db.materialize(cur, query, table, temp=True, **params)
            return
        kept_models.write_table(cur, key, query, table, **params)

    if gap_seconds is None:
        db.create_view(cur, "journeys/keyed_by_column", "keyed_events", temp=True)
    else:
        db.create_view(
            cur, "journeys/keyed_by_gap", "keyed_events", temp=True, gap_seconds=gap_seconds
        )
    save("journeys/steps", "steps")
    cur.execute("drop view keyed_events")
    stages.start("Summarising each journey and its path")
    touchpoints = db.enum_values(cur, "steps", "touchpoint")
    save("journeys/journeys", "journeys", touchpoint_mask=len(touchpoints) <= 64)
    stages.start("Counting the moves between touchpoints")
    sizes = _bitset_sizes(cur)
    save("journeys/edges", "edges", dense=_bitsets_fit(sizes, sizes["moves"], "customer_span"))
    stages.start("Counting starts, ends and touchpoints")
    save(
        "journeys/endpoints",
        "endpoints",
        dense=_bitsets_fit(sizes, 2 * sizes["touchpoints"], "customer_span"),
    )
    save(
        "journeys/touchpoints",
        "touchpoints",
        dense=_bitsets_fit(sizes, sizes["touchpoints"], "journey_span", "customer_span"),
    )
    stages.start("Ranking the variants")
    save("journeys/variants", "variants")
    save("journeys/journey_variants", "journey_variants")
    totals = cur.execute("select count(*), count(distinct customer_key) from journeys").fetchone()
    events = cur.execute("select sum(events) from touchpoints").fetchone()
    return {
        "events": int(events[0] or 0) if events else 0,
        "journeys": int(totals[0]) if totals else 0,
        "customers": int(totals[1]) if totals else 0,
    }
