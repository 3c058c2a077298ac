"""The Spark SQL dialect the workbench writes: DuckDB's answers kept, or a refusal.

:class:`WorkbenchSpark` is sqlglot's Spark dialect with its generator's ``TRANSFORMS``
overridden where a plain DuckDB → Spark translation runs but answers differently (ordered
lists, fractional seconds, exact percentiles, list positions, days of the week, ISO weeks,
``date_diff`` boundaries, ``count_if`` over nothing); :class:`DuckDBAsWritten` reads the
queries without sqlglot's list-position shifting. The rewrites of whole query trees (stars,
``UNPIVOT``, ``ASOF`` joins, ENUM codes, bit sets) and the table of every fix are in
:mod:`workbench.engines.spark.translation`.
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import WorkbenchError

try:
    from sqlglot import exp
    from sqlglot.dialects.duckdb import DuckDB
    from sqlglot.dialects.spark import Spark
except ImportError as _exc:  # pragma: no cover - the extra is missing
    raise ImportError(
        "Running on Spark needs the spark extra: pip install 'journey-workbench[spark]'"
    ) from _exc

_DATE_PARTS = {"second": 1, "minute": 60, "hour": 3600}


class DuckDBAsWritten(DuckDB):
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
