"""Detect how a time column is written, show what was detected, and never shift times silently.

Supported: native timestamps and dates; ISO 8601 with or without seconds or fractions; ISO with
a zone offset or ``Z`` (converted to UTC, and said so); ``d/m/Y`` and ``m/d/Y`` with ``/ . -`` as
separators, with or without seconds, 24-hour or AM/PM; epoch seconds or milliseconds (even mixed,
told apart by magnitude). When every day in the column is 12 or less, day-first and month-first
read the data equally well: the workbench then refuses to guess and asks for ``dayfirst``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from workbench.core import db
from workbench.core.db import quote_ident, quote_literal
from workbench.core.errors import ValidationError

_TIMES = ("%H:%M:%S.%f", "%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")


def _family(
    date_parts: tuple[str, ...], seps: tuple[str, ...], joiners: tuple[str, ...]
) -> tuple[str, ...]:
    out: list[str] = []
    for sep in seps:
        date = sep.join(date_parts)
        for t in _TIMES:
            for j in joiners:
                out.append(f"{date}{j}{t}")
        out.append(date)
    return tuple(out)


FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "iso": ("ISO 8601 year-month-day", _family(("%Y", "%m", "%d"), ("-", "/"), (" ", "T"))),
    "dmy": ("day/month/year", _family(("%d", "%m", "%Y"), ("/", ".", "-"), (" ",))),
    "mdy": ("month/day/year", _family(("%m", "%d", "%Y"), ("/", ".", "-"), (" ",))),
}
_OFFSET = r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
_EPOCH = r"^[0-9]{9,13}([.][0-9]+)?$"
_PATTERN = re.compile(r"^[^\n]{0,100}%[A-Za-z][^\n]{0,100}$")  # quoted as a literal when used
SAMPLE_ROWS = 20_000


@dataclass(frozen=True)
class TimeFormat:
    """How the time column is read.

    Attributes
    ----------
    kind
        ``native``, ``native_tz``, ``date``, ``pattern``, ``iso_offset`` or ``epoch``.
    label
        What a person reads, e.g. ``"day/month/year"``.
    patterns
        The strptime patterns tried, in order (``kind == "pattern"`` only).
    example, parsed
        One raw value from the data and how it was read.
    note
        What was done beyond reading, e.g. offsets converted to UTC; empty when nothing.
    """

    kind: str
    label: str
    patterns: tuple[str, ...] = ()
    example: str | None = None
    parsed: str | None = None
    note: str = ""

    def expression(self, column: str) -> str:
        """SQL expression giving a naive ``TIMESTAMP`` from source column ``column``."""
        col = quote_ident(column)
        text = f"trim(cast({col} as varchar))"
        if self.kind == "native":
            return f"cast({col} as timestamp)"
        if self.kind == "date":
            return f"cast({col} as timestamp)"
        if self.kind == "native_tz":
            return f"timezone('UTC', {col})"
        if self.kind == "iso_offset":
            return f"timezone('UTC', try_cast({text} as timestamptz))"
        if self.kind == "epoch":
            num = f"try_cast({text} as double)"
            return (
                f"case when {num} >= 1e11 and {num} < 1e14 then "
                f"make_timestamp(cast({num} * 1000 as bigint)) "
                f"when {num} >= 1e8 and {num} < 1e11 then "
                f"make_timestamp(cast({num} * 1000000 as bigint)) end"
            )
        fmts = "[" + ", ".join(quote_literal(p) for p in self.patterns) + "]"
        return f"try_strptime({text}, {fmts})"

    def describe(self) -> str:
        """One line for people: the format, an example and any conversion."""
        text = self.label
        if self.example is not None:
            text += f" (e.g. '{self.example}' read as {self.parsed})"
        if self.note:
            text += f"; {self.note}"
        return text


def detect(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    column: str,
    column_type: str,
    *,
    time_format: str | None = None,
    dayfirst: bool | None = None,
) -> TimeFormat:
    """Work out how ``relation.column`` encodes time.

    Parameters
    ----------
    con, relation, column, column_type
        Where the raw values are and their DuckDB type.
    time_format
        Force a reading: a strptime pattern such as ``"%d.%m.%Y %H:%M"``, or one of
        ``"iso"``, ``"dmy"``, ``"mdy"``, ``"epoch"``.
    dayfirst
        Settle day/month ambiguity: ``True`` for day first, ``False`` for month first.

    Raises
    ------
    ValidationError
        "Ambiguous dates", "Mixed time zones" or "Time not understood", with what to pass.
    """
    native = _native(con, relation, column, column_type)
    if native is not None:
        return native

    sample = _sample(con, relation, column)
    if not sample:
        raise ValidationError(f"The time column '{column}' is empty in every row.", "No times")
    if time_format is not None:
        return _forced(con, relation, column, sample, time_format)
    fmt = _offset_or_epoch(column, sample)
    if fmt is not None:
        return _require_coverage(con, relation, column, sample, fmt)
    return _pattern(con, relation, column, sample, dayfirst)


def _native(
    con: duckdb.DuckDBPyConnection, relation: str, column: str, column_type: str
) -> TimeFormat | None:
    """The reading of a column DuckDB already types as a timestamp or date; None for text."""
    ctype = column_type.upper()
    if ctype.startswith("TIMESTAMP WITH TIME ZONE") or ctype == "TIMESTAMPTZ":
        return _with_example(
            con,
            relation,
            column,
            TimeFormat(
                "native_tz",
                "timestamp with time zone",
                note="converted to UTC; the source kept its zone, so nothing is lost",
            ),
        )
    if ctype.startswith("TIMESTAMP"):
        return _with_example(con, relation, column, TimeFormat("native", "timestamp"))
    if ctype == "DATE":
        return _with_example(
            con,
            relation,
            column,
            TimeFormat(
                "date", "date without time", note="no time of day: dwell times are whole days"
            ),
        )
    return None


def _offset_or_epoch(column: str, sample: list[str]) -> TimeFormat | None:
    """ISO with a zone offset in every value, or epoch numbers in every value; None when the
    sample is neither. Offsets in some values but not others are refused: read together,
    some times would shift."""
    with_offset = sum(1 for v in sample if re.search(_OFFSET, v) and not re.match(_EPOCH, v))
    if with_offset == len(sample):
        return TimeFormat(
            "iso_offset", "ISO 8601 with time-zone offset", note="offsets converted to UTC"
        )
    if with_offset:
        no_offset = len(sample) - with_offset
        ex_with = next(v for v in sample if re.search(_OFFSET, v))
        ex_without = next(v for v in sample if not re.search(_OFFSET, v))
        raise ValidationError(
            f"In '{column}', {with_offset:,} of {len(sample):,} sampled values carry a time-zone "
            f"offset (e.g. '{ex_with}') and {no_offset:,} do not (e.g. '{ex_without}'). Reading "
            "them together would shift some times. Export all times in one zone (or all with "
            "offsets) and load again.",
            "Mixed time zones",
        )
    if all(re.match(_EPOCH, v) for v in sample):
        n_ms = sum(1 for v in sample if float(v) >= 1e11)
        if n_ms == len(sample):
            return TimeFormat("epoch", "Unix epoch in milliseconds")
        if n_ms == 0:
            return TimeFormat("epoch", "Unix epoch in seconds")
        return TimeFormat(
            "epoch",
            "Unix epoch, mixed seconds and milliseconds",
            note=f"{n_ms:,} of {len(sample):,} sampled values are milliseconds, told apart by size",
        )
    return None


def _pattern(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    column: str,
    sample: list[str],
    dayfirst: bool | None,
) -> TimeFormat:
    """The family of strptime patterns (ISO, day/month/year, month/day/year) that reads the
    most sampled values, with day/month order settled by :func:`_day_or_month_first`."""
    counts = {k: _count(con, pats, sample) for k, (_, pats) in FAMILIES.items()}
    best = max(counts, key=lambda k: counts[k])
    if counts[best] == 0:
        raise ValidationError(
            f"The values of '{column}' (e.g. '{sample[0]}') match no known time format. Pass "
            "time_format='%d.%m.%Y %H:%M' (a strptime pattern) or --time-format.",
            "Time not understood",
        )
    best = _day_or_month_first(con, relation, column, sample, counts, best, dayfirst)
    label, patterns = FAMILIES[best]
    return _require_coverage(con, relation, column, sample, TimeFormat("pattern", label, patterns))


def _day_or_month_first(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    column: str,
    sample: list[str],
    counts: dict[str, int],
    best: str,
    dayfirst: bool | None,
) -> str:
    """The family to read with once day/month order is settled: by ``dayfirst`` when given,
    else by the whole column when the sample cannot tell; refused when neither can."""
    if best in ("dmy", "mdy") and counts["dmy"] == counts["mdy"]:
        if dayfirst is None and not _full_column_decides(con, relation, column):
            ex = next((v for v in sample if _two_small(v)), sample[0])
            raise ValidationError(
                f"The dates in '{column}' could be day-first or month-first: every day and month "
                f"is 12 or less (e.g. '{ex}'). Say which: dayfirst=True (or --day-first) for "
                "day/month/year, dayfirst=False (or --month-first) for month/day/year.",
                "Ambiguous dates",
            )
        if dayfirst is None:
            return (
                "dmy"
                if _count_full(con, relation, column, FAMILIES["dmy"][1])
                >= _count_full(con, relation, column, FAMILIES["mdy"][1])
                else "mdy"
            )
        return "dmy" if dayfirst else "mdy"
    if dayfirst is not None and best in ("dmy", "mdy") and (best == "dmy") != dayfirst:
        other = "mdy" if best == "dmy" else "dmy"
        if counts[other] < counts[best]:
            raise ValidationError(
                f"You asked for {'day' if dayfirst else 'month'}-first dates, but the values of "
                f"'{column}' read as {FAMILIES[best][0]} (e.g. '{sample[0]}').",
                "Dates do not match",
            )
    return best


def _forced(
    con: duckdb.DuckDBPyConnection, relation: str, column: str, sample: list[str], time_format: str
) -> TimeFormat:
    key = time_format.strip().lower()
    if key in FAMILIES:
        label, pats = FAMILIES[key]
        fmt = TimeFormat("pattern", label, pats)
    elif key == "epoch":
        fmt = TimeFormat("epoch", "Unix epoch")
    elif key == "iso_offset":
        fmt = TimeFormat(
            "iso_offset", "ISO 8601 with time-zone offset", note="offsets converted to UTC"
        )
    else:
        if not _PATTERN.match(time_format):
            raise ValidationError(
                f"'{time_format}' is not a strptime pattern such as '%d.%m.%Y %H:%M'.",
                "Bad time format",
            )
        fmt = TimeFormat("pattern", f"pattern {time_format}", (time_format,))
    return _require_coverage(con, relation, column, sample, fmt, forced=True)


def _require_coverage(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    column: str,
    sample: list[str],
    fmt: TimeFormat,
    forced: bool = False,
) -> TimeFormat:
    ok = _parsed_count(con, fmt, sample)
    if ok == 0 or (not forced and ok < 0.5 * len(sample)):
        raise ValidationError(
            f"Only {ok:,} of {len(sample):,} sampled values of '{column}' read as {fmt.label} "
            f"(e.g. '{sample[0]}'). Pass time_format= (or --time-format) with the right pattern.",
            "Time not understood",
        )
    return _with_example(con, relation, column, fmt)


def _with_example(
    con: duckdb.DuckDBPyConnection, relation: str, column: str, fmt: TimeFormat
) -> TimeFormat:
    _reading(con, fmt)
    row = db.execute(con, "duckdb/ingest/time_example", relation=relation, column=column).fetchone()
    if row is None:
        return fmt
    return TimeFormat(fmt.kind, fmt.label, fmt.patterns, str(row[0]), str(row[1]), fmt.note)


def _reading(con: duckdb.DuckDBPyConnection, fmt: TimeFormat) -> None:
    """Make the temp macro ``workbench_time(x)`` read ``x`` as ``fmt`` does."""
    db.execute(con, "duckdb/ingest/time_macro", expression=fmt.expression("x"))


def _sample(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> list[str]:
    found = db.execute(
        con, "duckdb/ingest/time_sample", relation=relation, column=column, rows=SAMPLE_ROWS
    )
    return [str(r[0]) for r in found.fetchall()]


def _parsed_count(con: duckdb.DuckDBPyConnection, fmt: TimeFormat, sample: list[str]) -> int:
    _reading(con, fmt)
    row = db.execute(con, "duckdb/ingest/parsed_times", values=sample).fetchone()
    return int(row[0]) if row else 0


def _count(con: duckdb.DuckDBPyConnection, patterns: tuple[str, ...], sample: list[str]) -> int:
    return _parsed_count(con, TimeFormat("pattern", "", patterns), sample)


def _count_full(
    con: duckdb.DuckDBPyConnection, relation: str, column: str, patterns: tuple[str, ...]
) -> int:
    _reading(con, TimeFormat("pattern", "", patterns))
    found = db.execute(con, "duckdb/ingest/parsed_column_times", relation=relation, column=column)
    row = found.fetchone()
    return int(row[0]) if row else 0


def _full_column_decides(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> bool:
    """Beyond the sample, does any value have a first or second number above 12?"""
    return _count_full(con, relation, column, FAMILIES["dmy"][1]) != _count_full(
        con, relation, column, FAMILIES["mdy"][1]
    )


def _two_small(v: str) -> bool:
    nums = re.findall(r"[0-9]+", v)
    return len(nums) >= 2 and int(nums[0]) <= 12 and int(nums[1]) <= 12 and nums[0] != nums[1]
