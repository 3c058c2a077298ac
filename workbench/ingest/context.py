"""Surveys and customer lists: loaded beside the events, each with its own mapping.

:func:`workbench.load_events` calls these when it is given ``surveys=`` or ``customers=``. Like
events, every row is either loaded or listed as rejected with its line, column and reason.

- ``surveys``: customer, kind (``nps`` 0-10, ``csat`` 1-5, ``ces`` 1-7 where 7 is very easy),
  score and time, optionally the journey, the interaction (event) and the touchpoint rated and a
  comment.
- ``customers``: one row per customer id with attributes (segment, tenure, plan, revenue,
  churned ...).
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from workbench.core import db
from workbench.core.db import quote_ident
from workbench.core.errors import LoadError
from workbench.ingest import sources
from workbench.ingest.report import LoadReport
from workbench.ingest.schema import (
    CUSTOMER_ROLES,
    SURVEY_ROLES,
    ColumnMapping,
    RoleSet,
    check_roles,
)
from workbench.ingest.times import TimeFormat, detect

SURVEY_RESERVED = frozenset(
    {
        "row_no",
        "customer_id",
        "journey_id",
        "interaction_id",
        "touchpoint",
        "kind",
        "score",
        "ts",
        "comment",
        "time_raw",
        "kind_raw",
        "score_raw",
        "customer_key",
        "reject_reason",
        "reject_column",
        "reject_value",
    }
)
CUSTOMER_RESERVED = frozenset(
    {"row_no", "customer_id", "customer_key", "reject_reason", "reject_column", "reject_value"}
)


def load_surveys(
    con: duckdb.DuckDBPyConnection,
    source: sources.Source,
    mapping: Mapping[str, str | None] | None = None,
    *,
    time_format: str | None = None,
    dayfirst: bool | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    pseudonymise: str | None = None,
) -> LoadReport:
    """Load survey responses into table ``surveys`` (needs ``customer_keys`` from the events)."""
    return _load(
        con, source, SURVEY_ROLES, mapping, time_format, dayfirst, delimiter, encoding, pseudonymise
    )


def load_customers(
    con: duckdb.DuckDBPyConnection,
    source: sources.Source,
    mapping: Mapping[str, str | None] | None = None,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    pseudonymise: str | None = None,
) -> LoadReport:
    """Load a customer list into table ``customers`` (needs ``customer_keys`` from the events)."""
    return _load(
        con, source, CUSTOMER_ROLES, mapping, None, None, delimiter, encoding, pseudonymise
    )


def _load(
    con: duckdb.DuckDBPyConnection,
    source: sources.Source,
    role_set: RoleSet,
    overrides: Mapping[str, str | None] | None,
    time_format: str | None,
    dayfirst: bool | None,
    delimiter: str | None,
    encoding: str | None,
    salt: str | None = None,
) -> LoadReport:
    table = role_set.name
    raw, types = _read(con, source, table, delimiter, encoding, salt)
    m = ColumnMapping.detect(types, types, overrides, kind=role_set.name)
    check_roles(role_set, dict(m.roles), list(types))
    fmt = None
    time_col = m.get("time")
    if time_col is not None:
        fmt = detect(
            con, "raw_input", time_col, types[time_col], time_format=time_format, dayfirst=dayfirst
        )
    reserved = SURVEY_RESERVED if table == "surveys" else CUSTOMER_RESERVED
    attr_types, attr_exprs = sources.attribute_columns(con, m.attributes, types, reserved)
    content = _stage(con, raw, table, _mapped_columns(raw, table, m, fmt, attr_exprs, salt))
    role_col = {role: col for role, col in m.roles}
    rejected, by_reason = sources.record_rejections(
        con, raw, content, role_col, f"rejected_{table}_rows"
    )
    counts = db.execute(con, "duckdb/ingest/loaded_rows", table=table).fetchone()
    loaded, unmatched = (int(counts[0]), int(counts[1])) if counts else (0, 0)
    return LoadReport(
        table=table,
        source=raw.name,
        kind=raw.kind,
        rows_read=loaded + len(rejected),
        rows_loaded=loaded,
        rows_rejected=len(rejected),
        unmatched=unmatched,
        rejected=rejected.head(sources.REJECTED_PREVIEW_ROWS),
        rejected_by_reason=by_reason,
        mapping=m,
        time_format=fmt,
        dialect=raw.dialect,
        attribute_types=attr_types,
        notes=_notes(raw, table, fmt, salt, unmatched),
    )


def _read(
    con: duckdb.DuckDBPyConnection,
    source: sources.Source,
    table: str,
    delimiter: str | None,
    encoding: str | None,
    salt: str | None,
) -> tuple[sources.Raw, dict[str, str]]:
    """Read the file into ``raw_input`` and give its source columns' types; a file with a
    header and no rows is refused."""
    raw = sources.read_raw(con, source, delimiter=delimiter, encoding=encoding)
    if salt is not None:
        raw = raw.withheld()
    types = {c: t for c, t in db.columns(con, "raw_input").items() if c not in raw.hidden}
    if db.row_count(con, "raw_input") == 0 and raw.structural.empty:
        raise LoadError(
            f"The {table} file {raw.name} has column names but no rows of data.", "No rows"
        )
    return raw, types


def _mapped_columns(
    raw: sources.Raw,
    table: str,
    m: ColumnMapping,
    fmt: TimeFormat | None,
    attr_exprs: dict[str, str],
    salt: str | None,
) -> list[str]:
    """The select list that gives each role its column name (ids pseudonymised with
    ``salt``), then the attributes: a survey's roles and time, or a customer's id alone."""

    def text(role: str) -> str:
        return sources.text_expression(m.get(role))

    select = [
        f"cast({raw.row_expr} as bigint) as row_no",
        f"{sources.id_expression(m.get('customer'), salt)} as customer_id",
    ]
    if table == "surveys":
        time_col = m.get("time")
        assert fmt is not None and time_col is not None
        select += [
            f"{sources.id_expression(m.get('journey'), salt)} as journey_id",
            f"{text('interaction')} as interaction_id",
            f"{text('touchpoint')} as touchpoint",
            f"{text('kind')} as kind_raw",
            f"{text('score')} as score_raw",
            f"{text('time')} as time_raw",
            f"{fmt.expression(time_col)} as ts",
            f"{text('comment')} as comment",
        ]
    return select + [f"{expr} as {quote_ident(alias)}" for alias, expr in attr_exprs.items()]


def _stage(
    con: duckdb.DuckDBPyConnection, raw: sources.Raw, table: str, select: list[str]
) -> pd.DataFrame:
    """Map and classify the raw rows, keep the good ones as ``table``, and return what the
    rejected ones held; ``raw_input`` and the staging relations are dropped."""
    mapped = f"mapped_{'survey' if table == 'surveys' else 'customer'}_rows"
    db.temp_relation(con, mapped, "select " + ",\n  ".join(select) + " from raw_input")
    classified = f"classified_{table}"
    db.create_view(con, f"staging/{classified}", classified, temp=True)
    db.materialize(con, f"staging/{table}", table)
    read = db.row_count(con, "raw_input")
    loaded = db.execute(con, "duckdb/ingest/loaded_rows", table=table).fetchone()
    # Each row the reader split is either loaded or rejected for its values: when every one was
    # loaded, the source is not read again to look for rejected ones.
    if loaded is not None and read == loaded[0]:
        content = sources.no_rejected_content()
    else:
        db.view_over(con, "classified_context", quote_ident(classified))
        content = db.run(con, "staging/rejected_context")
    for view in ("classified_context", classified, mapped):
        db.drop_view(con, view)
    sources.drop_raw(con, raw)
    return content


def _notes(
    raw: sources.Raw, table: str, fmt: TimeFormat | None, salt: str | None, unmatched: int
) -> tuple[str, ...]:
    """What the report tells beyond its counts: the reader's notes, a time conversion,
    pseudonyms, and loaded rows whose customer has no events."""
    notes = raw.notes + ((fmt.note,) if fmt is not None and fmt.note else ())
    if salt is not None:
        notes += (sources.PSEUDONYM_NOTE,)
    if unmatched:
        notes += (
            f"{unmatched:,} loaded {table} row(s) belong to customers with no events in "
            "the log; they are kept but join no journey.",
        )
    return notes
