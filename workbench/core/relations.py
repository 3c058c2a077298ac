"""Every relation the workbench creates by name, who makes it, and what it holds.

Modules pass data to each other through tables and views on a DuckDB connection: the loader
makes ``events``, the journey build makes ``steps`` and ``journeys``, the outcomes make
``visits``, and the analyses' queries read them. Those hand-overs do not show in the imports, so
this registry names each relation once: its maker (the one module that creates it, through
:mod:`workbench.core.db`), its kind, and its grain. Which queries read a relation is what their
files say in their ``-- input:`` lines; :func:`readers` collects them.

``tests/test_relations.py`` runs a whole analysis and checks that every relation created is
registered here and made by the module named, and that every query reads only registered
relations (or the inputs its file names as its own parameters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_QUERIES = _PACKAGE / "queries" if (_PACKAGE / "queries").is_dir() else _PACKAGE.parent / "queries"


@dataclass(frozen=True)
class Relation:
    """One relation: its ``name`` (``{i}`` stands for a number), the module that makes it, its
    kind (``table`` in the database, ``temp table`` or ``temp view`` private to a cursor,
    ``frame`` for a DataFrame registered for one statement) and what one row is."""

    name: str
    made_by: str
    kind: str
    grain: str


_I = "workbench.ingest"
_S = "workbench.store"
_J = "workbench.journeys"
_A = "workbench.analyses"

RELATIONS: tuple[Relation, ...] = (
    # reading a source
    Relation("raw_input", f"{_I}.sources", "table", "one row per source row, as read"),
    Relation("raw_probe", f"{_I}.sources", "table", "the first rows, to sniff a text file"),
    Relation("source_frame", f"{_I}.sources", "frame", "a DataFrame or Arrow table given"),
    Relation("rejected_frame", f"{_I}.sources", "frame", "rows rejected while reading"),
    Relation("reject_errors", f"{_I}.sources", "table", "DuckDB's record of unreadable rows"),
    Relation("reject_scans", f"{_I}.sources", "table", "DuckDB's record of the scans"),
    Relation("xes_events", f"{_I}.xes", "table", "one row per event of an XES file, with line"),
    Relation("xes_chunk", f"{_I}.xes", "frame", "the next events read from an XES file"),
    Relation("mapped_rows", f"{_I}.load", "temp view", "one row per source row, roles named"),
    Relation("lifecycle_rows", f"{_I}.load", "temp view", "mapped rows of every transition"),
    Relation("activity_durations", f"{_I}.lifecycle", "temp table", "one row per timed activity"),
    Relation("classified_events", f"{_I}.load", "temp view", "one row per row, typed or why not"),
    Relation("events", f"{_I}.load", "table", "one row per loaded event"),
    Relation("rejected_rows", f"{_I}.load", "table", "one row per rejected row and column"),
    Relation("customer_keys", f"{_I}.load", "table", "one row per customer id"),
    Relation("journey_keys", f"{_I}.load", "table", "one row per journey id"),
    Relation("mapped_survey_rows", f"{_I}.context", "temp view", "one row per survey row"),
    Relation("classified_surveys", f"{_I}.context", "temp view", "one row per survey row, typed"),
    Relation("surveys", f"{_I}.context", "table", "one row per loaded survey response"),
    Relation("mapped_customer_rows", f"{_I}.context", "temp view", "one row per customer row"),
    Relation("classified_customers", f"{_I}.context", "temp view", "one row per customer, typed"),
    Relation("customers", f"{_I}.context", "table", "one row per listed customer"),
    Relation("classified_context", f"{_I}.context", "temp view", "the table being classified"),
    Relation("persona_members", f"{_A}.personas", "temp table", "one row per persona member"),
    Relation("persona_condition", f"{_A}.personas", "temp table", "one row per customer met"),
    # what a dataset keeps
    Relation("workbench_dataset", f"{_S}.datasets", "table", "one row: the import's record"),
    Relation("journey_segment_values", f"{_S}.segment_values", "table", "one row per journey"),
    Relation("journey_value_{i}", f"{_S}.segment_values", "temp table", "one row per journey"),
    Relation("frame_in", f"{_S}.kept", "frame", "counts being kept in the dataset"),
    # the journey model
    Relation("keyed_events", f"{_J}.build", "temp view", "one row per event, with its journey"),
    Relation("all_keyed_events", f"{_J}.build", "temp view", "keyed_events before a period"),
    Relation("steps", f"{_J}.build", "temp table", "one row per journey step"),
    Relation("journeys", f"{_J}.build", "temp table", "one row per journey"),
    Relation("edges", f"{_J}.build", "temp table", "one row per move between touchpoints"),
    Relation("endpoints", f"{_J}.build", "temp table", "one row per start or end touchpoint"),
    Relation("touchpoints", f"{_J}.build", "temp table", "one row per touchpoint"),
    Relation("variants", f"{_J}.build", "temp table", "one row per distinct path"),
    Relation("journey_variants", f"{_J}.build", "temp table", "one row per journey: its variant"),
    Relation("journey_labels", f"{_J}.build", "temp view", "one row per journey: its label"),
    Relation("variant_moves", f"{_J}.graph", "temp table", "one row per variant and move"),
    Relation("segment_values", f"{_J}.segments", "temp table", "one row per journey: segment"),
    Relation("journey_values", f"{_J}.segments", "temp table", "one row per journey: values"),
    # outcomes and visits
    Relation("signal_events", f"{_A}.outcomes", "temp view", "one row per event: its signals"),
    Relation("interaction_events", f"{_A}.outcomes", "temp view", "one row per interaction"),
    Relation("customer_flags", f"{_A}.outcomes", "temp view", "one row per customer: churned"),
    Relation("customer_attributes", f"{_A}.outcomes", "temp view", "one row per customer"),
    Relation("journey_outcomes", f"{_A}.outcomes", "temp table", "one row per journey"),
    Relation("survey_links", f"{_A}.outcomes", "temp table", "one row per survey response"),
    Relation("visits", f"{_A}.outcomes", "temp table", "one row per step, with its signals"),
    # friction
    Relation("visit_moves", f"{_A}.friction.counts", "temp table", "one row per journey move"),
    Relation("moves", f"{_A}.friction.findings", "temp table", "one row per step: its move"),
    Relation("reaches", f"{_A}.friction.findings", "temp table", "one per journey and touchpoint"),
    Relation("segment_visits", f"{_A}.friction.counts", "temp view", "visits with a segment"),
    Relation("segment_moves", f"{_A}.friction.counts", "temp view", "moves with a segment"),
    Relation("segment_journeys", f"{_A}.friction.counts", "temp view", "journeys, a segment"),
    Relation("concentration_journeys", f"{_A}.friction.concentration", "temp view", "journeys"),
    Relation("concentration_points", f"{_A}.friction.concentration", "temp table", "visits"),
    Relation("concentration_visits", f"{_A}.friction.concentration", "temp view", "visits"),
    Relation("concentration_steps", f"{_A}.friction.concentration", "temp view", "steps"),
    Relation("concentration_moves", f"{_A}.friction.concentration", "temp view", "moves"),
    # causes
    Relation(
        "cause_steps", f"{_A}.causes.features", "temp view", "one row per step with its causes"
    ),
    Relation(
        "cause_units", f"{_A}.causes.effects", "temp table", "one row per unit: affected or not"
    ),
    Relation("cause_sets", f"{_A}.causes.counts", "temp table", "one row per unit: its value sets"),
    # KPIs and satisfaction
    Relation("kpi_contacts", f"{_A}.kpis", "temp table", "one row per contact"),
    Relation("kpi_responses", f"{_A}.kpis", "temp table", "one row per survey response"),
    Relation("grouped_responses", f"{_A}.kpis", "temp view", "responses with their group"),
    Relation("grouped_contacts", f"{_A}.kpis", "temp view", "contacts with their group"),
    Relation("grouped_events", f"{_A}.kpis", "temp view", "events with their group"),
    Relation("customer_values", f"{_A}.satisfaction.measures", "temp view", "one per customer"),
    Relation("journey_types", f"{_A}.satisfaction.drivers", "temp table", "one per journey"),
    Relation("served", f"{_A}.satisfaction.teams", "temp view", "one row per contact: who"),
)


def find(name: str) -> Relation | None:
    """The registered relation called ``name``, or None.

    Examples
    --------
    >>> find("steps").made_by
    'workbench.journeys.build'
    >>> find("journey_value_3").name, find("no_such_table")
    ('journey_value_{i}', None)
    """
    return _by_name().get(name) or next(
        (r for pattern, r in _patterns() if pattern.fullmatch(name)), None
    )


@cache
def _by_name() -> dict[str, Relation]:
    return {r.name: r for r in RELATIONS if "{i}" not in r.name}


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], Relation], ...]:
    return tuple(
        (re.compile(re.escape(r.name).replace(r"\{i\}", "[0-9]+")), r)
        for r in RELATIONS
        if "{i}" in r.name
    )


_INPUT = re.compile(r"^-- input:\s*(.*(?:\n--\s{4,}.*)*)", re.M)


def query_inputs(query: str) -> frozenset[str]:
    """The relations ``queries/<query>.sql`` says it reads (its ``-- input:`` lines, without
    what they say in parentheses).

    Examples
    --------
    >>> sorted(query_inputs("friction/visits"))
    ['journey_outcomes', 'signal_events', 'steps']
    """
    text = (_QUERIES / f"{query}.sql").read_text(encoding="utf-8")
    found = _INPUT.search(text)
    if found is None:
        return frozenset()
    said = re.sub(r"\([^)]*\)?", "", re.sub(r"\n--\s+", " ", found[1]))
    names = (w.strip().rstrip(".") for w in said.split(","))
    return frozenset(n for n in names if re.fullmatch(r"[a-z_]+", n) and n != "none")


def readers(name: str) -> list[str]:
    """The queries whose ``-- input:`` lines name the relation ``name``.

    Examples
    --------
    >>> "friction/visit_moves" in readers("visits")
    True
    """
    return sorted(
        q
        for q in (
            p.relative_to(_QUERIES).with_suffix("").as_posix() for p in _QUERIES.rglob("*.sql")
        )
        if name in query_inputs(q)
    )
