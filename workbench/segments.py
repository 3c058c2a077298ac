"""Segments: groups of journeys by an attribute value (device = android, segment = Youth).

A journey's value of an event attribute is the most common one among its steps; a customer
attribute is the customer's. Friction ranking, concentration and the segment-vs-rest journey
map all cut journeys this way, so their numbers reconcile.
"""

from __future__ import annotations

import duckdb

from workbench import db
from workbench.db import quote_ident
from workbench.errors import ValidationError
from workbench.journeys import JourneyModel
from workbench.load import EventLog

MAX_SEGMENT_VALUES = 30


#: The dataset table that keeps each journey's value of every segment event attribute.
KEPT_VALUES = "journey_segment_values"


def _event_values(segment: str, by_journey_column: bool) -> str:
    """SQL giving ``(journey_key, segment)``: each journey's most common value of the event
    attribute ``segment`` (ties go to the first in sort order, so it never varies)."""
    q = quote_ident(segment)
    value = f"cast(e.{q} as varchar)"
    # with journeys from the journey column the events carry their journey already
    source = "events e" if by_journey_column else "steps s join events e on s.row_no = e.row_no"
    key = "e.journey_key" if by_journey_column else "s.journey_key"
    # the smallest (-count, value): the most common value, ties to the first in sort
    # order -- a plain min() per journey, much cheaper than an ordered aggregate
    return (
        "select journey_key, min({'n': -n, 'v': v}).v as segment from ("
        f"select {key} as journey_key, {value} as v, count(*) as n from {source} "
        f"where e.{q} is not null group by all) group by journey_key"
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
        if model.session_gap is None and segment in log.kept_segment_values:
            col = attribute_column(segment)
            return (
                f"select journey_key, {col} as segment from {KEPT_VALUES} where {col} is not null"
            )
        return _event_values(segment, model.session_gap is None)
    if log.customer_report and segment in log.customer_report.attribute_types:
        return (
            f"select s.journey_key, cast(c.{quote_ident(segment)} as varchar) as segment "
            "from journeys s left join customers c on s.customer_key = c.customer_key"
        )
    known = sorted(log.attributes) + sorted(
        log.customer_report.attribute_types if log.customer_report else []
    )
    raise ValidationError(
        f"There is no attribute '{segment}'. Attributes: {', '.join(known)}.", "Unknown attribute"
    )


def attribute_column(attribute: str) -> str:
    """The column that holds ``attribute``'s value in :func:`journey_values` tables."""
    return quote_ident(f"attr:{attribute}")


def journey_segments(model: JourneyModel, attribute: str) -> str:
    """SQL giving ``(journey_key, segment)`` for ``attribute``: read from the model's
    :func:`journey_values` table when it already holds the attribute (after a friction ranking
    looked for concentrations), else computed by :func:`segment_expression`. Same values
    either way."""
    if attribute in (model.memo.get("journey_values") or ()):
        return f"select journey_key, {attribute_column(attribute)} as segment from journey_values"
    return segment_expression(model, attribute)


def journey_values(
    model: JourneyModel, cur: duckdb.DuckDBPyConnection, attributes: list[str]
) -> str:
    """The temp table ``journey_values`` on ``cur`` (the model's cursor, held): one row per
    journey, one column ``attr:<name>`` per attribute with the journey's value (see
    :func:`segment_expression`). Built once per model and list of attributes."""
    key = tuple(attributes)
    if model.memo.get("journey_values") != key:
        people = [a for a in attributes if a not in model.log.attributes]
        for a in people:
            segment_expression(model, a)  # refuses an unknown attribute
        kept = model.log.kept_segment_values if model.session_gap is None else frozenset()
        parts = [a for a in attributes if a in model.log.attributes and a not in kept]
        columns = {
            a: f"k.{attribute_column(a)}" if a in kept else f"cast(c.{quote_ident(a)} as varchar)"
            for a in attributes
            if a not in parts
        }
        joins = (" left join customers c on j.customer_key = c.customer_key" if people else "") + (
            f" left join {KEPT_VALUES} k on j.journey_key = k.journey_key"
            if any(a in kept for a in attributes)
            else ""
        )
        _join_values(
            cur,
            "create or replace temp table journey_values",
            "journeys j" + joins,
            {a: segment_expression(model, a) for a in parts},
            columns,
            order=attributes,
        )
        model.memo["journey_values"] = key
    return "journey_values"


_SKIP = {"event_id", "interaction_id", "survey_id"}
_KINDS = ("VARCHAR", "BOOLEAN")


def _segment_event_attributes(log: EventLog, cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Categorical event attributes with 2..30 values, ids left out."""
    events = [n for n, t in log.attributes.items() if n not in _SKIP and t in _KINDS]
    counts = db.distinct_counts(cur, "events", events)
    return [name for name, n in counts.items() if 2 <= n <= MAX_SEGMENT_VALUES]


def segment_attributes(model: JourneyModel) -> list[str]:
    """Categorical attributes (events, customers) with 2..30 values, ids left out (counted
    once per model)."""
    known: list[str] | None = model.memo.get("segment_attributes")
    if known is not None:
        return list(known)
    log = model.log
    cur = log.cursor()
    customers = (
        [n for n, t in log.customer_report.attribute_types.items() if t in _KINDS]
        if log.customer_report
        else []
    )
    counts = db.distinct_counts(cur, "customers", customers)
    found = _segment_event_attributes(log, cur) + [
        name for name, n in counts.items() if 2 <= n <= MAX_SEGMENT_VALUES
    ]
    model.memo["segment_attributes"] = found
    return list(found)


def keep_segment_values(log: EventLog) -> None:
    """Write the table ``journey_segment_values`` into ``log``'s database at import: one row
    per journey (journeys from the journey column), one column ``attr:<name>`` per segment event
    attribute with the journey's most common value. Friction's concentration, segment vs rest
    and friction within a segment then read these instead of grouping the events each time.

    One attribute at a time into a table of its own, then one join (:func:`_join_values`)."""
    cur = log.cursor()
    attributes = _segment_event_attributes(log, cur)
    _join_values(
        cur,
        f"create or replace table {KEPT_VALUES}",
        "(select distinct journey_key from events) j",
        {a: _event_values(a, True) for a in attributes},
        {},
        order=attributes,
    )


def _join_values(
    cur: duckdb.DuckDBPyConnection,
    create: str,
    journeys: str,
    computed: dict[str, str],
    columns: dict[str, str],
    order: list[str],
) -> None:
    """``create`` a table of ``journeys`` (aliased ``j``, with any joins) and one column
    ``attr:<name>`` per attribute of ``order``: from ``columns``' expressions, or from
    ``computed``'s SQL giving ``(journey_key, segment)``.

    Each computed attribute goes into a table of its own first, one at a time (one query
    aggregating every event attribute at once holds all their hash tables together, which
    breaks a memory cap at scale); then one join puts them side by side. Widening one table
    attribute by attribute would copy it each time."""
    names = list(computed)
    for i, a in enumerate(names):
        db.temp_relation(cur, f"journey_value_{i}", computed[a], table=True)
    exprs = {**columns, **{a: f"v{i}.segment" for i, a in enumerate(names)}}
    cur.execute(
        f"{create} as select j.journey_key"
        + "".join(f", {exprs[a]} as {attribute_column(a)}" for a in order)
        + f" from {journeys}"
        + "".join(
            f" left join journey_value_{i} v{i} on j.journey_key = v{i}.journey_key"
            for i in range(len(names))
        )
    )
    for i in range(len(names)):
        db.drop_table(cur, quote_ident(f"journey_value_{i}"))
