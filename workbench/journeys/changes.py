"""Two periods compared on the journey map: which moves and touchpoints changed, and by how many
journeys.

:func:`compare_periods` compares how often the journeys that start in period A and in period B
make each move and visit each touchpoint: the change in share of journeys (B - A), a 95 %
interval of it (Newcombe), a two-sided Fisher test with the false-discovery rate held at 5 %
(Benjamini-Hochberg) across every move and touchpoint, and the journeys of B it adds or takes
away. Counted per variant on the whole model's tables, like the segment comparison
(:func:`workbench.journeys.graph.compare_segment`), without building the periods' models; the
counts reconcile with those models (:func:`workbench.journeys.periods.journeys_between`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.core.periods import Period, describe_period, moments, parse_period
from workbench.core.records import json_rows
from workbench.core.stats import adjust, compare, percent
from workbench.journeys.graph import variant_moves
from workbench.journeys.model import JourneyModel

#: A change is significant when its q-value (Benjamini-Hochberg) is below this.
FDR = 0.05

CHANGE_COLUMNS = [
    "change",
    "direction",
    "source",
    "target",
    "a_journeys",
    "b_journeys",
    "a_share",
    "b_share",
    "difference",
    "difference_low",
    "difference_high",
    "extra_journeys",
    "q_value",
    "significant",
]


@dataclass(frozen=True)
class PeriodComparison:
    """How the journeys of period B move differently from those of period A.

    ``edges`` (``source``, ``target``) and ``nodes`` (``touchpoint``) hold, for each move and
    touchpoint: ``a_journeys``/``b_journeys`` (journeys of each period that make it at least
    once), ``a_share``/``b_share`` (as a share of the period's journeys), ``difference``
    (``b_share - a_share``) with ``difference_low``/``difference_high`` (95 % Newcombe
    interval), ``extra_journeys`` (``difference`` times B's journeys: how many more, or fewer,
    of B's journeys make it than A's share would give), ``p_value`` (two-sided Fisher),
    ``q_value`` (Benjamini-Hochberg across moves and touchpoints together) and
    ``significant`` (``q_value`` below 5 %). Shares are fractions (0.13 is 13 %).
    """

    a: tuple[date, date]
    b: tuple[date, date]
    a_journeys: int
    b_journeys: int
    edges: pd.DataFrame
    nodes: pd.DataFrame
    sentence: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        """``"A: 22 Sep to 12 Oct 2025, 912 journeys; B: 13 Oct to 2 Nov 2025, 899 journeys"``."""
        return (
            f"A: {describe_period(*self.a)}, {self.a_journeys:,} journeys; "
            f"B: {describe_period(*self.b)}, {self.b_journeys:,} journeys"
        )

    def changes(self, top: int | None = None, *, significant_only: bool = False) -> pd.DataFrame:
        """Moves and touchpoints together, the biggest changes first (see :func:`rank_changes`).
        ``change`` reads ``"payment → chat"`` for a move, ``"visits chat"`` for a touchpoint;
        ``direction`` is ``"more"`` or ``"fewer"`` (journeys of B than A's share gives)."""
        moves = self.edges.assign(change=self.edges["source"] + " → " + self.edges["target"])
        visits = self.nodes.rename(columns={"touchpoint": "source"}).assign(
            target=None, change=lambda d: "visits " + d["source"]
        )
        both = rank_changes(pd.concat([moves, visits], ignore_index=True))
        if significant_only:
            both = both[both["significant"]]
        out = both[CHANGE_COLUMNS].reset_index(drop=True)
        return out if top is None else out.head(top)

    def to_json(self) -> dict[str, Any]:
        """The periods, their journeys, the sentence and the changes, JSON-safe."""
        return {
            "params": self.params,
            "a_journeys": self.a_journeys,
            "b_journeys": self.b_journeys,
            "sentence": self.sentence,
            "changes": json_rows(self.changes()),
        }


def compare_periods(model: JourneyModel, a: Period, b: Period) -> PeriodComparison:
    """Compare the journeys that start in period ``a`` with those that start in period ``b``.

    Parameters
    ----------
    model
        The journeys (of the whole log).
    a, b
        The periods, each its first and last day (both included); they must not overlap.
        B is the one looked at, A its baseline (usually the earlier).

    Raises
    ------
    ValidationError
        A period is not two dates in order, the periods overlap, or one holds no journey.

    Examples
    --------
    >>> import workbench as wb
    >>> from workbench.journeys.periods import default_periods
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> cmp = compare_periods(model, *default_periods(model))
    >>> cmp.sentence.startswith("From ")
    True
    >>> len(cmp.changes(3))
    3
    """
    a_days, b_days = parse_period(a), parse_period(b)
    if a_days[0] <= b_days[1] and b_days[0] <= a_days[1]:
        raise ValidationError(
            f"Periods A ({describe_period(*a_days)}) and B ({describe_period(*b_days)}) "
            "overlap. Pick periods that share no day.",
            "Periods overlap",
        )
    counts, sizes = _period_counts(model, a_days, b_days)
    n_a, n_b = int(sizes.get("A", 0)), int(sizes.get("B", 0))
    for name, days, n in (("A", a_days, n_a), ("B", b_days, n_b)):
        if n == 0:
            raise ValidationError(
                f"No journey starts in period {name} ({describe_period(*days)}). "
                "Pick days within the log's.",
                "Empty period",
            )
    table = _changes(counts, n_a, n_b)
    nodes = (
        table[table["target"].isna()]
        .drop(columns="target")
        .rename(columns={"source": "touchpoint"})
        .reset_index(drop=True)
    )
    edges = table[table["target"].notna()].reset_index(drop=True)
    params = {
        "a": [a_days[0].isoformat(), a_days[1].isoformat()],
        "b": [b_days[0].isoformat(), b_days[1].isoformat()],
    }
    sentence = period_sentence(edges, nodes, a_days, b_days)
    return PeriodComparison(a_days, b_days, n_a, n_b, edges, nodes, sentence, params)


def _period_counts(
    model: JourneyModel, a: tuple[date, date], b: tuple[date, date]
) -> tuple[pd.DataFrame, pd.Series]:
    """Journeys of each period per move and touchpoint (``period``, ``source``, ``target``,
    ``journeys``) and per period, remembered per model and pair of periods."""
    a_from, a_to = moments(*a)
    b_from, b_to = moments(*b)
    bounds = {"a_from": a_from, "a_to": a_to, "b_from": b_from, "b_to": b_to}

    def count() -> tuple[pd.DataFrame, pd.Series]:
        with model.using() as cur:
            variant_moves(model, cur)
            edges = db.run(cur, "duckdb/journeys/period_edges", **bounds)
            sizes = db.run(cur, "duckdb/journeys/period_sizes", **bounds)
        return edges, sizes.set_index("period")["journeys"]

    return model.cache.get_or_run("periods", (a, b), count, slots=8)


def _changes(counts: pd.DataFrame, n_a: int, n_b: int) -> pd.DataFrame:
    """One row per move and touchpoint: each period's journeys and shares, the change with its
    interval and test, and the journeys of B it adds or takes away."""
    keys = ["source", "target"]
    wide = (
        counts.pivot_table(
            index=keys, columns="period", values="journeys", aggfunc="sum", dropna=False
        )
        .reindex(columns=["A", "B"])
        .fillna(0)
        .astype("int64")
        .rename(columns={"A": "a_journeys", "B": "b_journeys"})
        .reset_index()
        .sort_values(keys, na_position="first", kind="stable")
        .reset_index(drop=True)
    )
    wide.columns.name = None
    k_a, k_b = wide["a_journeys"], wide["b_journeys"]
    size_a = pd.Series(n_a, index=wide.index)
    size_b = pd.Series(n_b, index=wide.index)
    cmp = compare(k_b, size_b, k_a, size_a)
    wide["a_share"] = k_a / n_a
    wide["b_share"] = k_b / n_b
    wide["difference"] = cmp["difference"]
    wide["difference_low"] = cmp["diff_ci_low"]
    wide["difference_high"] = cmp["diff_ci_high"]
    wide["extra_journeys"] = np.round(cmp["difference"] * n_b).astype("int64")
    # two-sided Fisher exact test: twice the smaller tail of k_b given the margins
    lower = sps.hypergeom.cdf(k_b, n_a + n_b, k_a + k_b, n_b)
    wide["p_value"] = np.clip(2 * np.minimum(cmp["p_value"], lower), 0.0, 1.0)
    wide["q_value"] = adjust(wide["p_value"])
    wide["significant"] = wide["q_value"] < FDR
    return wide


def rank_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """``changes`` (moves or touchpoints with ``extra_journeys`` and ``significant``) in the
    order to read them: significant increases, most extra journeys first; then significant
    decreases, most journeys lost first; then the rest, largest either way. What journeys now do
    that they did not (a detour, a contact, a loop) points at what changed; what they do less
    (reach the goal) mostly follows from it, and the KPIs show it already.

    >>> t = pd.DataFrame({"change": list("abcd"), "extra_journeys": [-80, 25, 40, 5],
    ...                   "significant": [True, True, False, True]})
    >>> rank_changes(t)["change"].tolist()
    ['b', 'd', 'a', 'c']
    """
    size = changes["extra_journeys"].abs()
    group = np.where(changes["significant"], np.where(changes["extra_journeys"] > 0, 0, 1), 2)
    ranked = changes.assign(
        direction=np.where(changes["extra_journeys"] < 0, "fewer", "more"), _group=group, _size=size
    ).sort_values(["_group", "_size", "change"], ascending=[True, False, True], kind="stable")
    return ranked.drop(columns=["_group", "_size"])


def period_sentence(
    edges: pd.DataFrame, nodes: pd.DataFrame, a: tuple[date, date], b: tuple[date, date]
) -> str:
    """The biggest significant rise and fall of a move, in plain words, as shares of the
    journeys that visit its first touchpoint: "From 13 Oct to 2 Nov 2025, 13 % of the journeys
    that visit payment go on to chat, up from 0.6 % (22 Sep to 12 Oct 2025); 35 % of those that
    visit payment go on to purchase, down from 80 %."
    """
    when, before = f"From {describe_period(*b)}", describe_period(*a)
    moved = edges[edges["significant"] & (edges["extra_journeys"] != 0)]
    if moved.empty:
        return (
            f"{when}, journeys make the same moves as from {before}: no move or touchpoint "
            "changed beyond chance (false-discovery rate 5 %)."
        )
    ranked = rank_changes(moved.assign(change=moved["source"] + " → " + moved["target"]))
    reach = {
        str(t): (int(a), int(b))
        for t, a, b in zip(
            nodes["touchpoint"], nodes["a_journeys"], nodes["b_journeys"], strict=True
        )
    }
    parts: list[str] = []
    for direction in ("more", "fewer"):
        mine = ranked[ranked["direction"] == direction]
        if not mine.empty:
            parts.append(_move_words(mine.iloc[0], reach, first=not parts))
    more = len(moved) - len(parts)
    tail = f" {more:,} other moves changed too (see the table)." if more > 0 else ""
    return f"{when}, {parts[0]} ({before}){''.join('; ' + p for p in parts[1:])}.{tail}"


def _move_words(move: pd.Series, reach: dict[str, tuple[int, int]], *, first: bool) -> str:
    """``"13 % of the journeys that visit payment go on to chat, up from 0.6 %"`` (``reach``:
    each touchpoint's journeys in A and in B)."""
    src, dst = str(move["source"]), str(move["target"])
    a_base, b_base = reach.get(src, (0, 0))
    way = "up" if move["extra_journeys"] > 0 else "down"
    if not a_base or not b_base:
        now, then = float(move["b_share"]), float(move["a_share"])
        return f"{_share(now)} of journeys go from {src} to {dst}, {way} from {_share(then)}"
    now, then = int(move["b_journeys"]) / b_base, int(move["a_journeys"]) / a_base
    who = "the journeys" if first else "those"
    return f"{_share(now)} of {who} that visit {src} go on to {dst}, {way} from {_share(then)}"


def _share(value: float) -> str:
    """13 %, 0.6 %: one decimal below 10 %; "none" for 0."""
    return percent(value, 1 if value < 0.1 else 0) if value else "none"
