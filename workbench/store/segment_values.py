"""Each journey's value of the log's segment attributes, kept in a dataset at import.

A journey's value of an event attribute is the most common one among its steps (ties go to the
first in sort order, so it never varies). A dataset whose journeys come from the journey column
keeps these values in the table ``journey_segment_values`` from its import
(:func:`keep_segment_values`), so friction's concentration, segment vs rest and friction within
a segment read them instead of grouping the events each time
(docs/adr/0011-datasets-keep-segment-values.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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

    One attribute at a time into a table of its own (:func:`value_tables`), then one join."""
    cur = log.cursor()
    attributes = segment_event_attributes(log, cur)
    with value_tables(cur, {a: event_values(a, True) for a in attributes}) as tables:
        values = [{"table": tables[a], "column": f"attr:{a}"} for a in attributes]
        db.materialize(cur, "duckdb/store/kept_segment_values", KEPT_VALUES, values=values)


@contextmanager
def value_tables(
    cur: duckdb.DuckDBPyConnection, computed: dict[str, str]
) -> Iterator[dict[str, str]]:
    """Each attribute's values (``computed``: SQL giving ``(journey_key, segment)``) in a temp
    table of its own, one at a time, for one query to join side by side; the tables' names by
    attribute, dropped on leaving.

    One query aggregating every event attribute at once holds all their hash tables together,
    which breaks a memory cap at scale; widening one table attribute by attribute would copy it
    each time."""
    tables = {a: f"journey_value_{i}" for i, a in enumerate(computed)}
    try:
        for a, table in tables.items():
            db.temp_relation(cur, table, computed[a], table=True)
        yield tables
    finally:
        for table in tables.values():
            db.drop_table(cur, quote_ident(table))
