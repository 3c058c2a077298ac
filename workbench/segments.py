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

MAX_SEGMENT_VALUES = 30


def segment_expression(model: JourneyModel, segment: str) -> str:
    """SQL giving ``(journey_key, segment)`` for an event or customer attribute.

    A journey's value of an event attribute is the most common one among its steps (ties go to
    the first in sort order, so it never varies); a customer attribute is the customer's.
    """
    log = model.log
    q = quote_ident(segment)
    if segment in log.attributes:
        value = f"cast(e.{q} as varchar)"
        # with journeys from the journey column the events carry their journey already
        source = (
            "events e"
            if model.session_gap is None
            else "steps s join events e on s.row_no = e.row_no"
        )
        key = "e.journey_key" if model.session_gap is None else "s.journey_key"
        # the smallest (-count, value): the most common value, ties to the first in sort
        # order -- a plain min() per journey, much cheaper than an ordered aggregate
        journey = (
            "select journey_key, min({'n': -n, 'v': v}).v as segment from ("
            f"select {key} as journey_key, {value} as v, count(*) as n from {source} "
            f"where e.{q} is not null group by all) group by journey_key"
        )
        return journey
    if log.customer_report and segment in log.customer_report.attribute_types:
        return (
            f"select s.journey_key, cast(c.{q} as varchar) as segment "
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
        # Each event attribute's per-journey value into a table of its own, one at a time (one
        # query aggregating every event attribute at once holds all their hash tables together,
        # which breaks a memory cap at scale); then one join puts them beside the customer
        # attributes. Widening one table attribute by attribute would copy it each time.
        people = [a for a in attributes if a not in model.log.attributes]
        for a in people:
            segment_expression(model, a)  # refuses an unknown attribute
        parts = [a for a in attributes if a in model.log.attributes]
        for i, a in enumerate(parts):
            cur.execute(
                f"create or replace temp table journey_value_{i} as " + segment_expression(model, a)
            )
        columns = {
            a: f"v{parts.index(a)}.segment"
            if a in parts
            else f"cast(c.{quote_ident(a)} as varchar)"
            for a in attributes
        }
        cur.execute(
            "create or replace temp table journey_values as select j.journey_key"
            + "".join(f", {v} as {attribute_column(a)}" for a, v in columns.items())
            + " from journeys j"
            + (" left join customers c on j.customer_key = c.customer_key" if people else "")
            + "".join(
                f" left join journey_value_{i} v{i} on j.journey_key = v{i}.journey_key"
                for i in range(len(parts))
            )
        )
        for i in range(len(parts)):
            cur.execute(f"drop table journey_value_{i}")
        model.memo["journey_values"] = key
    return "journey_values"


def segment_attributes(model: JourneyModel) -> list[str]:
    """Categorical attributes (events, customers) with 2..30 values, ids left out (counted
    once per model)."""
    known: list[str] | None = model.memo.get("segment_attributes")
    if known is not None:
        return list(known)
    log = model.log
    cur = log.cursor()
    skip = {"event_id", "interaction_id", "survey_id"}
    kinds = ("VARCHAR", "BOOLEAN")
    events = [n for n, t in log.attributes.items() if n not in skip and t in kinds]
    customers = (
        [n for n, t in log.customer_report.attribute_types.items() if t in kinds]
        if log.customer_report
        else []
    )
    counts = [
        *db.distinct_counts(cur, "events", events).items(),
        *db.distinct_counts(cur, "customers", customers).items(),
    ]
    found = [name for name, n in counts if 2 <= n <= MAX_SEGMENT_VALUES]
    model.memo["segment_attributes"] = found
    return list(found)
