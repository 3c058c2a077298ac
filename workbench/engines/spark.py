"""The workbench's SQL on Apache Spark, for logs beyond one machine (the ``spark`` extra).

Every query under ``queries/`` is written in DuckDB's SQL against logical views (``events``,
``steps``, ``journeys`` ...), never against files. :func:`translate` turns one into Spark SQL
with `sqlglot <https://sqlglot.com>`_ and the :class:`WorkbenchSpark` dialect, which fixes the
places where a plain DuckDB → Spark translation runs but answers differently:

=====================================  ======================================================
DuckDB                                 Spark (what the plain translation gets wrong)
=====================================  ======================================================
``list(x ORDER BY k)``                 ``transform(array_sort(collect_list(struct(k, x))) …)``
                                       (plain: ``collect_list(x)``, the order is lost)
``list_transform(list_sort(list(k *``  the same ordered list (the fast DuckDB spelling of
``M + enum_code(x))), …)``             ``list(x ORDER BY k)``: Spark has no ENUM codes)
``epoch(a - b)``, ``epoch(ts)``        microseconds ÷ 10⁶ (plain: whole seconds)
``quantile_cont``, ``median``          exact ``percentile`` (plain: ``percentile_cont`` with
                                       an array, which Spark refuses, or an approximation)
``len(list)``                          ``size`` (plain: ``length``, which is for text)
``list_has_any(a, b)``                 ``arrays_overlap`` (plain: ``a && b``, refused)
``dayofweek`` (Sunday 0), ``isodow``   ``dayofweek - 1``, ``weekday + 1`` (plain: off by one)
``dayname``                            ``date_format(x, 'EEEE')``
``strftime(ts, '%G-W%V')`` (ISO week)  ``yearofweek`` and ``weekofyear`` (plain: the pattern
                                       printed literally)
``date_diff(part, a, b)``              boundaries crossed, as DuckDB counts them
``* EXCLUDE``, ``* REPLACE``,          expanded into the column list from the inputs' schema
``COLUMNS('regex')``, ``UNPIVOT``      (Spark has none of the star forms)
``CAST(x AS touchpoint_enum)``         ``STRING`` (Spark has no ENUM types)
``bit_count(bitstring_agg(k))``        ``count(DISTINCT k)`` (Spark has no bit sets)
``bit_count(bit_or(1 <<``              ``size(collect_set(x))`` (no ENUM codes; a distinct
``enum_code(x)))``                     aggregate would make Spark expand every row)
=====================================  ======================================================

What it cannot translate faithfully (``quantile_disc``, ``time_bucket``, ``epoch_ms``, file
table functions such as ``read_parquet``, descending list orders, anything sqlglot itself
reports as unsupported) raises :class:`TranslationError` instead of running differently.
``tests/test_spark.py`` runs every query on both engines over the same data and compares the
answers.

On a session, :func:`build_journeys_on_spark` rebuilds the journey model and
:func:`kpis_on_spark` the CX KPIs with these translated queries (``journeys`` and ``kpis
--engine spark`` on the command line); :func:`read_events` reads a log, survey or customer file
so that no row is lost unseen, and :func:`stage_surveys` and :func:`stage_customers` stage
surveys and customer lists with the loader's queries. The views an analysis builds on are kept
as checkpoints (see :func:`_kept`).

This module imports ``pyspark`` only inside the functions that run on a session; translating
needs only sqlglot.
"""

from __future__ import annotations

import csv
import gc
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from workbench.analyses.attributes import classify_types
from workbench.analyses.kpis import KpiTable, grouped_views, kpi_table
from workbench.analyses.outcomes import (
    LONG_WAIT_SECONDS,
    NO_SURVEY_LINKS,
    guess_goals,
    signal_views,
)
from workbench.core import db
from workbench.core.durations import parse_duration
from workbench.core.errors import WorkbenchError
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
from workbench.journeys.model import JourneyTables, Split

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.duckdb import DuckDB
    from sqlglot.dialects.spark import Spark
    from sqlglot.optimizer.annotate_types import annotate_types
    from sqlglot.optimizer.qualify import qualify
except ImportError as _exc:  # pragma: no cover - the extra is missing
    raise ImportError(
        "Running on Spark needs the spark extra: pip install 'journey-workbench[spark]'"
    ) from _exc

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame as SparkFrame
    from pyspark.sql import SparkSession

Schema = Mapping[str, Mapping[str, str]]
"""Column names and types (DuckDB spelling) of every input view, by view name."""

ENUM_SUFFIX = "_enum"
_DATE_PARTS = {"second": 1, "minute": 60, "hour": 3600}


class _DuckDBAsWritten(DuckDB):
    """DuckDB, read without shifting list positions: sqlglot shifts ``x[1]`` to 0-based only
    when it guesses ``x`` is a list, so ``quantile_cont(v, [.5, .9])[1]`` and ``path[1]`` would
    come out differently. Positions stay as written (1-based) and :func:`_bracket` maps them."""

    INDEX_OFFSET = 0


class TranslationError(WorkbenchError):
    """A query uses something Spark would answer differently or not at all."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "Cannot run this query on Spark")


def _ordered_list(self: Spark.Generator, e: exp.ArrayAgg) -> str:
    """``list(x ORDER BY k1, k2)`` → sort structs (k1, k2, x) and keep x."""
    inner = e.this
    if not isinstance(inner, exp.Order):
        return self.func("COLLECT_LIST", inner)
    keys = inner.expressions
    if any(o.args.get("desc") for o in keys):
        raise TranslationError("A list ordered descending has no exact Spark equivalent.")
    if any(o.args.get("nulls_first") for o in keys):
        raise TranslationError("A list ordered with NULLS FIRST has no exact Spark equivalent.")
    fields = [exp.alias_(o.this.copy(), f"k{i}", quoted=False) for i, o in enumerate(keys)] + [
        exp.alias_(inner.this.copy(), "v", quoted=False)
    ]
    struct = self.func("STRUCT", *fields)
    return f"TRANSFORM(ARRAY_SORT(COLLECT_LIST({struct})), e -> e.v)"


def _micros(self: Spark.Generator, e: exp.Expression) -> str:
    return f"UNIX_MICROS(CAST({self.sql(e)} AS TIMESTAMP))"


def _epoch(self: Spark.Generator, e: exp.TimeToUnix) -> str:
    """DuckDB's ``epoch`` keeps fractions of a second; Spark's ``unix_timestamp`` drops them."""
    arg = e.this
    while isinstance(arg, exp.Paren):
        arg = arg.this
    if isinstance(arg, exp.Sub):
        return f"(({_micros(self, arg.this)} - {_micros(self, arg.expression)}) / 1000000D)"
    return f"({_micros(self, arg)} / 1000000D)"


def _percentile(self: Spark.Generator, e: exp.PercentileCont | exp.Median) -> str:
    """``quantile_cont`` / ``median`` interpolate between values: Spark's exact ``percentile``."""
    q = e.args.get("expression") if isinstance(e, exp.PercentileCont) else None
    return self.func("PERCENTILE", e.this, q if q is not None else exp.Literal.number("0.5"))


_LIST_FUNCS = (exp.ArrayAgg, exp.ArrayDistinct, exp.Array, exp.ArrayConcat, exp.ArraySort)


def _length(self: Spark.Generator, e: exp.Length) -> str:
    kind = e.this.type
    if isinstance(e.this, _LIST_FUNCS) or (
        kind is not None and kind.is_type(exp.DataType.Type.ARRAY)
    ):
        return self.func("SIZE", e.this)
    if kind is not None and kind.this not in (exp.DataType.Type.UNKNOWN, None):
        return self.func("LENGTH", e.this)
    raise TranslationError(
        f"Cannot tell whether {e.sql('duckdb')} measures a list or text; give the input "
        "schema so the type is known."
    )


def _date_diff(self: Spark.Generator, e: exp.DateDiff) -> str:
    """DuckDB counts the boundaries crossed between two times."""
    unit = (e.text("unit") or "day").lower()
    start, end = e.expression, e.this  # DuckDB date_diff(part, start, end) → DateDiff(end, start)
    s, t = self.sql(start), self.sql(end)
    if unit in ("day", "days"):
        return f"DATEDIFF(CAST({t} AS DATE), CAST({s} AS DATE))"
    if unit in ("month", "months"):
        return f"((YEAR({t}) * 12 + MONTH({t})) - (YEAR({s}) * 12 + MONTH({s})))"
    if unit in ("year", "years"):
        return f"(YEAR({t}) - YEAR({s}))"
    size = _DATE_PARTS.get(unit.rstrip("s"))
    if size is None:
        raise TranslationError(f"date_diff('{unit}', …) has no exact Spark equivalent here.")
    return (
        f"(FLOOR({_micros(self, end)} / {size * 1_000_000}) - "
        f"FLOOR({_micros(self, start)} / {size * 1_000_000}))"
    )


def _bracket(self: Spark.Generator, e: exp.Bracket) -> str:
    """``list[i]`` (DuckDB counts from 1, -1 is the last, out of range is NULL) →
    ``try_element_at``, which counts the same way (Spark's ``list[i]`` counts from 0 and, in
    ANSI mode, fails out of range)."""
    (index,) = e.expressions
    number = index.this if isinstance(index, exp.Neg) else index
    if isinstance(number, exp.Literal) and number.is_string:
        return self.bracket_sql(e)  # a struct field or map key
    if not (isinstance(number, exp.Literal) and number.is_int) or int(number.this) == 0:
        raise TranslationError(f"{e.sql('duckdb')}: only constant list positions are translated.")
    return self.func("TRY_ELEMENT_AT", e.this, index)


def _count_if(self: Spark.Generator, e: exp.CountIf) -> str:
    """DuckDB's ``count_if`` is NULL when no row has a value (like ``sum``); Spark's is 0."""
    return f"SUM(CAST({self.sql(e.this)} AS BIGINT))"


_ISO_WEEK = "%G-W%V"


def _strftime(self: Spark.Generator, e: exp.TimeToStr) -> str:
    """``strftime``: DuckDB's ISO week (``%G-W%V``, as ``2026-W05``) spelled with Spark's ISO
    week functions; any other pattern Spark's ``date_format`` cannot spell is refused instead
    of being printed literally."""
    fmt = e.args.get("format")
    if isinstance(fmt, exp.Literal) and fmt.this == _ISO_WEEK:
        ts = self.sql(e.this)
        return (
            f"CONCAT(LPAD(CAST(EXTRACT(YEAROFWEEK FROM {ts}) AS STRING), 4, '0'), '-W', "
            f"LPAD(CAST(WEEKOFYEAR({ts}) AS STRING), 2, '0'))"
        )
    out = Spark.Generator.timetostr_sql(self, e)
    if "%" in out:
        raise TranslationError(
            f"The time pattern of {e.sql('duckdb')} has no Spark equivalent here."
        )
    return out


def _refuse(what: str) -> Any:
    def generate(self: Spark.Generator, e: exp.Expression) -> str:
        raise TranslationError(f"{what} ({e.sql('duckdb')}) has no exact Spark equivalent.")

    return generate


class WorkbenchSpark(Spark):
    """Spark SQL as the workbench writes it: DuckDB semantics kept, or a refusal."""

    class Generator(Spark.Generator):
        TRANSFORMS = {  # noqa: RUF012 - sqlglot reads this class attribute
            **Spark.Generator.TRANSFORMS,
            exp.ArrayAgg: _ordered_list,
            exp.TimeToUnix: _epoch,
            exp.PercentileCont: _percentile,
            exp.Median: _percentile,
            exp.Length: _length,
            exp.ArrayOverlaps: lambda self, e: self.func("ARRAYS_OVERLAP", e.this, e.expression),
            exp.DayOfWeek: lambda self, e: f"(DAYOFWEEK({self.sql(e.this)}) - 1)",
            exp.DayOfWeekIso: lambda self, e: f"(WEEKDAY({self.sql(e.this)}) + 1)",
            exp.Dayname: lambda self, e: f"DATE_FORMAT({self.sql(e.this)}, 'EEEE')",
            exp.DateDiff: _date_diff,
            exp.Bracket: _bracket,
            exp.CountIf: _count_if,
            exp.TimeToStr: _strftime,
            exp.PercentileDisc: _refuse("quantile_disc"),
            exp.DateBin: _refuse("time_bucket"),
            exp.UnixToTime: _refuse("epoch_ms / to_timestamp"),
        }


def _input_tables(tree: exp.Expression) -> list[exp.Table]:
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    return [t for t in tree.find_all(exp.Table) if t.name not in ctes]


def inputs(sql: str) -> list[str]:
    """The views a query reads (its FROM/JOIN names that are not its own CTEs), sorted.

    Examples
    --------
    >>> inputs("with a as (select * from steps) select * from a join journeys using (k)")
    ['journeys', 'steps']
    """
    return sorted({t.name for t in _input_tables(sqlglot.parse_one(sql, read=_DuckDBAsWritten))})


def _expand_columns(tree: exp.Expression, schema: Schema) -> None:
    """``COLUMNS('regex')`` → the input columns whose names match, in schema order."""
    names: list[str] = []
    for table in schema.values():
        names += [c for c in table if c not in names]
    for node in list(tree.find_all(exp.Columns)):
        pattern = re.compile(node.this.name)
        cols = [exp.column(c, quoted=True) for c in names if pattern.search(c)]
        if not cols:
            raise TranslationError(f"COLUMNS('{node.this.name}') matches no input column.")
        parent = node.parent
        if isinstance(parent, (exp.Select, exp.Pivot)):
            key = node.arg_key
            items: list[exp.Expression] = []
            for item in parent.args[key]:
                items += [c.copy() for c in cols] if item is node else [item]
            parent.set(key, items)
        else:
            raise TranslationError("COLUMNS(...) is only translated in a select list or UNPIVOT.")


def _rewrite_unpivot(tree: exp.Expression) -> exp.Expression:
    """DuckDB's ``UNPIVOT t ON a, b INTO NAME n VALUE v`` → Spark's ``SELECT * FROM t UNPIVOT
    (v FOR n IN (a, b))``; column groups ``ON (a1, a2) AS x`` → ``((v1, v2) FOR n IN ((a1, a2)
    AS x))``. Both engines drop the rows whose values are all NULL."""
    for node in list(tree.find_all(exp.Pivot)):
        into = node.args.get("into")
        if not node.args.get("unpivot") or not isinstance(into, exp.UnpivotColumns):
            continue
        values = [v.sql("spark") for v in into.expressions]
        value = values[0] if len(values) == 1 else "(" + ", ".join(values) + ")"
        cols = ", ".join(c.sql("spark") for c in node.expressions)
        source = node.this
        src = source.sql("spark") if isinstance(source, exp.Table) else f"({source.sql('spark')})"
        if not isinstance(source, exp.Table):
            src += " AS unpivot_source"
        spark_sql = (
            f"SELECT * FROM {src} UNPIVOT ({value} FOR {into.this.sql('spark')} IN ({cols}))"
        )
        node.replace(exp.paren(sqlglot.parse_one(spark_sql, read="spark"), copy=False))
    return tree


def _rewrite_asof(tree: exp.Expression) -> None:
    """``FROM a AS u ASOF JOIN b AS j ON u.k = j.k AND u.t >= j.t`` (Spark has no ASOF join) →
    the inner join with the inequality, keeping for each row of ``a`` the ``b`` row nearest
    in time. The pairs come back as two structs named ``u`` and ``j``, so ``u.x`` and ``j.y``
    in the rest of the SELECT still resolve."""
    for join in list(tree.find_all(exp.Join)):
        if (join.text("method") or "").upper() != "ASOF":
            continue
        select = join.parent
        if join.side or join.kind not in ("", "INNER") or not isinstance(select, exp.Select):
            raise TranslationError("Only an inner ASOF JOIN is translated.")
        left, right = select.args["from_"].this, join.this
        lname, rname = left.alias_or_name, right.alias_or_name
        on = join.args["on"]
        ineq = [
            c
            for c in on.find_all(exp.GTE, exp.GT, exp.LTE, exp.LT)
            if {col.table for col in c.find_all(exp.Column)} == {lname, rname}
        ]
        if len(ineq) != 1:
            raise TranslationError("An ASOF JOIN needs exactly one inequality between its sides.")
        cmp = ineq[0]
        rcol = next(col for col in cmp.find_all(exp.Column) if col.table == rname)
        lhs_is_left = any(col.table == lname for col in cmp.this.find_all(exp.Column))
        latest = isinstance(cmp, (exp.GTE, exp.GT)) == lhs_is_left  # left ≥ right: nearest below
        order = "DESC" if latest else "ASC"
        gen = WorkbenchSpark().generator()
        source = left.this.sql("spark") if isinstance(left, exp.Table) else left.sql("spark")
        pairs = (
            f"(SELECT {lname}, {rname} FROM (SELECT STRUCT({lname}.*) AS {lname}, "
            f"STRUCT({rname}.*) AS {rname}, ROW_NUMBER() OVER (PARTITION BY "
            f"{lname}.asof_row ORDER BY {gen.sql(rcol)} {order}) AS asof_rank "
            f"FROM (SELECT *, MONOTONICALLY_INCREASING_ID() AS asof_row FROM {source}) AS "
            f"{lname} INNER JOIN {right.sql('spark')} ON {gen.sql(on)}) WHERE asof_rank = 1) "
            "AS asof_pairs"
        )
        join.pop()
        select.set(
            "from_",
            exp.From(
                this=sqlglot.parse_one(f"SELECT * FROM {pairs}", read="spark").args["from_"].this
            ),
        )


def _code_sorted_lists(tree: exp.Expression) -> None:
    """``list_transform(list_sort(list(k * M + enum_code(x))), lambda v: <x's values>[v % M + 1])``
    is DuckDB's fast spelling of ``list(x ORDER BY k)`` (it sorts numbers instead of each
    group's rows, then reads the ENUM values back by code); Spark has no ENUM codes, so it
    becomes that ordered list again, which :func:`_ordered_list` translates."""
    for node in list(tree.find_all(exp.Transform)):
        inner = node.this
        agg = inner.this if isinstance(inner, exp.ArraySort) else None
        add = agg.this if isinstance(agg, exp.ArrayAgg) else None
        if not isinstance(add, exp.Add) or not isinstance(add.this, exp.Mul):
            continue
        code = add.expression
        if not (isinstance(code, exp.Anonymous) and code.name.lower() == "enum_code"):
            continue
        (value,) = code.expressions
        key = add.this.this
        node.replace(
            exp.ArrayAgg(
                this=exp.Order(
                    this=value.copy(), expressions=[exp.Ordered(this=key.copy(), nulls_first=False)]
                )
            )
        )


def _enum_code_masks(tree: exp.Expression) -> None:
    """``bit_count(bit_or(1 << enum_code(x)))`` counts the distinct ENUM values in a group fast;
    Spark has no ENUM codes, so it becomes ``size(collect_set(x))`` (both ignore NULL). Not
    ``count(DISTINCT x)``: a distinct aggregate beside the others makes Spark expand every row
    once per distinct column and group twice, for a few values per group that a set holds."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.lower() != "enum_code":
            continue
        top = node.find_ancestor(exp.Anonymous)
        while top is not None and top.name.lower() != "bit_count":
            top = top.find_ancestor(exp.Anonymous)
        if top is None or top.find_ancestor(exp.Select) is None:
            raise TranslationError("enum_code() has no Spark equivalent (touchpoints are text).")
        (arg,) = node.expressions
        top.replace(exp.ArraySize(this=exp.ArrayUniqueAgg(this=arg.copy())))


def _bitstring_counts(tree: exp.Expression) -> None:
    """``bit_count(bitstring_agg(k))`` counts the distinct keys of a group as a bit set; Spark has
    no bit sets, so it becomes ``count(DISTINCT k)`` (both ignore NULL). A bit set used any other
    way is refused."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.lower() != "bitstring_agg":
            continue
        top = node.parent
        if not (isinstance(top, exp.Anonymous) and top.name.lower() == "bit_count"):
            raise TranslationError(
                "bitstring_agg() has no Spark equivalent but inside bit_count()."
            )
        if len(node.expressions) != 1:
            raise TranslationError("bitstring_agg() with bounds has no Spark equivalent.")
        top.replace(exp.Count(this=exp.Distinct(expressions=[node.expressions[0].copy()])))


def _enums_as_text(tree: exp.Expression) -> None:
    for dt in tree.find_all(exp.DataType):
        if dt.this == exp.DataType.Type.USERDEFINED:
            name = dt.args.get("kind") or dt.sql("duckdb")
            if str(name).lower().endswith(ENUM_SUFFIX):
                dt.replace(exp.DataType.build("text"))
            else:
                raise TranslationError(f"The type {name} is not known on Spark.")


def translate(sql: str, schema: Schema | None = None) -> str:
    """Translate one workbench query from DuckDB's SQL to Spark SQL.

    Parameters
    ----------
    sql
        The query text (``$name`` parameters become Spark's ``:name`` markers).
    schema
        Column names → DuckDB types of every view the query reads. Needed to expand
        ``* EXCLUDE``/``* REPLACE``/``COLUMNS()`` and to tell a list's ``len`` from text's.

    Raises
    ------
    TranslationError
        Where Spark would answer differently and no exact spelling is known.

    Examples
    --------
    >>> print(translate("select list(t order by step) as path, epoch(b - a) as d from s"))
    SELECT TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(step AS k0, t AS v))), e -> e.v) AS path, \
((UNIX_MICROS(CAST(b AS TIMESTAMP)) - UNIX_MICROS(CAST(a AS TIMESTAMP))) / 1000000D) AS d FROM s
    """
    try:
        tree = sqlglot.parse_one(sql, read=_DuckDBAsWritten)
    except sqlglot.errors.ParseError as exc:
        raise TranslationError(f"sqlglot cannot read this query: {exc}") from exc
    for t in _input_tables(tree):
        if not isinstance(t.this, exp.Identifier):
            raise TranslationError(
                f"{t.sql('duckdb')} reads a file or a table function; queries read views."
            )
    _code_sorted_lists(tree)
    _enums_as_text(tree)
    _enum_code_masks(tree)
    _bitstring_counts(tree)
    if schema is not None:
        _expand_columns(tree, schema)
    tree = _rewrite_unpivot(tree)
    if schema is not None:
        tree = qualify(
            tree,
            schema={k: dict(v) for k, v in schema.items()},
            dialect=_DuckDBAsWritten,
            quote_identifiers=True,
            identify=False,
            validate_qualify_columns=False,
        )
        tree = annotate_types(tree, schema={k: dict(v) for k, v in schema.items()})
    _rewrite_asof(tree)
    try:
        return WorkbenchSpark().generate(tree, unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.UnsupportedError as exc:
        raise TranslationError(str(exc)) from exc


# --- running on a Spark session -------------------------------------------------------------


def session(master: str | None = None, *, app_name: str = "journey-workbench") -> SparkSession:
    """A Spark session: local mode on every core unless ``master`` gives a cluster URL.

    Times are read and written in UTC, as the DuckDB side does. The driver gets 4 GB of memory
    (``WORKBENCH_SPARK_DRIVER_MEMORY`` changes it), which takes effect when this call starts
    Spark's JVM. ``WORKBENCH_SPARK_CHECKPOINT_DIR`` (a directory every node can reach, such as
    ``hdfs:///tmp/workbench``) makes the views an analysis keeps reliable checkpoints there
    instead of rows in the executors' memory: slower, but an executor lost on a cluster does
    not fail the analysis.
    """
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ImportError(
            "Running on Spark needs the spark extra: pip install 'journey-workbench[spark]'"
        ) from exc
    builder = (
        SparkSession.builder.master(master or "local[*]")
        .appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        # DuckDB answers NULL where ANSI Spark raises (x / 0, a bad cast)
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", os.environ.get("WORKBENCH_SPARK_PARTITIONS", "8"))
        # the driver's JVM holds every broadcast join's table; Spark's 1 GB default runs out
        # on the KPIs of a million events in local mode
        .config("spark.driver.memory", os.environ.get("WORKBENCH_SPARK_DRIVER_MEMORY", "4g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", os.environ["SPARK_LOCAL_IP"])
        # the files of a reliable checkpoint (see _kept) go when nothing refers to them
        .config("spark.cleaner.referenceTracking.cleanCheckpoints", "true")
    )
    checkpoints = os.environ.get("WORKBENCH_SPARK_CHECKPOINT_DIR")
    if checkpoints:
        builder = builder.config("spark.checkpoint.dir", checkpoints)
    return builder.getOrCreate()


def spark_schema(frame: SparkFrame) -> dict[str, str]:
    """Column names → DuckDB-spelled types of a Spark DataFrame (for :func:`translate`)."""
    return {f.name: _duck_type(f.dataType.simpleString()) for f in frame.schema.fields}


def _duck_type(spark_type: str) -> str:
    t = spark_type.lower()
    if t.startswith("array<"):
        return _duck_type(t[6:-1]) + "[]"
    return {
        "string": "varchar",
        "int": "integer",
        "bigint": "bigint",
        "smallint": "smallint",
        "tinyint": "tinyint",
        "double": "double",
        "float": "float",
        "boolean": "boolean",
        "timestamp": "timestamp",
        "timestamp_ntz": "timestamp",
        "date": "date",
    }.get(t, "varchar" if t.startswith("varchar") else t)


def run(
    spark: SparkSession,
    name_or_sql: str,
    *,
    schema: Schema | None = None,
    **params: Any,
) -> SparkFrame:
    """Run ``queries/<name>.sql`` (or SQL text) on ``spark`` over its temporary views.

    The schema of the views the query reads is looked up in the session unless given.
    """
    text = db.query_text(name_or_sql) if db._NAME.match(name_or_sql) else name_or_sql
    if schema is None:
        schema = {t: spark_schema(spark.table(t)) for t in inputs(text)}
    sql = translate(text, schema)
    return spark.sql(sql, args=_args(params) or None)


def _args(params: Mapping[str, Any]) -> dict[str, Any]:
    from pyspark.sql import functions as F

    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            out[key] = F.array(*[F.lit(v) for v in value]) if value else F.array()
        else:
            out[key] = value
    return out


def to_pandas(frame: SparkFrame) -> pd.DataFrame:
    """A Spark result as a pandas DataFrame (via Arrow)."""
    return frame.toArrow().to_pandas()


def register(spark: SparkSession, view: str, data: Any) -> SparkFrame:
    """Make ``data`` (a pandas DataFrame or a pyarrow Table) the temporary view ``view``."""

    if isinstance(data, pd.DataFrame):
        data = pa.Table.from_pandas(data, preserve_index=False)
    frame = spark.createDataFrame(_arrow_plain(data))
    frame.createOrReplaceTempView(view)
    return frame


def _arrow_plain(table: Any) -> Any:
    """Dictionary (ENUM) columns, and lists of them, as plain text."""

    cols = []
    for column in table.columns:
        t = column.type
        if pa.types.is_dictionary(t):
            column = column.cast(t.value_type)  # noqa: PLW2901
        elif pa.types.is_list(t) and pa.types.is_dictionary(t.value_type):
            column = column.cast(pa.list_(t.value_type.value_type))  # noqa: PLW2901
        cols.append(column)
    return pa.table(cols, names=table.column_names)


# --- the journey model on Spark ------------------------------------------------------------


@dataclass(frozen=True)
class SparkJourneys(JourneyTables):
    """The journey model computed on Spark: the same tables as
    :class:`workbench.journeys.model.JourneyModel`, from the same queries, with the input's row
    count, the rows rejected (``row_no``: the row's 1-based position in the file, ``column``,
    ``reason``, ``value``) and the attributes carried beside the events."""

    rows: int
    rejected: pd.DataFrame
    attributes: dict[str, str] = field(default_factory=dict)
    """The event attributes and their types (DuckDB spelling), as the loader types them."""


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
        "customer_id": sources.id_expression(roles.get("customer")),
        "journey_id": sources.id_expression(roles.get("journey")),
    }


def _times(roles: Mapping[str, str | None]) -> dict[str, str]:
    """``time_raw`` (the text) and ``ts`` (an ISO 8601 time, NULL when it does not parse)."""
    column = db.quote_ident(str(roles["time"]))
    return {
        "time_raw": sources.text_expression(roles.get("time")),
        "ts": f"try_cast(cast({column} as varchar) as timestamp)",
    }


def _view(
    spark: SparkSession, name: str, as_view: str, keep: bool = False, **params: Any
) -> SparkFrame:
    """Run a query (name or DuckDB SQL) and make its answer the temporary view ``as_view``;
    with ``keep``, computed now and kept (see :func:`_kept`)."""
    frame = run(spark, name, **params)
    if keep:
        frame = _kept(frame)
    frame.createOrReplaceTempView(as_view)
    return frame


def _kept(frame: SparkFrame) -> SparkFrame:
    """``frame`` computed and checkpointed: its rows kept, and its plan cut to a scan of them.

    An analysis stacks some twenty views. Cached (``persist``), each later query still carried
    the plans of every view below it, and Spark spent seconds analysing and optimising them:
    the KPIs' survey responses took 7.6 s at 100k events cached, 0.8 s checkpointed. A
    checkpoint keeps the rows (memory, then disk) on the executors. When the SparkContext has a
    checkpoint directory (``spark.checkpoint.dir``, or ``WORKBENCH_SPARK_CHECKPOINT_DIR`` for
    :func:`session`), the rows are written there instead, and survive an executor lost on a
    cluster; otherwise they live in the executors' block stores, as Spark's local checkpoints
    do. Rows no view or frame
    refers to any more are removed by Spark's cleaner (see :func:`_release_unreferenced`)."""
    if frame.sparkSession.sparkContext.getCheckpointDir():
        return frame.checkpoint(eager=True)
    return frame.localCheckpoint(eager=True)


def _release_unreferenced(spark: SparkSession) -> None:
    """Let Spark's cleaner remove the kept rows of earlier analyses that nothing refers to any
    more (their views were replaced), now rather than at its periodic clean-up: a session that
    runs many analyses, as a notebook does, keeps one copy of each view."""
    gc.collect()
    jvm = getattr(spark.sparkContext, "_jvm", None)
    if jvm is not None:
        jvm.System.gc()


def remove_checkpoints(spark: SparkSession) -> None:
    """Delete the session's reliable checkpoints: the SparkContext's own folder under the
    checkpoint directory (see :func:`_kept`), which Spark leaves behind when the session ends.
    The views the session's analyses kept cannot be read afterwards, so call it when done with
    them (the command line does, after each command). Without a checkpoint directory there is
    nothing to delete: local checkpoints go with the session."""
    folder = spark.sparkContext.getCheckpointDir()
    if not folder:
        return
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    path = jvm.org.apache.hadoop.fs.Path(folder)
    path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(path, True)


_ROW = "__workbench_row_no"
#: The column a text file's rows that do not split into the header's fields are kept in.
UNREADABLE = "__workbench_unreadable"


def source_types(source: SparkFrame) -> dict[str, str]:
    """A source's columns and Spark types, without :data:`UNREADABLE`."""
    return {f.name: f.dataType.simpleString() for f in source.schema.fields if f.name != UNREADABLE}


def _partition_starts(source: SparkFrame) -> dict[int, int]:
    """How many rows of ``source`` come before each of its partitions (by the partition number
    in the upper bits of Spark's row ids): one pass over ``source``, counting its rows."""
    from pyspark.sql import functions as F

    part = F.shiftright(F.monotonically_increasing_id(), 33)
    # counted through a column of the file: Spark refuses a query of a text file that reads
    # none of its columns but the unreadable rows' one
    column = next(c for c in source.columns if c != UNREADABLE)
    sizes = (
        source.groupBy(part.alias("p"))
        .agg(F.count(F.col(f"`{column}`").isNull()).alias("count"))
        .toPandas()
        .sort_values("p")
    )
    starts = sizes["count"].cumsum() - sizes["count"]
    return {int(p): int(n) for p, n in zip(sizes["p"], starts, strict=True)}


_LOW_BITS = (1 << 33) - 1


def _positions(source: SparkFrame, ids: pd.Series) -> pd.Series:
    """Spark's row ids (``monotonically_increasing_id`` over ``source``: the partition in the
    upper bits, the place within it below) as each row's 1-based position in read order -- for
    a text file, its data row (1 is the first after the header). Counts the rows of each
    partition: one more pass over ``source``, made only when some row is rejected."""
    if ids.empty:
        return ids
    first = _partition_starts(source)
    return pd.Series(
        [first[int(i) >> 33] + (int(i) & _LOW_BITS) + 1 for i in ids],
        index=ids.index,
        dtype="int64",
    )


def _field_count_reason(line: str, delimiter: str, expected: int) -> str:
    """Why a text row was not split, in the DuckDB loader's words.

    >>> _field_count_reason('a,"b,c",d', ",", 2)
    'more fields than the header (expected 2, found 3)'
    """
    found = len(next(csv.reader([line], delimiter=delimiter), []))
    if found > expected:
        return f"more fields than the header (expected {expected}, found {found})"
    if found < expected:
        return f"fewer fields than the header (expected {expected}, found {found})"
    return f"the fields do not split as the header's {expected} do"


def _map_rows(
    spark: SparkSession,
    source: SparkFrame,
    as_view: str,
    canonical: Mapping[str, str],
    attributes: Sequence[str],
    reserved: frozenset[str],
    positions: bool = False,
) -> tuple[dict[str, str], pd.DataFrame]:
    """The view ``as_view`` over ``source``: ``row_no`` (Spark's row id, see
    :func:`_positions`; with ``positions``, the row's position itself, at the cost of one more
    pass), the ``canonical`` columns (name → DuckDB expression), then the ``attributes`` typed
    as the DuckDB loader types them (whole numbers, numbers, true/false, else text; see
    :func:`workbench.ingest.sources.attribute_types`).

    Returns the attributes' names and types, and the rows that did not split into the header's
    fields (``row_no``, ``column``, ``reason``, ``value``: the row as read), which stay out of
    the view."""
    from pyspark.sql import functions as F

    numbered = source.select(F.monotonically_increasing_id().alias(_ROW), "*")
    if positions:
        starts = _partition_starts(source)
        offsets = F.create_map(*(F.lit(v) for pair in starts.items() for v in pair))
        row_id = F.col(_ROW)
        numbered = numbered.withColumn(
            _ROW,
            offsets[F.shiftright(row_id, 33)] + row_id.bitwiseAND(F.lit(_LOW_BITS)) + 1,
        )
    unreadable = pd.DataFrame(columns=["row_no", "column", "reason", "value"])
    if UNREADABLE in source.columns:
        bad = numbered.where(F.col(UNREADABLE).isNotNull())
        # (Spark refuses a query of a text file that reads only the unreadable rows' column)
        unreadable = to_pandas(bad).rename(columns={_ROW: "row_no"})
        expected = len(source.columns) - 1
        delimiter = source.schema[UNREADABLE].metadata.get("delimiter", ",")
        unreadable = pd.DataFrame(
            {
                "row_no": unreadable["row_no"].astype("int64"),
                "column": None,
                "reason": [
                    _field_count_reason(str(line), delimiter, expected)
                    for line in unreadable[UNREADABLE]
                ],
                "value": unreadable[UNREADABLE],
            }
        )
        numbered = numbered.where(F.col(UNREADABLE).isNull()).drop(UNREADABLE)
    numbered.createOrReplaceTempView("numbered_rows")
    types = {c: t.upper() for c, t in spark_schema(numbered).items()}
    text_cols = [c for c in attributes if types[c] == "VARCHAR"]
    probe: tuple[Any, ...] = ()
    if text_cols:
        first = run(spark, sources.attribute_probe(text_cols, "numbered_rows")).first()
        probe = tuple(first) if first is not None else ()
    attr_types, attr_exprs = sources.attribute_types(attributes, types, text_cols, probe, reserved)
    select = [f"{_ROW} as row_no"]
    select += [f"{expr} as {db.quote_ident(name)}" for name, expr in canonical.items()]
    select += [f"{expr} as {db.quote_ident(name)}" for name, expr in attr_exprs.items()]
    _view(spark, "select " + ", ".join(select) + " from numbered_rows", as_view)
    return attr_types, unreadable


def _rejected(
    spark: SparkSession,
    source: SparkFrame,
    classified: str,
    unreadable: pd.DataFrame,
    roles: Mapping[str, str | None],
    positions: bool = False,
) -> tuple[pd.DataFrame, int]:
    """Every rejected row of a staged ``source`` (``row_no``: its position, see
    :func:`_positions`, or already one with ``positions`` -- see :func:`_map_rows`;
    ``column``: the file's column, as the DuckDB loader names it; ``reason``, ``value``), in
    row order: those ``classified`` rejects for their values and the ``unreadable`` ones; and
    the number of rows read."""
    from pyspark.sql import functions as F

    table = spark.table(classified)
    value = F.col("reject_value") if "reject_value" in table.columns else F.lit(None).cast("string")
    content = to_pandas(
        table.where(F.col("reject_reason").isNotNull()).select(
            "row_no",
            F.col("reject_column").alias("column"),
            F.col("reject_reason").alias("reason"),
            value.alias("value"),
        )
    )
    content["column"] = [roles.get(role) or role for role in content["column"]]
    parts = [frame for frame in (content, unreadable) if len(frame)]
    rejected = (
        pd.concat(parts, ignore_index=True).sort_values("row_no", ignore_index=True)
        if parts
        else content
    )
    if not positions:
        rejected["row_no"] = _positions(source, rejected["row_no"])
    # counted through a column of the file (see _partition_starts)
    counted = table.select(F.count(F.col("customer_id").isNull())).first()
    rows = (int(counted[0]) if counted is not None else 0) + len(unreadable)
    return rejected, rows


def read_events(spark: SparkSession, path: str, *, delimiter: str | None = None) -> SparkFrame:
    """An event log (or survey) file as a Spark DataFrame: Parquet by its suffix, otherwise
    delimited text with a header, every column as text (times are parsed by the staging
    queries). A text row that does not split into the header's fields is kept whole in the
    column :data:`UNREADABLE`, and the staging rejects it with its row."""
    if str(path).lower().endswith(".parquet") or os.path.isdir(path):
        return spark.read.parquet(str(path))
    from pyspark.sql.types import StringType, StructField, StructType

    # with column pruning, whether a row splits into the header's fields depends on the
    # columns a query reads: a row with too many fields would be rejected by one query and
    # loaded by the next
    spark.conf.set("spark.sql.csv.parser.columnPruning.enabled", "false")
    reader = spark.read.options(header=True, sep=delimiter or ",", inferSchema=False)
    header = reader.csv(str(path)).schema
    # the delimiter travels with the frame, to count a rejected row's fields by
    kept = StructField(UNREADABLE, StringType(), metadata={"delimiter": delimiter or ","})
    schema = StructType([*header.fields, kept])
    return (
        reader.schema(schema)
        .options(mode="PERMISSIVE", columnNameOfCorruptRecord=UNREADABLE)
        .csv(str(path))
    )


def build_journeys_on_spark(
    spark: SparkSession,
    source: SparkFrame,
    *,
    mapping: Mapping[str, str | None] | None = None,
    session_gap: str | int | float | None = None,
    attributes: bool = False,
) -> SparkJourneys:
    """Stage ``source`` and rebuild its journeys on ``spark`` with the workbench's queries.

    ``mapping`` gives role → column where the names are not recognised (see
    :mod:`workbench.ingest.schema`). Times must be ISO 8601 text (``2026-05-25 09:14:28``) or a
    timestamp column; rows whose time does not parse are rejected with the reason, as on DuckDB.
    Every input row is either loaded or listed in ``rejected`` (row, column, reason, value).
    With ``attributes``, the events carry their other columns, typed as the DuckDB loader
    types them, for the analyses that read them (the journey model itself does not).
    """

    _release_unreferenced(spark)
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
    by_column = split.by_column

    def view(name: str, as_view: str, keep: bool = False, **params: Any) -> SparkFrame:
        return _view(spark, name, as_view, keep, **params)

    view("staging/classified_events", "classified_events", True, journey_required=by_column)
    view("staging/customer_keys", "customer_keys", True)
    view("staging/journey_keys", "journey_keys", True)
    view("staging/events", "events", True)
    rejected, rows = _rejected(spark, source, "classified_events", unreadable, roles)
    split_by, gap_text = split.label, split.gap
    if by_column:
        view("journeys/keyed_by_column", "keyed_events")
    else:
        view("journeys/keyed_by_gap", "keyed_events", gap_seconds=split.gap_seconds)
    view("journeys/steps", "steps", True)
    # Spark has no ENUM codes: distinct touchpoints come from the path
    view("journeys/journeys", "journeys", True, touchpoint_mask=False)
    # Spark has no bit sets: the translation counts them as distinct keys (see _bitstring_counts)
    edges = to_pandas(run(spark, "journeys/edges", dense=True))
    endpoints = to_pandas(run(spark, "journeys/endpoints", dense=True))
    starts, ends = (
        endpoints[endpoints["side"] == side].drop(columns="side").reset_index(drop=True)
        for side in ("start", "end")
    )
    # The journeys per touchpoint from each journey's distinct path instead: one distinct count
    # left beside the steps' statistics, not two (the table 25-30 % faster at 1M events)
    touchpoints = to_pandas(run(spark, "journeys/touchpoints", dense=False))
    view("journeys/variants", "variants")
    variants = to_pandas(spark.table("variants"))
    totals = spark.sql("SELECT COUNT(*), COUNT(DISTINCT customer_key) FROM journeys").first()
    n_journeys, n_customers = (int(totals[0]), int(totals[1])) if totals else (0, 0)
    return SparkJourneys(
        split_by=split_by,
        session_gap=gap_text,
        edges=edges,
        starts=starts,
        ends=ends,
        variants=variants,
        touchpoints=touchpoints,
        rows=rows,
        rejected=rejected,
        attributes=attr_types,
        n_events=int(touchpoints["events"].sum()) if len(touchpoints) else 0,
        n_journeys=n_journeys,
        n_customers=n_customers,
    )


# --- the KPIs on Spark ---------------------------------------------------------------------


def stage_surveys(
    spark: SparkSession, source: SparkFrame, mapping: Mapping[str, str | None] | None = None
) -> tuple[int, pd.DataFrame]:
    """Stage survey responses on ``spark`` as the view ``surveys`` (after
    :func:`build_journeys_on_spark`, whose customers they are tied to), with the loader's
    queries. Times must be ISO 8601 text or a timestamp column.

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
    _view(spark, "staging/classified_surveys", "classified_surveys", True)
    _view(spark, "staging/surveys", "surveys", True)
    rejected, rows = _rejected(spark, source, "classified_surveys", unreadable, roles)
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
    ``spark`` as the view ``customers`` (after :func:`build_journeys_on_spark`, whose customers
    they are tied to), with the loader's queries: a customer id seen twice keeps its first row
    and the later ones are rejected with "customer id repeated (first at row N)", N being the
    first row's place in the file, as on DuckDB. Every row is either staged or listed."""
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
        positions=True,
    )
    _view(spark, "staging/classified_customers", "classified_customers", True)
    customers = _view(spark, "staging/customers", "customers", True)
    rejected, rows = _rejected(
        spark, source, "classified_customers", unreadable, roles, positions=True
    )
    counted = customers.select(F.count(F.when(F.col("customer_key").isNull(), 1))).first()
    return SparkCustomers(rows, rejected, int(counted[0]) if counted else 0, attr_types)


@dataclass(frozen=True)
class SparkKpis:
    """The KPIs computed on Spark: the :class:`workbench.analyses.kpis.KpiTable`, the journey model
    they rest on, the survey rows read and rejected, and the customer list when one was given."""

    kpis: KpiTable
    model: SparkJourneys
    survey_rows: int
    surveys_rejected: pd.DataFrame
    goals: tuple[str, ...]
    customers: SparkCustomers | None = None


def kpis_on_spark(
    spark: SparkSession,
    events: SparkFrame,
    surveys: SparkFrame | None = None,
    *,
    by: str | None = None,
    min_n: int = 30,
    repeat_window: str | float = "7d",
    survey_window: str = "7d",
    mapping: Mapping[str, str | None] | None = None,
    survey_mapping: Mapping[str, str | None] | None = None,
    session_gap: str | int | float | None = None,
    customers: SparkFrame | None = None,
    customer_mapping: Mapping[str, str | None] | None = None,
) -> SparkKpis:
    """The CX KPIs of :func:`workbench.analyses.kpis.kpis` (NPS, CSAT, CES, first-contact
    resolution, repeat contacts ...) computed on ``spark`` with the same queries, overall or
    split ``by`` channel, month, week, an event attribute or, with a customer list, a customer
    attribute (segment, plan ...).

    The journeys are rebuilt with :func:`build_journeys_on_spark`, the surveys staged with
    :func:`stage_surveys` and the customers with :func:`stage_customers`; goals are guessed
    from the data and the contact signals (wait, transfer, resolution) recognised from the
    attributes' names and types, as on DuckDB. The figures, intervals and warnings are worked
    out from the counts exactly as there.
    """

    repeat_s = parse_duration(repeat_window, "repeat window")
    model = build_journeys_on_spark(
        spark, events, mapping=mapping, session_gap=session_gap, attributes=True
    )
    survey_rows = 0
    surveys_rejected = pd.DataFrame(columns=["row_no", "column", "reason", "value"])
    if surveys is not None:
        survey_rows, surveys_rejected = stage_surveys(spark, surveys, survey_mapping)
    staged = None if customers is None else stage_customers(spark, customers, customer_mapping)
    customer_types = staged.attributes if staged is not None else {}
    has_surveys = surveys is not None
    channels = sorted(
        str(r[0])
        for r in spark.sql(
            "SELECT DISTINCT CAST(channel AS STRING) FROM events WHERE channel IS NOT NULL"
        ).collect()
    )
    roles = classify_types(model.attributes, customer_types, channels)
    for name, sql in signal_views(has_surveys, staged is not None, roles):
        _view(spark, sql, name)
    if has_surveys:
        _view(
            spark,
            "outcomes/survey_links",
            "survey_links",
            True,
            by_journey_id=model.split.by_column,
            window_seconds=parse_duration(survey_window, "survey window"),
        )
    else:
        _view(spark, NO_SURVEY_LINKS, "survey_links")
    goals = guess_goals(model)
    _view(spark, "outcomes/journey_outcomes", "journey_outcomes", True, goals=goals or ["\u0000"])
    _view(
        spark,
        "friction/visits",
        "visits",
        True,
        repeat_seconds=repeat_s,
        long_wait_seconds=LONG_WAIT_SECONDS,
        self_service=list(roles.self_service) or ["-"],
        assisted=list(roles.assisted) or ["-"],
    )
    _view(spark, "kpis/responses", "kpi_responses", True)
    _view(spark, "kpis/contacts", "kpi_contacts", True)
    for name, sql in grouped_views(by, model.attributes, customer_types):
        _view(spark, sql, name)
    survey = to_pandas(run(spark, "kpis/survey_kpis"))
    contact = to_pandas(run(spark, "kpis/contact_kpis"))
    params = {"min_n": min_n, "repeat_window_seconds": repeat_s, "survey_window": survey_window}
    table = kpi_table(survey, contact, min_n, has_surveys, by, params)
    return SparkKpis(table, model, survey_rows, surveys_rejected, tuple(goals), staged)


__all__: Sequence[str] = (
    "Schema",
    "SparkCustomers",
    "SparkJourneys",
    "SparkKpis",
    "TranslationError",
    "WorkbenchSpark",
    "build_journeys_on_spark",
    "inputs",
    "kpis_on_spark",
    "read_events",
    "register",
    "remove_checkpoints",
    "run",
    "session",
    "spark_schema",
    "stage_customers",
    "stage_surveys",
    "to_pandas",
    "translate",
)
