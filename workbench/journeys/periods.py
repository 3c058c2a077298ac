"""The journeys of a period: a date range on any view, and the periods to compare.

A journey belongs to the period it *starts* in, whole: its later steps come with it even when
they fall after the period, and a journey that started before the period is not in it. Periods
are days, the first and last both included (:mod:`workbench.core.periods`).
:func:`journeys_between` gives the journeys of a period as a model of their own, which every
page and analysis takes as it takes the whole log's; for the whole log it is the model itself.
Two periods are compared in :mod:`workbench.journeys.changes`.

This module stays free of the statistics libraries: the command line's ``journeys --period``
starts without them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.core.periods import Period, describe_period, parse_period
from workbench.journeys.build import build_between
from workbench.journeys.model import JourneyModel

#: The default periods are the last this many days and as many before, when the log is at
#: least twice as long; otherwise its first and second halves.
DEFAULT_DAYS = 28


def journey_dates(model: JourneyModel) -> tuple[date, date]:
    """The days the first and the last journey of ``model`` start on.

    >>> import workbench as wb
    >>> journey_dates(wb.build_journeys(wb.load_events("sample_data/events.csv")))[0]
    datetime.date(2026, 3, 2)
    """
    with model.using() as cur:
        row = db.run(cur, "duckdb/journeys/journey_dates").iloc[0]
    return pd.Timestamp(row["first_date"]).date(), pd.Timestamp(row["last_date"]).date()


def journeys_between(model: JourneyModel, period: Period) -> JourneyModel:
    """The journeys of ``model`` that start in ``period``, as a model of their own.

    Parameters
    ----------
    model
        The whole log's journeys.
    period
        First and last day, both included (dates or ISO dates).

    Returns
    -------
    JourneyModel
        ``model`` itself when the period spans every journey's start (nothing is rebuilt);
        otherwise the period's journeys, split as ``model`` is, each with all its steps,
        rebuilt from the log's events on a cursor of their own (see
        :func:`workbench.journeys.build.build_between`).

    Raises
    ------
    ValidationError
        The period is not two dates in order, or no journey starts in it.

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> may = journeys_between(model, ("2026-05-01", "2026-05-31"))
    >>> 0 < may.n_journeys < model.n_journeys
    True
    >>> journeys_between(model, journey_dates(model)) is model
    True
    """
    first, last = parse_period(period)
    start, end = journey_dates(model)
    if first <= start and last >= end:
        return model
    if last < start or first > end:
        raise ValidationError(
            f"No journey starts from {describe_period(first, last)}: the log's journeys start "
            f"from {describe_period(start, end)}. Pick days within those.",
            "No journeys in the period",
        )
    return build_between(model, first, last)


def default_periods(model: JourneyModel) -> tuple[tuple[date, date], tuple[date, date]]:
    """Periods A and B to compare: the last four weeks against the four weeks before when the
    log is at least eight weeks long, otherwise its first half against its second.

    Raises
    ------
    ValidationError
        Every journey starts on the same day: there are no two periods.

    Examples
    --------
    >>> import workbench as wb
    >>> a, b = default_periods(wb.build_journeys(wb.load_events("sample_data/events.csv")))
    >>> a[1] < b[0]
    True
    """
    first, last = journey_dates(model)
    days = (last - first).days + 1
    if days < 2:
        raise ValidationError(
            f"Every journey starts on {first}: there are no two periods to compare.",
            "One day only",
        )
    length = DEFAULT_DAYS if days >= 2 * DEFAULT_DAYS else days // 2
    b_first = last - timedelta(days=length - 1)
    a_last = b_first - timedelta(days=1)
    return (a_last - timedelta(days=length - 1), a_last), (b_first, last)
