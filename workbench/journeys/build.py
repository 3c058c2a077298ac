"""Build a journey model from an event log: steps, the journey graph, starts, ends, variants.

All of it is computed in DuckDB by the SQL files in ``queries/journeys/``; pandas only receives
the small results. The per-step table stays in DuckDB, private to the model's own cursor, for
later analyses to reuse. When the log is a dataset open for writing, the model's tables are kept
in the dataset file (:mod:`workbench.store.kept`) and the next session reopens them.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.core.periods import describe_period, moments
from workbench.core.progress import Progress, Stages
from workbench.ingest.load import EventLog
from workbench.journeys.model import JourneyModel, Split
from workbench.store import kept as kept_models
from workbench.store.cache import Cache

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
        file for the next session (see :mod:`workbench.store.kept`). ``False`` builds from the
        events and keeps nothing.
    progress
        Called with the fraction done and what is being done as each stage starts (see
        :mod:`workbench.core.progress`); at 10M events the model takes about 10 s to build, and a
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
    split = Split.choose(session_gap, has_journey_column=log.has_journey_column)
    split_by, gap_text, gap_seconds = split.label, split.gap, split.gap_seconds
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
    model = _assemble(log, cur, split, record, kept_key)
    if kept_key is not None:
        kept_models.hold(model, str(log.path), key)
    stages.done()
    return model


def build_between(
    model: JourneyModel, first: date, last: date, *, progress: Progress | None = None
) -> JourneyModel:
    """The journeys of ``model`` that start on ``first``, ``last`` or a day between, as a
    model of their own (every step of each, also those after ``last``), split as ``model`` is.

    Built on a cursor of its own from the log's events, in memory: nothing is kept in the
    dataset. :func:`workbench.journeys.periods.journeys_between` takes days and answers
    ``model`` itself for the whole log.

    Raises
    ------
    ValidationError
        No journey starts in the period.
    """
    stages = Stages(progress, MODEL_STAGES)
    stages.start("Ordering each journey's steps")
    cur = model.log.cursor()
    start, end = moments(first, last)
    epoch = datetime(1970, 1, 1)
    span = ((start - epoch).total_seconds(), (end - epoch).total_seconds())
    record = _build(cur, stages, model.split.gap_seconds, None, span)
    if not record["journeys"]:
        raise ValidationError(
            f"No journey starts from {describe_period(first, last)}. Pick other days.",
            "No journeys in the period",
        )
    sub = replace(_assemble(model.log, cur, model.split, record, None), period=(first, last))
    stages.done()
    return sub


def _assemble(
    log: EventLog,
    cur: duckdb.DuckDBPyConnection,
    split: Split,
    record: dict[str, Any],
    kept_key: str | None,
) -> JourneyModel:
    """The model over the tables :func:`_build` made (or a kept model's views) on ``cur``."""
    # a view: read only when someone asks for the per-journey or per-step tables
    db.create_view(
        cur, "journeys/journey_labels", "journey_labels", temp=True, by_gap=split.gap is not None
    )
    endpoints = db.table(cur, "endpoints")
    starts, ends = (
        endpoints[endpoints["side"] == side].drop(columns="side").reset_index(drop=True)
        for side in ("start", "end")
    )
    n_events, n_journeys = int(record["events"]), int(record["journeys"])
    return JourneyModel(
        split_by=split.label,
        session_gap=split.gap,
        edges=db.table(cur, "edges"),
        starts=starts,
        ends=ends,
        variants=db.table(cur, "variants"),
        touchpoints=db.table(cur, "touchpoints"),
        n_events=n_events,
        n_journeys=n_journeys,
        n_customers=int(record["customers"]),
        customers_are_cases=log.customers_are_cases,
        n_transitions=n_events - n_journeys,
        cursor=cur,
        log=log,
        cache=Cache(log, kept_key),
        kept_key=kept_key,
    )


def _build(
    cur: duckdb.DuckDBPyConnection,
    stages: Stages,
    gap_seconds: float | None,
    key: str | None,
    span: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Build the model's tables on ``cur`` -- temp tables, or with ``key`` kept tables in the
    dataset (see :mod:`workbench.store.kept`) under temp views of the same names -- and
    return its totals. With ``span`` (seconds since 1970 in the log's clock, from and before),
    only of the journeys that start in it."""

    def save(query: str, table: str, **params: Any) -> None:
        if key is None:
            db.materialize(cur, query, table, temp=True, **params)
            return
        kept_models.write_table(cur, key, query, table, **params)

    keyed = "keyed_events" if span is None else "all_keyed_events"
    if gap_seconds is None:
        db.create_view(cur, "journeys/keyed_by_column", keyed, temp=True)
    else:
        db.create_view(cur, "journeys/keyed_by_gap", keyed, temp=True, gap_seconds=gap_seconds)
    if span is not None:
        db.create_view(
            cur,
            "duckdb/journeys/keyed_in_period",
            "keyed_events",
            temp=True,
            period_from=span[0],
            period_to=span[1],
        )
    save("journeys/steps", "steps")
    db.drop_view(cur, "keyed_events")
    if span is not None:
        db.drop_view(cur, "all_keyed_events")
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
    totals = db.execute(cur, "duckdb/journeys/model_totals").fetchone()
    journeys, customers, events = totals if totals else (0, 0, 0)
    return {"events": int(events or 0), "journeys": int(journeys), "customers": int(customers)}
