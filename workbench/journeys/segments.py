"""Segments: groups of journeys by an attribute value (device = android, segment = Youth).

A journey's value of an event attribute is the most common one among its steps; a customer
attribute is the customer's. Friction ranking, concentration and the segment-vs-rest journey
map all cut journeys this way, so their numbers reconcile.
"""

from __future__ import annotations

import duckdb

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.journeys.model import JourneyModel
from workbench.store.segment_values import (
    MAX_SEGMENT_VALUES,
    SEGMENT_KINDS,
    event_values,
    segment_event_attributes,
    value_tables,
)


def segment_expression(model: JourneyModel, segment: str) -> str:
    """SQL giving ``(journey_key, segment)`` for an event or customer attribute.

    A journey's value of an event attribute is the most common one among its steps (ties go to
    the first in sort order, so it never varies); a customer attribute is the customer's. With
    journeys from the journey column, a dataset keeps the event attributes' values from its
    import (:func:`keep_segment_values`), and they are read from there.
    """
    log = model.log
    if segment in log.attributes:
        if model.split.by_column and segment in log.kept_segment_values:
            return _text("duckdb/segments/kept_values", column=f"attr:{segment}")
        return event_values(segment, model.split.by_column)
    if log.customer_report and segment in log.customer_report.attribute_types:
        return _text("duckdb/segments/customer_values", attribute=segment)
    known = sorted(log.attributes) + sorted(
        log.customer_report.attribute_types if log.customer_report else []
    )
    raise ValidationError(
        f"There is no attribute '{segment}'. Attributes: {', '.join(known)}.", "Unknown attribute"
    )


def journey_segments(model: JourneyModel, attribute: str) -> str:
    """SQL giving ``(journey_key, segment)`` for ``attribute``: read from the model's
    :func:`journey_values` table when it already holds the attribute (after a friction ranking
    looked for concentrations), else computed by :func:`segment_expression`. Same values
    either way."""
    if attribute in (model.cache.current("journey_values") or ()):  # type: ignore[operator]
        return _text("duckdb/segments/journey_values", column=f"attr:{attribute}")
    return segment_expression(model, attribute)


def _text(query: str, **names: str) -> str:
    """The text of ``queries/<query>.sql`` with its name slots filled (no values to bind)."""
    sql, values = db.prepare(query, **names)
    assert not values  # these queries bind nothing: their text goes into larger ones
    return sql


def segment_values(
    model: JourneyModel, cur: duckdb.DuckDBPyConnection, attribute: str | None
) -> None:
    """The temp table ``segment_values`` on ``cur`` (the model's cursor, held): each journey's
    value of ``attribute`` (``journey_key``, ``segment``; see :func:`journey_segments`), or
    every journey in the one segment ``'all'`` when ``attribute`` is None. The journey map's
    segment comparison, friction within a segment and the journey types read it."""
    if attribute is None:
        db.materialize(cur, "duckdb/segments/all_journeys", "segment_values", temp=True)
        return
    sql = journey_segments(model, attribute)
    if model.period is not None:  # values read from the whole log: keep the period's journeys
        sql, _ = db.prepare("duckdb/segments/model_journeys", query=sql)
    db.temp_relation(cur, "segment_values", sql, table=True)


def journey_values(
    model: JourneyModel, cur: duckdb.DuckDBPyConnection, attributes: list[str]
) -> str:
    """The temp table ``journey_values`` on ``cur`` (the model's cursor, held): one row per
    journey, one column ``attr:<name>`` per attribute with the journey's value (see
    :func:`segment_expression`). Built once per model and list of attributes."""

    def make() -> None:
        people = [a for a in attributes if a not in model.log.attributes]
        for a in people:
            segment_expression(model, a)  # refuses an unknown attribute
        kept = model.log.kept_segment_values if model.split.by_column else frozenset()
        parts = [a for a in attributes if a in model.log.attributes and a not in kept]
        with value_tables(cur, {a: segment_expression(model, a) for a in parts}) as tables:
            db.materialize(
                cur,
                "duckdb/segments/journey_value_table",
                "journey_values",
                temp=True,
                customers=bool(people),
                kept=any(a in kept for a in attributes),
                columns=[_value_column(a, tables, kept) for a in attributes],
                tables=[{"table": t} for t in tables.values()],
            )

    model.cache.get_or_run("journey_values", tuple(attributes), make, relations=True)
    return "journey_values"


def _value_column(attribute: str, tables: dict[str, str], kept: frozenset[str]) -> dict[str, str]:
    """Where :func:`journey_values` reads ``attribute``'s value: its table of its own, the
    values the dataset kept (``k``), or the customer list (``c``)."""
    if attribute in tables:
        source, field = tables[attribute], "segment"
    elif attribute in kept:
        source, field = "k", f"attr:{attribute}"
    else:
        source, field = "c", attribute
    return {"source": source, "field": field, "column": f"attr:{attribute}"}


def segment_attributes(model: JourneyModel) -> list[str]:
    """Categorical attributes (events, customers) with 2..30 values, ids left out (counted
    once per model)."""
    return list(model.cache.get_or_run("segment_attributes", (), lambda: _segments_of(model)))


def _segments_of(model: JourneyModel) -> list[str]:
    log = model.log
    cur = log.cursor()
    customers = (
        [n for n, t in log.customer_report.attribute_types.items() if t in SEGMENT_KINDS]
        if log.customer_report
        else []
    )
    counts = db.distinct_counts(cur, "customers", customers)
    found = segment_event_attributes(log, cur) + [
        name for name, n in counts.items() if 2 <= n <= MAX_SEGMENT_VALUES
    ]
    return found
