"""Each journey's value of the log's segment attributes, kept in a dataset at import.

A journey's value of an event attribute is the most common one among its steps (ties go to the
first in sort order, so it never varies). A dataset whose journeys come from the journey column
keeps these values in the table ``journey_segment_values`` from its import
(:func:`keep_segment_values`), so friction's concentration, segment vs rest and friction within
a segment read them instead of grouping the events each time
(docs/adr/0011-datasets-keep-segment-values.md).
"""

from __future__ import annotations

import duckdb

from workbench.core import db
from workbench.core.db import quote_ident
from workbench.ingest.load import EventLog

#: Attributes with more distinct values than this are not segments.
MAX_SEGMENT_VALUES = 30

#: The dataset table that keeps each journey's value of every segment event attribute.
KEPT_VALUES = "journey_segment_values"


def event_values(segment: str, by_journey_column: bool) -> str:
    """SQL giving ``(journey_key, segment)``: each journey's most common value of the event
    attribute ``segment`` (ties go to the first in sort order, so it never varies)."""
    by = "events" if by_journey_column else "steps"
    sql, _ = db.prepare(f"duckdb/store/journey_values_by_{by}", segment=segment)
    return sql


def attribute_column(attribute: str) -> str:
    """The column that holds ``attribute``'s value in :func:`journey_values` tables."""
    return quote_ident(f"attr:{attribute}")


_SKIP = {"event_id", "interaction_id", "survey_id"}
SEGMENT_KINDS = ("VARCHAR", "BOOLEAN")


def segment_event_attributes(log: EventLog, cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Categorical event attributes with 2..30 values, ids left out."""
    events = [n for n, t in log.attributes.items() if n not in _SKIP and t in SEGMENT_KINDS]
    counts = db.distinct_counts(cur, "events", events)
    return [name for name, n in counts.items() if 2 <= n <= MAX_SEGMENT_VALUES]


def keep_segment_values(log: EventLog) -> None:
    """Write the table ``journey_segment_values`` into ``log``'s database at import: one row
    per journey (journeys from the journey column), one column ``attr:<name>`` per segment event
    attribute with the journey's most common value. Friction's concentration, segment vs rest
    and friction within a segment then read these instead of grouping the events each time.

    One attribute at a time into a table of its own, then one join (:func:`join_values`)."""
    cur = log.cursor()
    attributes = segment_event_attributes(log, cur)
    join_values(
        cur,
        f"create or replace table {KEPT_VALUES}",
        "(select distinct journey_key from events) j",
        {a: event_values(a, True) for a in attributes},
        {},
        order=attributes,
    )


def join_values(
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
