"""Events, surveys and customer lists staged on Spark with the DuckDB loader's queries.

Each ``stage_*`` function finds the columns that play the roles (as the loader does, see
:mod:`workbench.ingest.schema`), maps the rows to the canonical columns with the loader's
expressions, types the other columns as the loader types them, and runs the ``staging/``
queries; every row read is either staged or listed as rejected (see
:mod:`workbench.engines.spark.rows`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.core import db
from workbench.engines.spark.rows import (
    ROW,
    numbered,
    rejected_rows,
    source_types,
    unreadable_rows,
)
from workbench.engines.spark.sessions import make_view, run, spark_schema
from workbench.ingest import sources
from workbench.ingest.context import CUSTOMER_RESERVED, SURVEY_RESERVED
from workbench.ingest.schema import (
    CUSTOMER_ROLES,
    EVENT_ROLES,
    RESERVED,
    SURVEY_ROLES,
    RoleSet,
    check_roles,
    detect_roles,
)
from workbench.journeys.model import Split

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame as SparkFrame
    from pyspark.sql import SparkSession


def _roles(
    source: SparkFrame, role_set: RoleSet, mapping: Mapping[str, str | None] | None
) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """The columns of ``source`` that play ``role_set``'s roles (checked), and the others."""

    types = source_types(source)
    roles, others = detect_roles(role_set, list(types), types, mapping)
    check_roles(role_set, roles, list(types))
    return roles, others


def _ids(roles: Mapping[str, str | None]) -> dict[str, str]:
    """``customer_id`` and ``journey_id`` as the loader reads them (DuckDB SQL)."""
    return {
        "customer_id": sources.id_expression(roles.get("customer") or roles.get("journey")),
        "journey_id": sources.id_expression(roles.get("journey")),
    }


def _times(roles: Mapping[str, str | None]) -> dict[str, str]:
    """``time_raw`` (the text) and ``ts`` (an ISO 8601 time, NULL when it does not parse)."""
    column = db.quote_ident(str(roles["time"]))
    return {
        "time_raw": sources.text_expression(roles.get("time")),
        "ts": f"try_cast(cast({column} as varchar) as timestamp)",
    }


def _map_rows(
    spark: SparkSession,
    source: SparkFrame,
    as_view: str,
    canonical: Mapping[str, str],
    attributes: Sequence[str],
    reserved: frozenset[str],
    in_file: bool = False,
) -> tuple[dict[str, str], pd.DataFrame]:
    """The view ``as_view`` over ``source``: ``row_no`` (Spark's row id, see
    :func:`~workbench.engines.spark.rows.positions`; ``in_file``, the row's position itself, at
    the cost of one more pass), the ``canonical`` columns (name → DuckDB expression), then the
    ``attributes`` typed as the DuckDB loader types them (whole numbers, numbers, true/false,
    else text; see :func:`workbench.ingest.sources.attribute_types`).

    Returns the attributes' names and types, and the rows that did not split into the header's
    fields (``row_no``, ``column``, ``reason``, ``value``: the row as read), which stay out of
    the view."""
    rows, unreadable = unreadable_rows(source, numbered(source, in_file))
    rows.createOrReplaceTempView("numbered_rows")
    types = {c: t.upper() for c, t in spark_schema(rows).items()}
    text_cols = [c for c in attributes if types[c] == "VARCHAR"]
    probe: tuple[Any, ...] = ()
    if text_cols:
        first = run(spark, sources.attribute_probe(text_cols, "numbered_rows")).first()
        probe = tuple(first) if first is not None else ()
    attr_types, attr_exprs = sources.attribute_types(attributes, types, text_cols, probe, reserved)
    # the loader's expressions (DuckDB SQL, translated by make_view), as the loader selects them
    select = [f"{ROW} as row_no"]
    select += [f"{expr} as {db.quote_ident(name)}" for name, expr in canonical.items()]
    select += [f"{expr} as {db.quote_ident(name)}" for name, expr in attr_exprs.items()]
    make_view(spark, "select " + ", ".join(select) + " from numbered_rows", as_view)
    return attr_types, unreadable


@dataclass(frozen=True)
class StagedEvents:
    """An event log staged on Spark as the views ``events``, ``customer_keys`` and
    ``journey_keys``: how its journeys are split, the rows read, the rows rejected (``row_no``:
    the row's 1-based position in the file, ``column``, ``reason``, ``value``) and the
    attributes carried beside the events with their types (DuckDB spelling)."""

    split: Split
    rows: int
    rejected: pd.DataFrame
    attributes: dict[str, str]
    customers_are_cases: bool = False


def stage_events(
    spark: SparkSession,
    source: SparkFrame,
    *,
    mapping: Mapping[str, str | None] | None = None,
    session_gap: str | int | float | None = None,
    attributes: bool = False,
) -> StagedEvents:
    """Stage an event log on ``spark`` with the loader's queries (see
    :func:`workbench.engines.spark.pipeline.build_journeys_on_spark` for the arguments)."""
    roles, others = _roles(source, EVENT_ROLES, mapping)
    canonical = {
        **_ids(roles),
        "touchpoint": sources.text_expression(roles.get("touchpoint")),
        "channel": sources.text_expression(roles.get("channel")),
        **_times(roles),
    }
    attr_types, unreadable = _map_rows(
        spark, source, "mapped_rows", canonical, others if attributes else (), RESERVED
    )
    split = Split.choose(session_gap, has_journey_column=roles.get("journey") is not None)
    customer_is_case = roles.get("journey") is not None and roles.get("customer") in (
        None,
        roles.get("journey"),
    )
    make_view(
        spark,
        "staging/classified_events",
        "classified_events",
        True,
        journey_required=split.by_column,
        customer_is_case=customer_is_case and split.by_column,
    )
    make_view(spark, "staging/customer_keys", "customer_keys", True)
    make_view(spark, "staging/journey_keys", "journey_keys", True)
    make_view(spark, "staging/events", "events", True)
    rejected, rows = rejected_rows(spark, source, "classified_events", unreadable, roles)
    return StagedEvents(split, rows, rejected, attr_types, customer_is_case)


def stage_surveys(
    spark: SparkSession, source: SparkFrame, mapping: Mapping[str, str | None] | None = None
) -> tuple[int, pd.DataFrame]:
    """Stage survey responses on ``spark`` as the view ``surveys`` (after
    :func:`~workbench.engines.spark.pipeline.build_journeys_on_spark`, whose customers they are
    tied to), with the loader's queries. Times must be ISO 8601 text or a timestamp column.

    Returns the number of rows read and the rows rejected (row, column, reason, value): every
    response is either staged or listed.
    """

    roles, attributes = _roles(source, SURVEY_ROLES, mapping)
    canonical = {
        **_ids(roles),
        "interaction_id": sources.text_expression(roles.get("interaction")),
        "touchpoint": sources.text_expression(roles.get("touchpoint")),
        "kind_raw": sources.text_expression(roles.get("kind")),
        "score_raw": sources.text_expression(roles.get("score")),
        **_times(roles),
        "comment": sources.text_expression(roles.get("comment")),
    }
    _, unreadable = _map_rows(
        spark, source, "mapped_survey_rows", canonical, attributes, SURVEY_RESERVED
    )
    make_view(spark, "staging/classified_surveys", "classified_surveys", True)
    make_view(spark, "staging/surveys", "surveys", True)
    rejected, rows = rejected_rows(spark, source, "classified_surveys", unreadable, roles)
    return rows, rejected


@dataclass(frozen=True)
class SparkCustomers:
    """A customer list staged on Spark as the view ``customers``: the rows read, the rows
    rejected (``row_no``: the row's position in the file, ``column``, ``reason``, ``value``),
    the loaded rows whose customer has no events (kept, but they join no journey) and the
    attributes with their types (DuckDB spelling), as the DuckDB loader types them."""

    rows: int
    rejected: pd.DataFrame
    unmatched: int
    attributes: dict[str, str]


def stage_customers(
    spark: SparkSession, source: SparkFrame, mapping: Mapping[str, str | None] | None = None
) -> SparkCustomers:
    """Stage a customer list (one row per customer id: segment, plan, tenure, churned ...) on
    ``spark`` as the view ``customers`` (after
    :func:`~workbench.engines.spark.pipeline.build_journeys_on_spark`, whose customers they are
    tied to), with the loader's queries: a customer id seen twice keeps its first row and the
    later ones are rejected with "customer id repeated (first at row N)", N being the first
    row's place in the file, as on DuckDB. Every row is either staged or listed."""
    # pyspark is the optional spark extra, imported only when Spark runs
    from pyspark.sql import functions as F

    roles, attributes = _roles(source, CUSTOMER_ROLES, mapping)
    # the rows are numbered by their place in the file before the staging compares them: the
    # reason of a repeated id names the first one's row
    attr_types, unreadable = _map_rows(
        spark,
        source,
        "mapped_customer_rows",
        {"customer_id": _ids(roles)["customer_id"]},
        attributes,
        CUSTOMER_RESERVED,
        in_file=True,
    )
    make_view(spark, "staging/classified_customers", "classified_customers", True)
    customers = make_view(spark, "staging/customers", "customers", True)
    rejected, rows = rejected_rows(
        spark, source, "classified_customers", unreadable, roles, in_file=True
    )
    counted = customers.select(F.count(F.when(F.col("customer_key").isNull(), 1))).first()
    return SparkCustomers(rows, rejected, int(counted[0]) if counted else 0, attr_types)
