"""Read an event log into DuckDB, map its columns to roles, and account for every row.

Sources: CSV and TSV (also ``.gz``), Parquet, JSON and NDJSON files, XES event logs (also
``.xes.gz``, streamed: :mod:`workbench.ingest.xes`), a pandas DataFrame or a pyarrow Table.
Whatever comes in, the result is an :class:`EventLog`: a DuckDB table ``events``
with the canonical columns ``row_no, customer_id, journey_id, touchpoint, channel, ts`` followed
by every other source column as a typed attribute, and a :class:`LoadReport` that says
``rows_read = rows_loaded + rows_rejected`` (``+ rows_set_aside`` for the lifecycle transitions a
journey does not use: :mod:`workbench.ingest.lifecycle`) and lists every rejected row with its
line, column and reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from workbench.core import db
from workbench.core.db import quote_ident
from workbench.core.errors import LoadError, ValidationError
from workbench.core.progress import Progress, Stages
from workbench.ingest import context, sources
from workbench.ingest import lifecycle as lifecycles
from workbench.ingest.report import LoadReport
from workbench.ingest.schema import ColumnMapping
from workbench.ingest.times import TimeFormat, detect

Source = sources.Source

REJECTED_PREVIEW_ROWS = sources.REJECTED_PREVIEW_ROWS


class EventLog:
    """An event log loaded into DuckDB.

    Treat it as read-only: analyses open their own cursor on :attr:`con` and keep their working
    tables private to it, so several analyses (and several app sessions) can share one log.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv")
    >>> log.report.rows_read == log.report.rows_loaded + log.report.rows_rejected
    True
    >>> log.mapping.customer, log.mapping.journey, log.mapping.touchpoint
    ('customer_id', 'journey_id', 'touchpoint')
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        report: LoadReport,
        survey_report: LoadReport | None = None,
        customer_report: LoadReport | None = None,
        path: Path | None = None,
    ) -> None:
        self._con = con
        self.path = path
        self.report = report
        self.survey_report = survey_report
        self.customer_report = customer_report

    @property
    def kept_segment_values(self) -> frozenset[str]:
        """The event attributes whose value per journey the dataset keeps (table
        ``journey_segment_values``, written at import; see
        :func:`workbench.journeys.segments.keep_segment_values`). Empty for a log in memory."""
        rows = db.execute(self.cursor(), "duckdb/ingest/segment_value_columns").fetchall()
        return frozenset(str(r[0])[len("attr:") :] for r in rows)

    @property
    def has_surveys(self) -> bool:
        """Survey responses were loaded beside the events (table ``surveys``)."""
        return self.survey_report is not None

    @property
    def has_customers(self) -> bool:
        """A customer list was loaded beside the events (table ``customers``)."""
        return self.customer_report is not None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection that holds the ``events`` table."""
        return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the log's database (one per thread or analysis)."""
        return self._con.cursor()

    @property
    def mapping(self) -> ColumnMapping:
        return self.report.mapping

    @property
    def has_journey_column(self) -> bool:
        return self.report.mapping.journey is not None

    @property
    def customers_are_cases(self) -> bool:
        """The log has no customer column apart from its case (journey) id: each customer id
        is a case id, and customer-level counts count cases."""
        return self.report.mapping.customers_are_cases

    @property
    def has_channel(self) -> bool:
        return self.report.mapping.channel is not None

    @property
    def attributes(self) -> dict[str, str]:
        """Attribute columns of ``events`` and their DuckDB types."""
        return dict(self.report.attribute_types)

    @property
    def n_events(self) -> int:
        return self.report.rows_loaded

    def touchpoints(self) -> list[str]:
        """Every touchpoint, most frequent first."""
        rows = db.execute(self.cursor(), "duckdb/ingest/touchpoints_by_count").fetchall()
        return [str(r[0]) for r in rows]

    def frame(self, limit: int | None = None) -> pd.DataFrame:
        """The loaded events as a DataFrame (all of them unless ``limit`` is given)."""
        n = None if limit is None else int(limit)
        return db.execute(self.cursor(), "duckdb/ingest/events_in_order", n=n).df()

    def weekly_events(self) -> pd.DataFrame:
        """Events per ISO week and channel: ``week``, ``channel``, ``events``."""
        return db.run(self.cursor(), "analyses/weekly_events")

    def rejected_rows(self) -> pd.DataFrame:
        """Every rejected row: ``line``, ``row``, ``column``, ``reason``, ``value``."""
        return db.execute(self.cursor(), "duckdb/ingest/rejected_list").df()

    def __repr__(self) -> str:
        r = self.report
        return (
            f"<EventLog {r.source}: {r.rows_loaded:,} events loaded, {r.rows_rejected:,} rejected>"
        )


@dataclass(frozen=True)
class SourceInfo:
    """What :func:`inspect_source` found: enough to fill a mapping form."""

    name: str
    kind: str
    columns: tuple[str, ...]
    types: dict[str, str]
    mapping: ColumnMapping
    time_format: TimeFormat | None
    time_problem: str | None
    preview: pd.DataFrame
    dialect: sources.Dialect = field(default_factory=sources.Dialect)


# -- public functions ------------------------------------------------------------------------------


def inspect_source(
    source: Source,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    dayfirst: bool | None = None,
    rows: int = 20_000,
) -> SourceInfo:
    """Read the first ``rows`` rows of a source and suggest a mapping and a time format.

    Nothing is loaded; use it to show a person what was detected before :func:`read_events`.

    Examples
    --------
    >>> import workbench as wb
    >>> info = wb.inspect_source("sample_data/events.csv")
    >>> info.mapping.time, info.time_format.label
    ('timestamp', 'ISO 8601 year-month-day')
    """
    con = db.connect()
    raw = sources.read_raw(con, source, delimiter=delimiter, encoding=encoding, limit=rows)
    types = {c: t for c, t in db.columns(con, "raw_input").items() if c not in raw.hidden}
    cols = tuple(types)
    m = ColumnMapping.detect(cols, types, mapping)
    fmt, problem = None, None
    if m.time is not None:
        try:
            fmt = detect(con, "raw_input", m.time, types[m.time], dayfirst=dayfirst)
        except ValidationError as exc:
            problem = f"{exc.title}: {exc.message}"
    preview = db.execute(con, "duckdb/ingest/raw_preview").df().drop(columns=list(raw.hidden))
    return SourceInfo(raw.name, raw.kind, cols, types, m, fmt, problem, preview, raw.dialect)


#: The stages of an import, with their usual shares of the time (10M events from Parquet).
IMPORT_STAGES = (
    ("Reading the file", 0.1),
    ("Recognising the columns and the time format", 4.8),
    ("Numbering the customers and journeys", 4.8),
    ("Writing the events", 16.0),
    ("Accounting for the rejected rows", 0.2),  # a clean file is not read again
    ("Loading the surveys", 4.5),
    ("Loading the customer list", 1.9),
    ("Finding each journey's segment values", 4.5),
    ("Writing the dataset file", 0.2),
)


def read_events(
    source: Source,
    mapping: Mapping[str, str | None] | None = None,
    *,
    time_format: str | None = None,
    dayfirst: bool | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    memory_limit: str | None = None,
    strict: bool = False,
    name: str | None = None,
    surveys: Source | None = None,
    survey_mapping: Mapping[str, str | None] | None = None,
    survey_time_format: str | None = None,
    customers: Source | None = None,
    customer_mapping: Mapping[str, str | None] | None = None,
    pseudonymise: str | None = None,
    lifecycle: str = "complete",
    progress: Progress | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    stages: Stages | None = None,
) -> EventLog:
    """Read an event log into DuckDB (in memory, or on ``con``); :func:`workbench.load_events` is
    the same with ``database=`` for a dataset file.

    Parameters
    ----------
    source
        Path of a CSV/TSV/Parquet/JSON/NDJSON file, an XES event log (``.xes`` or ``.xes.gz``,
        streamed: see :mod:`workbench.ingest.xes`), a pandas DataFrame or a pyarrow Table.
    mapping
        Role -> column overrides, e.g. ``{"customer": "kund", "journey": None}``; roles not
        given are detected from common column names.
    time_format
        A strptime pattern (``"%d.%m.%Y %H:%M"``) or ``"iso"``, ``"dmy"``, ``"mdy"``,
        ``"epoch"``; detected when not given.
    dayfirst
        Settles dates that read both ways (every day and month 12 or less).
    delimiter, encoding
        Override what is detected for text files (``encoding`` is ``"utf-8"`` or ``"latin-1"``).
    memory_limit
        Cap DuckDB's memory, e.g. ``"1GB"`` (for a new connection; ``con`` keeps its own).
    strict
        Raise :class:`~workbench.core.errors.ValidationError` if any row is rejected.
    name
        How the source is called in reports (defaults to the file name).
    surveys, survey_mapping, survey_time_format
        Survey responses (NPS, CSAT, CES) to load beside the events, with their own mapping
        (roles customer, journey, interaction, touchpoint, kind, score, time, comment) and time
        format; ``dayfirst`` applies to them too. See :mod:`workbench.ingest.context`.
    customers, customer_mapping
        A customer list (segment, tenure, plan, revenue, churned ...) to load beside the events.
    pseudonymise
        A secret salt: customer and journey ids in every table become ``P`` and 16 hex digits
        of ``sha256(salt || id)`` as they are read, so the ids never reach the database; the
        text of unreadable rows is withheld from the rejection report. Keep the salt to
        pseudonymise a later export the same way; it is not stored.
    lifecycle
        For a log with a lifecycle column (``lifecycle:transition``): ``"complete"`` (journeys
        use the complete events; the start events are set aside and counted in
        ``report.rows_set_aside``) or ``"all"`` (every event is a step). Either way complete
        events get ``activity_seconds`` from their start. See :mod:`workbench.ingest.lifecycle`.
    progress
        Called with the fraction done and what is being done as each stage starts.
    con, stages
        The connection to read into (a new in-memory one when None), and the stages of a larger
        import this read is part of (it then leaves the last stage open).

    Returns
    -------
    EventLog
        The loaded log; ``log.report`` accounts for every row.

    Raises
    ------
    LoadError
        The source cannot be read.
    ValidationError
        The columns cannot be mapped, times cannot be read, or (``strict``) rows were rejected.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv")
    >>> log.report.rows_rejected
    0
    """
    own_stages = stages is None
    stages = stages or Stages(progress, IMPORT_STAGES)
    con = con if con is not None else db.connect(memory_limit=memory_limit)
    stages.start("Reading the file")
    raw = sources.read_raw(con, source, delimiter=delimiter, encoding=encoding)
    if name:
        raw = raw.renamed(name)
    if pseudonymise is not None:
        raw = raw.withheld()
    types = {c: t for c, t in db.columns(con, "raw_input").items() if c not in raw.hidden}
    cols = list(types)
    n_rows = db.row_count(con, "raw_input")
    if n_rows == 0 and raw.structural.empty:
        raise LoadError(
            f"{raw.name} has column names ({', '.join(cols)}) but no rows of data.", "No rows"
        )
    stages.start("Recognising the columns and the time format")
    m = ColumnMapping.detect(cols, types, mapping)
    m.check(cols)
    assert m.time is not None  # check() guarantees the required roles
    fmt = detect(
        con, "raw_input", m.time, types[m.time], time_format=time_format, dayfirst=dayfirst
    )
    attr_types, attr_exprs = sources.attribute_columns(con, m.attributes, types)
    aliases = dict(zip(m.attributes, attr_types, strict=True))
    cycle = lifecycles.find(con, m.attributes, aliases, [*cols, *attr_types], lifecycle)
    view = "mapped_rows" if cycle is None else "lifecycle_rows"
    _create_mapped_view(con, m, fmt, attr_exprs, raw.row_expr, pseudonymise, view)
    if cycle is not None:
        cycle = _keep_lifecycle(con, cycle)
        attr_types = {**attr_types, cycle.seconds: "DOUBLE"} if cycle.pairs else attr_types
    db.create_view(
        con,
        "staging/classified_events",
        "classified_events",
        temp=True,
        journey_required=m.journey is not None,
        customer_is_case=m.customers_are_cases,
    )
    # With lifecycle transitions some rows are set aside, so the read count no longer tells
    # whether any was rejected: count them then.
    rows_in = n_rows if cycle is None else None
    report = _finish(con, raw, m, fmt, attr_types, attr_exprs, stages, rows_in)
    if cycle is not None:
        report = _lifecycle_report(con, report, cycle)
    if pseudonymise is not None:
        report = dataclasses.replace(report, notes=(*report.notes, sources.PSEUDONYM_NOTE))
    if strict and report.rows_rejected:
        first = report.rejected.iloc[0]
        where = f"line {first['line']}" if pd.notna(first["line"]) else f"row {first['row']}"
        raise ValidationError(
            f"{report.rows_rejected:,} of {report.rows_read:,} rows were rejected; the first, at "
            f"{where}: {first['reason']}. Fix the source or load without strict=True to see "
            "them all.",
            "Rows rejected",
        )
    survey_report = customer_report = None
    if surveys is not None:
        stages.start("Loading the surveys")
        survey_report = context.load_surveys(
            con,
            surveys,
            survey_mapping,
            time_format=survey_time_format,
            dayfirst=dayfirst,
            pseudonymise=pseudonymise,
        )
    if customers is not None:
        stages.start("Loading the customer list")
        customer_report = context.load_customers(
            con, customers, customer_mapping, pseudonymise=pseudonymise
        )
    log = EventLog(con, report, survey_report, customer_report)
    if own_stages:
        stages.done()
    return log


# -- lifecycle transitions -------------------------------------------------------------------------


def _keep_lifecycle(
    con: duckdb.DuckDBPyConnection, cycle: lifecycles.Lifecycle
) -> lifecycles.Lifecycle:
    """``mapped_rows``: the rows the journeys use (see :mod:`workbench.ingest.lifecycle`) over
    ``lifecycle_rows``, each complete event with its activity's duration."""
    cycle = lifecycles.durations(con, cycle)
    db.create_view(
        con,
        "duckdb/ingest/lifecycle_kept",
        "mapped_rows",
        temp=True,
        lifecycle=cycle.column,
        seconds=cycle.seconds,
        all=cycle.choice == "all",
    )
    return cycle


def _lifecycle_report(
    con: duckdb.DuckDBPyConnection, report: LoadReport, cycle: lifecycles.Lifecycle
) -> LoadReport:
    """The report with the set-aside events counted and said, the lifecycle relations dropped."""
    db.drop_view(con, "lifecycle_rows")
    db.drop_table(con, quote_ident("activity_durations"))
    if not cycle.pairs:
        attribute_types = {k: v for k, v in report.attribute_types.items() if k != cycle.seconds}
        # no pair: the empty duration column is not worth a column
        db.execute(con, "duckdb/ingest/drop_column", table="events", column=cycle.seconds)
        report = dataclasses.replace(report, attribute_types=attribute_types)
    return dataclasses.replace(
        report,
        rows_read=report.rows_read + cycle.set_aside,
        rows_set_aside=cycle.set_aside,
        notes=(*report.notes, cycle.note()),
    )


# -- mapping and staging ---------------------------------------------------------------------------


def _create_mapped_view(
    con: duckdb.DuckDBPyConnection,
    m: ColumnMapping,
    fmt: TimeFormat,
    attr_exprs: dict[str, str],
    row_expr: str,
    salt: str | None = None,
    view: str = "mapped_rows",
) -> None:
    def text(col: str | None) -> str:
        if col is None:
            return "cast(null as varchar)"
        return f"nullif(trim(cast({quote_ident(col)} as varchar)), '')"

    assert m.time is not None
    select = [
        f"cast({row_expr} as bigint) as row_no",
        f"{sources.id_expression(m.customer_source, salt)} as customer_id",
        f"{sources.id_expression(m.journey, salt)} as journey_id",
        f"{text(m.touchpoint)} as touchpoint",
        f"{text(m.channel)} as channel",
        f"{text(m.time)} as time_raw",
        f"{fmt.expression(m.time)} as ts",
    ] + [f"{expr} as {quote_ident(alias)}" for alias, expr in attr_exprs.items()]
    db.temp_relation(con, view, "select " + ",\n  ".join(select) + " from raw_input")


MAX_CHANNELS = 64


def _create_enums(con: duckdb.DuckDBPyConnection, m: ColumnMapping) -> None:
    """Touchpoints and channels become ENUM types: small codes that group and sort fast."""
    db.drop_type(con, "touchpoint_enum")
    db.drop_type(con, "channel_enum")
    db.execute(con, "duckdb/ingest/touchpoint_enum")
    row = db.execute(con, "duckdb/ingest/channel_spread").fetchone()
    if row is not None and row[0] > MAX_CHANNELS:
        raise ValidationError(
            f"The channel column '{m.channel}' has {row[0]:,} different values (e.g. "
            f"'{row[1]}'); a channel is one of a few values such as web, app, phone or store. "
            "Map another column to channel, or none.",
            "Too many channels",
        )
    db.execute(con, "duckdb/ingest/channel_enum")


def _finish(
    con: duckdb.DuckDBPyConnection,
    raw: sources.Raw,
    m: ColumnMapping,
    fmt: TimeFormat,
    attr_types: dict[str, str],
    attr_exprs: dict[str, str],
    stages: Stages,
    rows_in: int | None = None,
) -> LoadReport:
    """Write ``events`` and account for every row; ``rows_in`` is how many rows the reader split
    into fields (None when unknown)."""
    stages.start("Numbering the customers and journeys")
    _create_enums(con, m)
    db.materialize(con, "staging/customer_keys", "customer_keys")
    db.materialize(con, "staging/journey_keys", "journey_keys")
    stages.start("Writing the events")
    db.materialize(con, "staging/events", "events")
    stages.start("Accounting for the rejected rows")
    loaded = db.row_count(con, "events")
    # Each row the reader split is either loaded or rejected for its values, so when every one
    # was loaded there is nothing to find and the source is not read again.
    clean = loaded == rows_in
    content = sources.no_rejected_content() if clean else db.run(con, "staging/rejected_content")
    db.drop_view(con, "classified_events")
    db.drop_view(con, "mapped_rows")
    sources.drop_raw(con, raw)

    role_col = {
        "customer": m.customer_source,
        "touchpoint": m.touchpoint,
        "time": m.time,
        "journey": m.journey,
    }
    rejected, by_reason = sources.record_rejections(con, raw, content, role_col, "rejected_rows")
    n_rejected = len(rejected)
    return LoadReport(
        table="events",
        source=raw.name,
        kind=raw.kind,
        rows_read=loaded + n_rejected,
        rows_loaded=loaded,
        rows_rejected=n_rejected,
        rejected=rejected.head(REJECTED_PREVIEW_ROWS),
        rejected_by_reason=by_reason,
        mapping=m,
        time_format=fmt,
        dialect=raw.dialect,
        attribute_types=attr_types,
        notes=raw.notes + ((fmt.note,) if fmt.note else ()),
    )
