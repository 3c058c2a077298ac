"""The journey model: how a log is split into journeys, and the tables built from them.

A log is split into journeys in one of two ways, and :class:`Split` says which: by the log's
journey column (a case, session or ticket id), or by cutting each customer's events where more
than a session gap passes between two of them. Everything that depends on the split asks the
model's :attr:`JourneyTables.split` instead of testing its fields.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from workbench.core import db
from workbench.core.durations import parse_duration
from workbench.ingest.load import EventLog
from workbench.store.cache import Cache

#: The gap that splits a customer's events into journeys when the log has no journey column.
DEFAULT_SESSION_GAP = "30min"


@dataclass(frozen=True)
class Split:
    """How events are grouped into journeys: by the journey column, or by a session gap.

    Examples
    --------
    >>> Split.choose(None, has_journey_column=True).by_column
    True
    >>> Split.choose(None, has_journey_column=False)
    Split(by_column=False, gap='30min', gap_seconds=1800.0)
    >>> Split.choose("2h", has_journey_column=True).label
    'session gap'
    """

    by_column: bool
    gap: str | None = None
    gap_seconds: float | None = None

    @classmethod
    def choose(cls, session_gap: str | int | float | None, *, has_journey_column: bool) -> Split:
        """The journey column when the log has one and no gap is given; otherwise ``session_gap``
        (:data:`DEFAULT_SESSION_GAP` when None)."""
        if session_gap is None and has_journey_column:
            return cls(by_column=True)
        gap = session_gap if session_gap is not None else DEFAULT_SESSION_GAP
        return cls(by_column=False, gap=str(gap), gap_seconds=parse_duration(gap, "session gap"))

    @property
    def label(self) -> str:
        """``"journey column"`` or ``"session gap"``, as models and datasets record it."""
        return "journey column" if self.by_column else "session gap"


@dataclass(frozen=True)
class JourneyTables:
    """The tables and totals of a journey model, whichever engine built them: DuckDB
    (:class:`JourneyModel`) or Spark (:class:`workbench.engines.spark.SparkJourneys`). The
    columns are described on :class:`JourneyModel`."""

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
    customers_are_cases: bool = field(default=False, kw_only=True)
    """The log has no customer column apart from its case id (see
    :attr:`workbench.ingest.schema.ColumnMapping.customers_are_cases`): each customer is a
    case, and :attr:`n_customers` and every customer count count cases."""

    @property
    def customer_noun(self) -> str:
        """What a customer count counts, for a person: ``"customers"``, or ``"cases"`` when the
        customers are cases."""
        return "cases" if self.customers_are_cases else "customers"

    def summary(self) -> dict[str, Any]:
        """Totals for a headline: events, journeys, customers (cases when
        ``customers_are_cases``), transitions, variants."""
        return {
            "events": self.n_events,
            "journeys": self.n_journeys,
            "customers": self.n_customers,
            "customers_are_cases": self.customers_are_cases,
            "transitions": self.n_events - self.n_journeys,
            "variants": len(self.variants),
            "split_by": self.split_by,
            "session_gap": self.session_gap,
        }

    @property
    def split(self) -> Split:
        """How these journeys were split: by the journey column, or by :attr:`session_gap`."""
        if self.session_gap is None:
            return Split(by_column=True)
        return Split(
            by_column=False,
            gap=self.session_gap,
            gap_seconds=parse_duration(self.session_gap, "session gap"),
        )


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
    customers_are_cases
        The log has only a case id (no customer column, or one column for both): each customer
        is a case, so :attr:`n_customers` and every customer count count cases; say
        :attr:`customer_noun` to a person.
    """

    n_transitions: int
    cursor: duckdb.DuckDBPyConnection = field(repr=False, compare=False)
    log: EventLog = field(repr=False, compare=False)
    cache: Cache = field(repr=False, compare=False)
    """The model's one cache door (:mod:`workbench.store.cache`): what its analyses remember,
    in memory and, when the model is kept in its dataset, in the dataset file."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    kept_key: str | None = field(default=None, repr=False, compare=False)
    """The key of the model's tables kept in its dataset (see :mod:`workbench.store.kept`), or
    None when they live in memory."""
    period: tuple[date, date] | None = None
    """The first and last day the model's journeys start between when it holds the journeys of
    a period (:func:`workbench.journeys.periods.journeys_between`); None for the whole log."""

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
