"""Signals measured over the journeys that reach a point, not over its moves: of the journeys
that reach X, the share that reach no goal after it (*not converted*), and of those that visit
X, the share that come back to it later in the journey (*retry*).

A collapse of conversion after the payment page is an incident there even when the journeys go
on elsewhere, and a login that fails shows as more journeys trying again, whatever they do
between two tries. Both are series like the moves' (see
:func:`workbench.analyses.friction.changes.series_table`), with a pseudo-target that names the
signal, so they meet the same incident scan and segment test. This module also lists what was
too thin to test (:func:`below_floor`) and says when the log is read day by day
(:func:`period_note`).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from workbench.analyses.friction.changes import MIN_WEEKS
from workbench.core import db
from workbench.core.records import rows

#: The pseudo-targets of the journey signals: no goal after the point; back to it later.
NO_GOAL, AGAIN = "(no goal)", "(again)"
#: Each journey signal: its pseudo-target, its denominator column, its affected column.
JOURNEY_SIGNALS = {
    "not_converted": (NO_GOAL, "converting", "not_converted"),
    "retry": (AGAIN, "journeys", "retried"),
}
_COUNTED = ("journeys", "converting", "not_converted", "retried")
#: The columns of :func:`below_floor`.
BELOW_FLOOR_COLUMNS = ("attribute", "value", "journeys", "floor")


def journey_series(counts: pd.DataFrame) -> pd.DataFrame:
    """The journey signals' series from ``friction/reach_counts``-like counts (``source``,
    ``period``, the counts, and any grouping columns): one row per series and period with
    ``target`` (the signal's pseudo-target), ``signal``, ``units`` and ``affected``, in the
    form :func:`workbench.analyses.friction.changes.incidents` reads.

    Examples
    --------
    >>> counts = pd.DataFrame({"source": ["pay"], "period": [1], "journeys": [10],
    ...                        "converting": [10], "not_converted": [4], "retried": [1]})
    >>> journey_series(counts)[["target", "signal", "units", "affected"]].values.tolist()
    [['(no goal)', 'not_converted', 10, 4], ['(again)', 'retry', 10, 1]]
    """
    keys = [c for c in counts.columns if c not in _COUNTED]
    parts = []
    for signal, (target, units, affected) in JOURNEY_SIGNALS.items():
        part = counts[counts[units] > 0]
        parts.append(
            part[keys].assign(
                target=target, signal=signal, units=part[units], affected=part[affected]
            )
        )
    return pd.concat(parts, ignore_index=True)


#: A not-converted finding is an echo of a finding further on when at least this share of the
#: journeys that reach its point go on to that one, and that one holds at least this share of
#: its excess.
ECHO_SHARE = 0.5


def journey_echoes(cur: duckdb.DuckDBPyConnection, table: pd.DataFrame) -> pd.Series:
    """Which rows of a table of findings (on ``cur``'s ``reaches``) are journey findings told
    by a finding at another point: one story, told once, where it is sharpest.

    - **Conversion**: when payment fails, fewer journeys convert after checkout, after the cart
      and after every point before them. A not-converted finding at X is left out when a
      finding of the same kind, segment and (for an incident) period at a point Y departs more
      sharply (a higher lift), holds at least :data:`ECHO_SHARE` of X's excess, and at least
      that share of the journeys that reach X reach Y after it.
    - **Retry**: journeys that go round a loop come back to every point on it, and journeys
      sent to X more often come back to X more often. A retry finding at X is left out when a
      larger retry finding, or a larger move finding into X, of the same kind, segment and
      period is at another point."""
    echo = pd.Series(False, index=table.index)
    found = list(zip(table.index, rows(table), strict=True))
    for i, a in found:
        if a["signal"] == "retry":
            echo[i] = any(
                (b["signal"] == "retry" or (b["signal"] == "move" and b["target"] == a["source"]))
                and float(b["score"]) > float(a["score"])
                and _tells(a, b)
                for _, b in found
            )
    pairs = [
        (i, j)
        for i, a in found
        if a["signal"] == "not_converted"
        for j, b in found
        if _tells(a, b)
        and float(b["lift"]) > float(a["lift"])
        and float(b["score"]) >= ECHO_SHARE * float(a["score"])
    ]
    if not pairs:
        return echo
    sources = [str(table.at[i, "source"]) for i, _ in pairs]
    targets = [str(table.at[j, "source"]) for _, j in pairs]
    after = db.run(cur, "duckdb/friction/reach_after", sources=sources, targets=targets)
    share = {(s, t): float(v) for s, t, v in after[["source", "target", "share"]].values}
    for (i, _), s, t in zip(pairs, sources, targets, strict=True):
        if share.get((s, t), 0.0) >= ECHO_SHARE:
            echo[i] = True
    return echo


def _tells(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether finding ``b``, at another point, is of the kind, segment and period of ``a``."""
    if b["source"] == a["source"] or b["finding"] != a["finding"]:
        return False
    if not _same(a.get("segment"), b.get("segment")):
        return False
    if a["finding"] != "incident":
        return True
    return bool(a["active_from"] <= b["active_to"] and b["active_from"] <= a["active_to"])


def _same(a: Any, b: Any) -> bool:
    return bool(a == b) or (pd.isna(a) and pd.isna(b))


def below_floor(counts: pd.DataFrame, segments: pd.DataFrame, units: int) -> pd.DataFrame:
    """What was too thin to test, so a reader knows it was not: each touchpoint reached by
    fewer than ``units`` journeys in the whole log (no history test), and each segment value
    whose journeys are fewer than ``units`` at every touchpoint (no segment test).

    ``counts`` and ``segments`` are ``friction/reach_counts`` and ``friction/reach_segments``
    (``attribute``, ``value`` first). Returns ``attribute`` (``touchpoint`` for a point),
    ``value``, ``journeys`` (at the value's most reached touchpoint) and ``floor``, thinnest
    first.
    """
    out = []
    if not counts.empty:
        per_point = counts.groupby("source", as_index=False)["journeys"].sum()
        thin = per_point[per_point["journeys"] < units]
        out.append(
            pd.DataFrame(
                {
                    "attribute": "touchpoint",
                    "value": thin["source"],
                    "journeys": thin["journeys"],
                    "floor": f"{units} journeys for a history",
                }
            )
        )
    if not segments.empty:
        per = segments.groupby(["attribute", "value", "source"], as_index=False)["journeys"].sum()
        most = per.groupby(["attribute", "value"], as_index=False)["journeys"].max()
        thin = most[most["journeys"] < units]
        out.append(thin.assign(floor=f"{units} journeys at one touchpoint for a segment test"))
    if not out:
        return pd.DataFrame(columns=list(BELOW_FLOOR_COLUMNS))
    table = pd.concat(out, ignore_index=True).reindex(columns=list(BELOW_FLOOR_COLUMNS))
    table = table.astype({"journeys": "int64"})
    return table.sort_values(["journeys", "attribute", "value"], kind="stable").reset_index(
        drop=True
    )


def floor_sentence(table: pd.DataFrame, shown: int = 8) -> str:
    """The below-the-floor table in one plain sentence ('' when nothing was).

    Examples
    --------
    >>> t = pd.DataFrame({"attribute": ["device", "touchpoint"], "value": ["tv", "Fax"],
    ...                   "journeys": [4, 12], "floor": ["", ""]})
    >>> floor_sentence(t)
    '1 segment value had too few journeys to test: device = tv (4). 1 touchpoint had too few journeys for a history: Fax (12).'
    """  # noqa: E501
    said = []
    segs = table[table["attribute"] != "touchpoint"]
    points = table[table["attribute"] == "touchpoint"]
    if len(segs):
        names = [f"{r['attribute']} = {r['value']} ({r['journeys']:,})" for r in rows(segs)]
        said.append(
            f"{_count(len(segs), 'segment value')} too few journeys to test: "
            f"{_listed(names, shown)}."
        )
    if len(points):
        names = [f"{r['value']} ({r['journeys']:,})" for r in rows(points)]
        said.append(
            f"{_count(len(points), 'touchpoint')} too few journeys for a history: "
            f"{_listed(names, shown)}."
        )
    return " ".join(said)


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'' if n == 1 else 's'} had"


def _listed(names: list[str], shown: int) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more:,} more" if more > 0 else "")


#: Fewest periods a history needs for a scan to find a bounded period in it.
MIN_PERIODS = 6


def has_history(weeks: float) -> bool:
    """Whether a log ``weeks`` long has periods enough for a history (in days, if not weeks)."""
    return weeks * 7 >= MIN_PERIODS


def period_note(weeks: float) -> str:
    """What the history of a log ``weeks`` long is read in, when not weeks ('' when it is).

    Examples
    --------
    >>> period_note(20.0)
    ''
    >>> period_note(3.5)
    'The log spans 3.5 weeks, too short to read week by week (8 needed): its history is read day by day.'
    >>> period_note(0.5)
    'The log spans 3.5 days, too short for a history (6 days needed): only the other segments and the other points are baselines.'
    """  # noqa: E501
    if weeks >= MIN_WEEKS:
        return ""
    if not has_history(weeks):
        return (
            f"The log spans {weeks * 7:.1f} days, too short for a history ({MIN_PERIODS} days "
            "needed): only the other segments and the other points are baselines."
        )
    return (
        f"The log spans {weeks:.1f} weeks, too short to read week by week ({MIN_WEEKS} "
        "needed): its history is read day by day."
    )
