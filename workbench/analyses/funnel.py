"""Funnels: how many journeys reach each of a few touchpoints in order, and where they stop.

A journey *reaches* step ``k`` of a funnel when it visits steps ``1..k`` in that order: each at
a later step of the journey than the one before, with anything else in between (a product page
viewed twice, a detour through search). A journey that skips a step reaches none of the steps
after it. Counting follows product-analytics funnels (PostHog, Amplitude):

- **conversion**: the share of the journeys that reached step 1 which reached step ``k``, with
  a 95 % Wilson interval;
- **step conversion**: the share of those that reached step ``k - 1`` which reached step ``k``,
  with its interval;
- **dropped**: the journeys that reached step ``k - 1`` but not step ``k`` (0 at step 1);
- **time from the previous step**: median and p90 seconds from step ``k - 1`` to step ``k``.

``within`` (e.g. ``"1d"``) asks every step to come at most that long after the journey's first
step; each visit of the first step may then start the funnel, and the one that gets furthest
counts. ``start`` and ``end`` keep the journeys that start on those dates (both included).
``by`` splits by an event or customer attribute (a journey's value, as on the journey map);
``period`` by the ``"week"`` (ISO) or ``"month"`` the journey started in.

**Default steps** (``steps=None``): the most common path to a goal. Among the model's variants
(distinct paths, most frequent first) the first one that ends at a goal
(:func:`workbench.analyses.outcomes.guess_goals`) and visits at least two touchpoints, reduced
to its distinct touchpoints in the order first visited (at most ten); when no variant ends at a
goal, the most frequent variant that visits at least two touchpoints, reduced the same way.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from workbench.analyses.outcomes import guess_goals
from workbench.core import db
from workbench.core.durations import format_duration, parse_duration
from workbench.core.errors import ValidationError
from workbench.core.records import json_rows
from workbench.core.stats import CONFIDENCE, percent
from workbench.journeys import periods
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import segment_values

#: The most steps a funnel has (the query follows one step at a time).
MAX_STEPS = 10
PERIODS = ("week", "month")
#: A group needs this many journeys at step 1 to be named as the best or worst in a sentence.
MIN_GROUP_JOURNEYS = 30

COLUMNS = [
    "group",
    "step",
    "touchpoint",
    "journeys",
    "conversion",
    "conversion_low",
    "conversion_high",
    "step_conversion",
    "step_conversion_low",
    "step_conversion_high",
    "dropped",
    "median_seconds",
    "p90_seconds",
]


@dataclass(frozen=True)
class Funnel:
    """A funnel: its steps, the parameters it was counted with, and its table.

    ``table`` has one row per group and step: ``group`` (``"all"`` when not split), ``step``
    (1, 2 ...), ``touchpoint``, ``journeys`` (reaching it in order), ``conversion`` from step 1
    with ``conversion_low``/``conversion_high`` (95 % Wilson interval), ``step_conversion``
    from the previous step with its interval, ``dropped`` (journeys lost since the previous
    step) and ``median_seconds``/``p90_seconds`` from the previous step. Shares are fractions
    (0.38 is 38 %).
    """

    steps: tuple[str, ...]
    table: pd.DataFrame
    sentence: str
    by: str | None = None
    period: str | None = None
    within_seconds: float | None = None
    start: date | None = None
    end: date | None = None
    steps_guessed: bool = False
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def split(self) -> str | None:
        """What the groups are: the attribute, the period, or None."""
        return self.by or self.period

    @property
    def groups(self) -> list[str]:
        """The groups in table order (chronological for periods, largest first otherwise)."""
        return list(dict.fromkeys(self.table["group"]))

    def to_json(self) -> dict[str, Any]:
        """Steps, parameters, table rows and the sentence, JSON-safe."""
        return {
            "steps": list(self.steps),
            "params": self.params,
            "table": json_rows(self.table),
            "sentence": self.sentence,
        }


def funnel(
    model: JourneyModel,
    steps: Sequence[str] | None = None,
    *,
    by: str | None = None,
    period: str | None = None,
    within: str | float | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> Funnel:
    """Count how many journeys reach each step of ``steps`` in order.

    Parameters
    ----------
    model
        The journeys.
    steps
        Touchpoints in order (2 to 10; one may come back, e.g. product, cart, product).
        None: the most common path to a goal (see the module's docstring).
    by
        An event or customer attribute to split by (``"device"``, ``"segment"``).
    period
        ``"week"`` or ``"month"``: split by when journeys started. Not together with ``by``.
    within
        Every step at most this long after the first (``"30min"``, ``"1d"``, seconds).
    start, end
        Keep journeys that start on or after ``start`` and on or before ``end`` (dates, or
        ISO text such as ``"2026-03-01"``).

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> f = funnel(model, ["Log in", "View invoice", "Pay invoice"])
    >>> f.table[["step", "touchpoint"]].values.tolist()
    [[1, 'Log in'], [2, 'View invoice'], [3, 'Pay invoice']]
    >>> bool(f.table["journeys"].is_monotonic_decreasing)
    True
    >>> f.sentence.startswith("Of ")
    True
    """
    guessed = steps is None
    chosen = tuple(default_steps(model) if steps is None else steps)
    _check_steps(model, chosen)
    if period is not None and period not in PERIODS:
        raise ValidationError(f"period must be week or month, not '{period}'.", "Unknown period")
    if by is not None and period is not None:
        raise ValidationError(
            "Split a funnel by an attribute or by a period, not both.", "Two splits"
        )
    within_s = None if within is None else parse_duration(within, "time limit")
    first, last = _date(start, "start"), _date(end, "end")
    if first is not None and last is not None and first > last:
        raise ValidationError(
            f"The start ({first}) comes after the end ({last}).", "Bad date range"
        )
    key: Hashable = (chosen, by, period, within_s, first, last)
    with model.using() as cur:

        def count() -> pd.DataFrame:
            segment_values(model, cur, by)
            return db.run(
                cur,
                "duckdb/funnel/funnel_steps",
                steps=list(chosen),
                period=period,
                start_date=first,
                end_date=last,
                within_seconds=within_s,
            )

        counts = model.cache.get_or_run("funnel", key, count, slots=16)
    table = funnel_table(counts, chosen, chronological=period is not None)
    params = {
        "by": by,
        "period": period,
        "within_seconds": within_s,
        "start": first.isoformat() if first else None,
        "end": last.isoformat() if last else None,
        "steps_guessed": guessed,
    }
    sentence = funnel_sentence(table, chosen, by or period, within_s)
    return Funnel(chosen, table, sentence, by, period, within_s, first, last, guessed, params)


def default_steps(model: JourneyModel, goals: Sequence[str] | None = None) -> list[str]:
    """The most common path to a goal, as funnel steps (the rule is in the module's
    docstring); ``goals`` default to :func:`workbench.analyses.outcomes.guess_goals`.

    Examples
    --------
    >>> import workbench as wb
    >>> default_steps(wb.build_journeys(wb.load_events("sample_data/events.csv")))
    ['Log in', 'View invoice', 'Pay invoice']
    """
    ends = set(guess_goals(model) if goals is None else goals)
    fallback: list[str] | None = None
    for path in model.variants["path"]:
        distinct = list(dict.fromkeys(str(t) for t in path))
        if len(distinct) < 2:
            continue
        if str(path[-1]) in ends:
            return distinct[:MAX_STEPS]
        if fallback is None:
            fallback = distinct[:MAX_STEPS]
    if fallback is None:
        raise ValidationError(
            "No journey visits two different touchpoints, so there is no funnel to draw.",
            "No funnel",
        )
    return fallback


def journey_dates(model: JourneyModel) -> tuple[date, date]:
    """The dates the first and the last journey start on: the widest ``start``/``end``."""
    return periods.journey_dates(model)


def funnel_table(
    counts: pd.DataFrame, steps: Sequence[str], *, chronological: bool = False
) -> pd.DataFrame:
    """The funnel's table (see :class:`Funnel`) from the counts of ``funnel_steps``: every
    group gets every step (0 journeys where none reached it), shares and intervals.

    Examples
    --------
    >>> counts = pd.DataFrame({"grp": ["all"] * 2, "step": [1, 2], "journeys": [10, 4],
    ...                        "median_seconds": [None, 60.0], "p90_seconds": [None, 90.0]})
    >>> t = funnel_table(counts, ["A", "B", "C"])
    >>> t[["step", "journeys", "dropped"]].values.tolist()
    [[1, 10, 0], [2, 4, 6], [3, 0, 4]]
    >>> [round(x, 2) for x in t["conversion"]]
    [1.0, 0.4, 0.0]
    """
    sizes = counts[counts["step"] == 1].set_index("grp")["journeys"]
    groups = (
        sorted(sizes.index) if chronological else sorted(sizes.index, key=lambda g: (-sizes[g], g))
    )
    if not groups:
        groups = ["all"]
    grid = pd.MultiIndex.from_product([groups, range(1, len(steps) + 1)], names=["grp", "step"])
    t = counts.set_index(["grp", "step"]).reindex(grid).reset_index()
    t["journeys"] = t["journeys"].fillna(0).astype("int64")
    t["touchpoint"] = [steps[k - 1] for k in t["step"]]
    first = t.groupby("grp", sort=False)["journeys"].transform("first")
    previous = t.groupby("grp", sort=False)["journeys"].shift(1).fillna(t["journeys"])
    previous = previous.astype("int64")
    t["conversion"], t["conversion_low"], t["conversion_high"] = _shares(t["journeys"], first)
    t["step_conversion"], t["step_conversion_low"], t["step_conversion_high"] = _shares(
        t["journeys"], previous
    )
    # every journey counted reached step 1: its shares are 1 by definition, not estimates
    first_step = (t["step"] == 1) & (t["journeys"] > 0)
    for col in ("conversion_low", "conversion_high", "step_conversion_low", "step_conversion_high"):
        t.loc[first_step, col] = 1.0
    t["dropped"] = previous - t["journeys"]
    t = t.rename(columns={"grp": "group"})
    for col in ("median_seconds", "p90_seconds"):
        t[col] = t[col].astype("float64")
    return t[COLUMNS]


def _shares(k: pd.Series, n: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``k / n`` with its Wilson interval, NaN where ``n`` is 0."""
    ks, ns = k.to_numpy(dtype=float), n.to_numpy(dtype=float)
    has = ns > 0
    safe = np.where(has, ns, 1.0)
    low, high = proportion_confint(ks, safe, alpha=1 - CONFIDENCE, method="wilson")
    nan = np.full(len(ks), np.nan)
    return (
        np.where(has, ks / safe, nan),
        np.where(has, low, nan),
        np.where(has, high, nan),
    )


def funnel_sentence(
    table: pd.DataFrame, steps: Sequence[str], split: str | None, within_s: float | None
) -> str:
    """The funnel in one sentence: how many reached the first step, what share reached the
    last, and where most are lost (of all groups together); for a split, the groups where
    the last step is reached least and most.

    Examples
    --------
    >>> counts = pd.DataFrame({"grp": ["all"] * 3, "step": [1, 2, 3], "journeys": [200, 150, 30],
    ...                        "median_seconds": [None, 1.0, 1.0], "p90_seconds": [None, 1, 1]})
    >>> steps = ["Cart", "Payment", "Purchase"]
    >>> print(funnel_sentence(funnel_table(counts, steps), steps, None, None))
    ... # doctest: +NORMALIZE_WHITESPACE
    Of 200 journeys that reached Cart, 15 % reached Purchase; the largest loss is between
    Payment and Purchase: 80 % of those who reached Payment went no further.
    """
    total = table.groupby("step")["journeys"].sum()
    n1, n_last = int(total.iloc[0]), int(total.iloc[-1])
    if n1 == 0:
        return f"No journey reached {steps[0]}."
    within = f" within {format_duration(within_s)}" if within_s else ""
    text = (
        f"Of {n1:,} journeys that reached {steps[0]}, {percent(n_last / n1)} reached "
        f"{steps[-1]}{within}"
    )
    lost = [
        (1 - total.iloc[i] / total.iloc[i - 1], i)
        for i in range(1, len(total))
        if total.iloc[i - 1] > 0
    ]
    if lost:
        share, i = max(lost, key=lambda x: (x[0], -x[1]))
        text += (
            f"; the largest loss is between {steps[i - 1]} and {steps[i]}: {percent(share)} of "
            f"those who reached {steps[i - 1]} went no further"
        )
    return text + "." + _group_clause(table, steps, split)


def _group_clause(table: pd.DataFrame, steps: Sequence[str], split: str | None) -> str:
    if split is None:
        return ""
    last = table[table["step"] == len(steps)].set_index("group")
    first = table[table["step"] == 1].set_index("group")["journeys"]
    big = [g for g in last.index if first[g] >= MIN_GROUP_JOURNEYS]
    if len(big) < 2:
        return ""
    rates = last.loc[big, "conversion"]
    low, high = str(rates.idxmin()), str(rates.idxmax())
    if math.isclose(float(rates[low]), float(rates[high])):
        return ""
    return (
        f" By {split}, {steps[-1]} was reached least in {low} ({percent(rates[low])} of "
        f"{int(first[low]):,}) and most in {high} ({percent(rates[high])} of "
        f"{int(first[high]):,})."
    )


def _check_steps(model: JourneyModel, steps: tuple[str, ...]) -> None:
    if not 2 <= len(steps) <= MAX_STEPS:
        raise ValidationError(
            f"A funnel has 2 to {MAX_STEPS} steps; {len(steps)} were given.", "Bad funnel steps"
        )
    known = set(model.touchpoints["touchpoint"].astype(str))
    unknown = [s for s in steps if s not in known]
    if unknown:
        raise ValidationError(
            f"No journey visits {', '.join(repr(s) for s in unknown)}. Pick touchpoints of the "
            "log (the journey map lists them).",
            "Unknown touchpoint",
        )


def _date(value: date | str | None, which: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValidationError(
            f"The {which} date '{value}' is not a date; write it as 2026-03-01.", "Bad date"
        ) from None
