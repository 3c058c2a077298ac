"""What changed, since when, and for whom: friction found against a point's own baselines.

Every touchpoint X is watched through the moves that leave it: of the journeys' steps at X,
the share that go on to each next touchpoint Y, to the end of a journey that reached no goal
(``(end)``, a drop-off), back to X itself (a retry), and, for each move, the share that took
longer than such moves usually do (slow); and through the journeys that reach it (the share that
reach no goal after it, and the share that come back to it later: see
:mod:`workbench.analyses.friction.reaches`). Browsing back and forth is how a journey works, so a
share is never friction because it is high; it is friction when it departs from a baseline:

- **its own history** (an *incident*): the period in which the share departs most from the rest
  of the log, found by a scan over every run of consecutive weeks (days when the log is shorter
  than eight weeks), tested inside against outside with a likelihood-ratio test whose p-value is
  multiplied by the number of periods scanned, then controlled for false discoveries
  (Benjamini-Hochberg) across every series;
- **the other segments at the same point** (a *segment* finding): each value of each segment
  attribute (device, team, region ...) of the event a move starts from, or of the customer,
  against the other values, with a one-sided Fisher test under the same control; a segment
  whose own share departs within a period (a drift, or an incident in one segment) says when.

The score is what it costs: the moves beyond the baseline (inside the period beyond the rate
outside it; in the segment beyond the rate of the other values). Findings about the same point
and period (after payment, more chat and more drop-off) are one finding, led by its largest
part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from workbench.core.records import rows
from workbench.core.stats import adjust, compare, percent

#: Where a journey goes when it ends: without reaching a goal (a drop-off), or having reached one.
END, DONE = "(end)", "(done)"
#: Shortest log, in weeks, whose history is read week by week (shorter: day by day).
MIN_WEEKS = 8
#: A departure counts when its rate is at least this many times the baseline's.
MIN_LIFT = 1.5
#: An incident is bounded: it lasts at most this share of the log (the rest is the baseline).
MAX_INCIDENT_SHARE = 0.5


@dataclass(frozen=True)
class Floors:
    """How much evidence a finding needs: moves in the series, moves beyond the baseline, and
    the false-discovery level."""

    units: int = 30
    affected: int = 10
    alpha: float = 0.05


def series_table(counts: pd.DataFrame, goals: Iterable[str] = ()) -> pd.DataFrame:
    """Every watched series from ``friction/move_counts``-like counts (``source``, ``target``,
    ``period``, ``moves``, ``slow`` and any grouping columns before them): one row per series
    and period with ``signal`` (``move`` or ``slow``), ``units`` and ``affected``.

    A move series counts, of the moves leaving ``source``, those going to ``target``; a slow
    series, of the moves from ``source`` to ``target``, those slower than usual. Moving to a
    goal, or out of a journey that reached one (``(done)``), is never friction; waiting for a
    goal can be.
    """
    keys = [c for c in counts.columns if c not in ("target", "moves", "slow")]
    leaving = counts.groupby(keys, as_index=False, dropna=False)[["moves"]].sum()
    leaving = leaving.rename(columns={"moves": "units"})
    moves = counts[counts["target"] != DONE].merge(leaving, on=keys)
    move = moves[~moves["target"].isin(list(goals))]
    move = move.assign(signal="move", affected=move["moves"])
    slow = moves[moves["target"] != END].assign(
        signal="slow", units=lambda f: f["moves"], affected=lambda f: f["slow"]
    )
    out = pd.concat([move, slow], ignore_index=True)
    return out.drop(columns=["moves", "slow"])


def scan(units: np.ndarray, affected: np.ndarray) -> tuple[int, int, float, int]:
    """The run of consecutive periods ``[start, stop)`` whose rate departs upwards most from
    the rest, by the binomial likelihood ratio; with its p-value (chi-square, one degree of
    freedom) and how many runs were scanned. The whole series is not a departure.

    Examples
    --------
    >>> n = np.full(10, 100)
    >>> k = np.array([5, 5, 5, 40, 42, 38, 5, 5, 5, 5])
    >>> start, stop, p, tried = scan(n, k)
    >>> (start, stop), p < 1e-10, tried
    ((3, 6), True, 54)
    """
    n, k = units.astype(float), affected.astype(float)
    cn, ck = np.concatenate([[0.0], np.cumsum(n)]), np.concatenate([[0.0], np.cumsum(k)])
    w = len(n)
    i, j = np.triu_indices(w + 1, 1)
    whole = (i == 0) & (j == w)
    n_in, k_in = cn[j] - cn[i], ck[j] - ck[i]
    n_out, k_out = cn[-1] - n_in, ck[-1] - k_in
    with np.errstate(divide="ignore", invalid="ignore"):
        r_in, r_out = k_in / n_in, k_out / n_out
        r_all = ck[-1] / cn[-1] if cn[-1] else 0.0
        llr = 2 * (
            _loglik(k_in, n_in, r_in)
            + _loglik(k_out, n_out, r_out)
            - _loglik(ck[-1], cn[-1], r_all)
        )
    ok = ~whole & (n_in > 0) & (n_out > 0) & (r_in > r_out)
    if not ok.any():
        return 0, w, 1.0, int((~whole).sum())
    llr = np.where(ok, np.nan_to_num(llr), -np.inf)
    best = int(np.argmax(llr))
    p = float(stats.chi2.sf(max(llr[best], 0.0), 1))
    return int(i[best]), int(j[best]), p, int((~whole).sum())


def _loglik(k: Any, n: Any, r: Any) -> Any:
    r = np.clip(r, 1e-12, 1 - 1e-12)
    return k * np.log(r) + (n - k) * np.log1p(-r)


def incidents(series: pd.DataFrame, floors: Floors) -> pd.DataFrame:
    """Each series' period of departure from its own history, tested (see the module).

    ``series`` has ``period`` and the series' keys (``source``, ``target``, ``signal`` and any
    segment columns); returns one row per series with enough moves: the keys, ``start``,
    ``stop`` (the periods' bounds), ``units_in``, ``affected_in``, ``units_out``,
    ``affected_out`` and ``p_value`` (already multiplied by the runs scanned)."""
    keys = [c for c in series.columns if c not in ("period", "units", "affected")]
    periods = sorted(series["period"].unique())
    index = {p: i for i, p in enumerate(periods)}
    rows = []
    for key, part in series.groupby(keys, sort=False, dropna=False):
        if part["affected"].sum() < floors.affected or part["units"].sum() < floors.units:
            continue
        n = np.zeros(len(periods))
        k = np.zeros(len(periods))
        at = part["period"].map(index).to_numpy()
        n[at], k[at] = part["units"].to_numpy(), part["affected"].to_numpy()
        first, last = int(np.flatnonzero(n)[0]), int(np.flatnonzero(n)[-1]) + 1
        start, stop, p, tried = scan(n[first:last], k[first:last])
        start, stop = start + first, stop + first
        inside = slice(start, stop)
        rows.append(
            {
                **dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)),
                "start": periods[start],
                "stop": periods[stop - 1],
                "units_in": n[inside].sum(),
                "affected_in": k[inside].sum(),
                "units_out": n.sum() - n[inside].sum(),
                "affected_out": k.sum() - k[inside].sum(),
                "p_value": min(1.0, p * tried),
                "periods_in": stop - start,
                "periods": last - first,
            }
        )
    return pd.DataFrame(rows)


def tested_incidents(found: pd.DataFrame, floors: Floors) -> pd.DataFrame:
    """:func:`incidents` that pass: false-discovery control across all of them, enough moves
    beyond the baseline, and a rate at least :data:`MIN_LIFT` times the baseline's."""
    if found.empty:
        return found
    found = found.assign(q_value=adjust(found["p_value"]))
    cmp = compare(
        found["affected_in"], found["units_in"], found["affected_out"], found["units_out"]
    )
    found = pd.concat([found, cmp.drop(columns=["p_value"])], axis=1)
    found["excess"] = found["affected_in"] - found["units_in"] * found["base_rate"]
    keep = (
        (found["q_value"] <= floors.alpha)
        & (found["excess"] >= floors.affected)
        & (found["lift"] >= MIN_LIFT)
        & (found["periods_in"] <= MAX_INCIDENT_SHARE * found["periods"])
    )
    return found[keep].reset_index(drop=True)


def segment_gaps(segments: pd.DataFrame, floors: Floors) -> pd.DataFrame:
    """Each (series, attribute, value) against the other values of the attribute at the same
    series, over the whole log: ``units``, ``affected``, the comparison (:func:`compare`) and
    ``excess`` (moves beyond the other values' rate); all tested, not yet filtered."""
    keys = ["source", "target", "signal", "attribute"]
    whole = segments.groupby([*keys, "value"], as_index=False)[["units", "affected"]].sum()
    total = whole.groupby(keys, as_index=False)[["units", "affected"]].sum()
    whole = whole.merge(total, on=keys, suffixes=("", "_all"))
    rest_n = whole["units_all"] - whole["units"]
    rest_k = whole["affected_all"] - whole["affected"]
    enough = (whole["units"] >= floors.units) & (rest_n >= floors.units)
    whole = whole[enough].reset_index(drop=True)
    cmp = compare(whole["affected"], whole["units"], rest_k[enough].reset_index(drop=True),
                  rest_n[enough].reset_index(drop=True))  # fmt: skip
    whole = pd.concat([whole, cmp], axis=1)
    whole["excess"] = whole["affected"] - whole["units"] * whole["base_rate"]
    return whole


def tested_segments(gaps: pd.DataFrame, floors: Floors) -> pd.DataFrame:
    """:func:`segment_gaps` that pass the false-discovery control, the floors and the lift."""
    if gaps.empty:
        return gaps
    gaps = gaps.assign(q_value=adjust(gaps["p_value"]))
    keep = (
        (gaps["q_value"] <= floors.alpha)
        & (gaps["excess"] >= floors.affected)
        & (gaps["lift"] >= MIN_LIFT)
    )
    return gaps[keep].reset_index(drop=True)


def merged(findings: pd.DataFrame, keys: Iterable[str], overlapping: bool = False) -> pd.DataFrame:
    """One finding per group of ``keys`` (a point, its segment ...), led by its largest part;
    with ``overlapping``, findings of one group whose periods (``start``..``stop``) overlap
    are one too. The parts' targets are listed in ``parts``."""
    if findings.empty:
        return findings.assign(parts=[])
    keys = list(keys)
    kept: list[int] = []
    parts: dict[int, list[str]] = {}
    ordered = findings.sort_values("excess", ascending=False).reset_index(drop=True)
    for i, r in enumerate(rows(ordered)):
        home = next(
            (
                j
                for j in kept
                if all(_same(ordered.at[j, c], r[c]) for c in keys)
                and (
                    not overlapping
                    or (ordered.at[j, "start"] <= r["stop"] and r["start"] <= ordered.at[j, "stop"])
                )
            ),
            None,
        )
        if home is None:
            kept.append(i)
            parts[i] = [str(r["target"])]
        else:
            parts[home].append(str(r["target"]))
    lead = ordered.loc[kept].copy()
    lead["parts"] = [parts[i] for i in kept]
    return lead.reset_index(drop=True)


def _same(a: Any, b: Any) -> bool:
    return bool(a == b) or (pd.isna(a) and pd.isna(b))


def describe_target(source: str, target: str, signal: str, who: str = "") -> str:
    """The share's subject and what it does, in plain words (``who``: the segment, if any).

    Examples
    --------
    >>> describe_target("payment", "(end)", "move")
    'visits to payment end the journey there without reaching a goal'
    >>> describe_target("Logga in", "Logga in", "move", " by kundtyp = privat")
    'visits to Logga in by kundtyp = privat are followed by another try'
    >>> describe_target("Inkommande samtal", "Samtal besvarat", "slow")
    'moves from Inkommande samtal to Samtal besvarat take longer than usual'
    >>> describe_target("payment", "(no goal)", "not_converted")
    'journeys that reach payment reach no goal after it'
    """
    if signal == "slow":
        return f"moves from {source} to {target}{who} take longer than usual"
    if signal == "not_converted":
        return f"journeys that reach {source}{who} reach no goal after it"
    if signal == "retry":
        return f"journeys that visit {source}{who} come back to it later"
    if target == END:
        return f"visits to {source}{who} end the journey there without reaching a goal"
    if target == source:
        return f"visits to {source}{who} are followed by another try"
    return f"visits to {source}{who} go on to {target}"


def sentence(row: dict[str, Any]) -> str:
    """One finding in plain words, with its numbers."""
    rate, base = percent(float(row["rate"])), percent(float(row["base_rate"]))
    extra = f"{round(float(row['excess'])):,}"
    segment = row.get("segment")
    who = f" by {segment}" if isinstance(segment, str) and segment else ""
    what = describe_target(str(row["source"]), str(row["target"]), str(row["signal"]), who)
    if row["finding"] == "incident":
        return (
            f"{rate} of {what} from {_day(row['active_from'])} to {_day(row['active_to'])}, "
            f"against {base} the rest of the time: {extra} more than usual."
        )
    since = f" since {_day(row['active_from'])}" if pd.notna(row.get("active_from")) else ""
    alike = row.get("alike")
    also = (
        f" The same move stands out by {', '.join(alike)} too."
        if isinstance(alike, list) and alike
        else ""
    )
    return (
        f"{rate} of {what}{since}, against {base} for the others: {extra} more than if they "
        f"did as the others do.{also}"
    )


def _day(value: Any) -> str:
    return pd.Timestamp(value).strftime("%d %b %Y").lstrip("0")
