"""Periods of days: read them, turn them into the moments a query compares with, name them.

A period is its first and last day, both included, as every analysis that takes one reads it
(causes, funnels, the journeys of a period, two periods compared): ``("2025-10-13",
"2025-11-02")`` is three whole weeks. Queries compare times with the moments it spans, from the
first day's midnight up to (not including) the midnight after the last day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from workbench.core.errors import ValidationError

#: A period: its first and last day (both included), as dates or ISO dates.
Period = tuple[date | str, date | str]

_HOW = (
    "Write the period as its first and last day, FROM..TO, e.g. 2026-05-04..2026-06-28 "
    "(both days included)."
)


def parse_period(period: Period) -> tuple[date, date]:
    """The first and last day of ``period`` (two dates or ISO dates, both days included).

    Raises
    ------
    ValidationError
        Not two dates, one end missing or not a date, or the period ends before it starts.

    Examples
    --------
    >>> parse_period(("2025-10-13", date(2025, 11, 2)))
    (datetime.date(2025, 10, 13), datetime.date(2025, 11, 2))
    """
    if isinstance(period, str) or len(period) != 2:
        raise ValidationError(f"A period is two dates. {_HOW}", "Period not understood")
    days = []
    for which, end in zip(("first", "last"), period, strict=True):
        if isinstance(end, date):
            days.append(end.date() if isinstance(end, datetime) else end)
            continue
        if not str(end).strip():
            raise ValidationError(f"The period has no {which} day. {_HOW}", "Period not understood")
        try:
            days.append(date.fromisoformat(str(end).strip()))
        except ValueError:
            raise ValidationError(
                f"'{end}' is not a date (the period's {which} day). {_HOW}",
                "Period not understood",
            ) from None
    first, last = days
    if first > last:
        raise ValidationError(
            f"The period ends ({last}) before it starts ({first}). {_HOW}",
            "Period not understood",
        )
    return first, last


def parse_span(text: str) -> tuple[date, date]:
    """A period written ``FROM..TO`` on the command line (see :func:`parse_period`).

    >>> parse_span("2025-10-13..2025-11-02")
    (datetime.date(2025, 10, 13), datetime.date(2025, 11, 2))
    """
    first, _, last = text.partition("..")
    return parse_period((first, last))


def moments(first: date, last: date) -> tuple[datetime, datetime]:
    """From ``first``'s midnight up to (not including) the midnight after ``last``.

    >>> moments(date(2025, 10, 13), date(2025, 11, 2))[1]
    datetime.datetime(2025, 11, 3, 0, 0)
    """
    return datetime.combine(first, time()), datetime.combine(last + timedelta(days=1), time())


def describe_period(first: date, last: date) -> str:
    """The period in words: ``"3 Mar to 14 Apr 2025"``, ``"3 Mar 2024 to 14 Apr 2025"``,
    ``"3 Mar 2025"`` for one day.

    >>> describe_period(date(2025, 3, 3), date(2025, 4, 14))
    '3 Mar to 14 Apr 2025'
    >>> describe_period(date(2024, 12, 30), date(2025, 1, 5))
    '30 Dec 2024 to 5 Jan 2025'
    """
    if first == last:
        return _day(last, year=True)
    return f"{_day(first, year=first.year != last.year)} to {_day(last, year=True)}"


def _day(day: date, *, year: bool) -> str:
    text = f"{day.day} {day.strftime('%b')}"
    return f"{text} {day.year}" if year else text
