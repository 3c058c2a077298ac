"""Friction points, ranked: where customers drop off, loop, wait, repeat contacts, switch channel
or get transferred -- and how many customers it costs.

Each *friction point* is a touchpoint or a transition between two touchpoints. For each one the
workbench measures every signal the log allows, each against its base rate elsewhere:

============== ========== ==================================================================
signal         counted in what it is
============== ========== ==================================================================
dropoff        journeys   the journey ends here without reaching a goal
loop           journeys   the journey makes this transition twice or more (goes round again)
long_wait      contacts   the wait before the contact is longer than the long-wait threshold
transfer       contacts   the contact is transferred or escalated
unresolved     contacts   the contact is marked not resolved
abandoned      contacts   the contact is abandoned
repeat_contact contacts   another contact follows within the repeat window (default 7 days)
channel_switch visits     a self-service step is followed by an assisted one (e.g. app -> phone)
outcome:…      journeys   journeys through the point end badly more often (no goal, low CSAT,
                          NPS detractor, churn) than journeys that do not pass it
============== ========== ==================================================================

Every comparison carries its denominators, a Wilson interval for the rate, the base rate, the
lift with its interval, a one-sided Fisher test and Benjamini-Hochberg control across *all*
comparisons made; a signal counts only above the support floors (enough units and enough
affected ones) and below the false-discovery level.

**Score** (what the ranking sorts by) = weight x customers affected x (rate - base rate) /
rate: the number of customers who meet the friction *beyond* what is normal elsewhere, weighted
by signal (every weight is 1 except channel switches, 0.25: a switch records no failure and is
often by design; change them with ``weights=``). A point's headline is its highest-scoring
significant signal. Outcome
associations (no goal, low CSAT, detractors, churn among the journeys through a point) are
reported as the point's cost, not as frictions of their own: a point only ranks for what
happens at it.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import networkx as nx
import numpy as np
import pandas as pd
import ruptures

from workbench.analyses.outcomes import OutcomeSetup, prepare_setup, prepare_visits, visit_key
from workbench.core import db
from workbench.core.db import quote_ident, quote_literal
from workbench.core.durations import format_duration, parse_duration
from workbench.core.errors import ValidationError
from workbench.core.progress import Progress, Stages
from workbench.core.records import json_rows, rows
from workbench.core.stats import adjust, compare, percent
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import journey_segments, journey_values, segment_attributes
from workbench.store.cache import Cache
from workbench.store.segment_values import attribute_column

SCORE_FORMULA = "score = weight × customers affected × (rate − base rate) ÷ rate"
#: How much each signal counts in the score. Every signal of a failure (waiting, transfer,
#: unresolved, repeat contact, loop, drop-off) counts fully; a switch from self-service to an
#: assisted channel records no failure and is often by design (a form that asks for a call),
#: so it counts a quarter. See docs/adr/0002-friction-score.md.
DEFAULT_WEIGHTS: dict[str, float] = {"channel_switch": 0.25}
MECHANISMS = (
    "dropoff",
    "loop",
    "long_wait",
    "transfer",
    "unresolved",
    "abandoned",
    "repeat_contact",
    "channel_switch",
)
VISIT_SIGNALS = (
    "long_wait",
    "transfer",
    "unresolved",
    "abandoned",
    "repeat_contact",
    "channel_switch",
)
OUTCOME_SIGNALS = ("no_goal", "low_csat", "detractor", "churned")
LABELS = {
    "dropoff": "drop-off",
    "loop": "loop",
    "long_wait": "long wait",
    "transfer": "transfer",
    "unresolved": "unresolved",
    "abandoned": "abandoned",
    "repeat_contact": "repeat contact",
    "channel_switch": "channel switch",
    "outcome:no_goal": "no goal reached",
    "outcome:low_csat": "low CSAT",
    "outcome:detractor": "NPS detractors",
    "outcome:churned": "churn",
}


#: The columns of :attr:`FrictionRanking.table`, also when no point is found.
RANKING_COLUMNS = (
    "rank", "kind", "point", "point_type", "touchpoint", "source", "target", "segment", "score",
    "customers_affected", "journeys_affected", "units", "affected", "rate", "base_rate", "lift",
    "ci_low", "ci_high", "lift_ci_low", "lift_ci_high", "q_value", "p_value", "difference",
    "diff_ci_low", "diff_ci_high", "signals", "cycle", "concentration", "active_from",
    "active_to", "csat_delta", "wait_median", "wait_p90", "explanation", "signal",
)  # fmt: skip


@dataclass(frozen=True)
class FrictionRanking:
    """Friction points ranked by score, with the evidence behind each.

    Attributes
    ----------
    table
        One row per friction point, highest score first: ``rank``, ``kind`` (the headline
        signal), ``point`` (touchpoint or ``source → target``), ``touchpoint``, ``source``,
        ``target``, ``segment``, ``score``, ``customers_affected``, ``units``, ``affected``,
        ``rate``, ``base_rate``, ``lift``, ``ci_low``/``ci_high`` (rate), ``lift_ci_low``/
        ``lift_ci_high``, ``q_value``, ``signals`` (every significant signal of the point),
        ``concentration`` (where it is concentrated most), ``active_from``/``active_to``,
        ``csat_delta`` and ``explanation``.
    candidates
        Every (point, signal) comparison made, significant or not.
    weekly
        Week-by-week ``units``, ``affected`` and ``rate`` of each ranked point's headline
        signal (``point_id`` is the row's ``rank``).
    """

    table: pd.DataFrame
    candidates: pd.DataFrame
    weekly: pd.DataFrame
    outcomes: OutcomeSetup
    params: dict[str, Any]
    below_floor: int
    not_significant: int
    formula: str = SCORE_FORMULA
    segment_note: str = field(default="")

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` highest-scoring friction points."""
        return self.table.head(n)

    def to_json(self) -> dict[str, Any]:
        """The document ``python -m workbench friction`` prints."""
        cols = [
            "rank",
            "kind",
            "point_type",
            "touchpoint",
            "source",
            "target",
            "segment",
            "score",
            "customers_affected",
            "journeys_affected",
            "units",
            "affected",
            "rate",
            "base_rate",
            "lift",
            "ci_low",
            "ci_high",
            "lift_ci_low",
            "lift_ci_high",
            "q_value",
            "active_from",
            "active_to",
            "concentration",
            "csat_delta",
            "signals",
            "explanation",
        ]
        return {
            "formula": self.formula,
            "goals": list(self.outcomes.goals),
            "goals_guessed": self.outcomes.goals_guessed,
            "outcomes": list(self.outcomes.available),
            "params": self.params,
            "below_floor": self.below_floor,
            "not_significant": self.not_significant,
            "friction": json_rows(self.table.reindex(columns=cols)),
        }


#: The stages of a friction ranking, with their usual shares of the time (10M events).
FRICTION_STAGES = (
    ("Linking outcomes and every step's contact signals", 14.0),
    ("Counting the signals at each touchpoint and move", 12.0),
    ("Testing each candidate against its base rate", 1.0),
    ("Finding where each point is concentrated", 10.0),
    ("Finding when each point began", 1.0),
)


def rank_friction(
    model: JourneyModel,
    *,
    goals: Sequence[str] | None = None,
    segment: str | None = None,
    long_wait: str | float = "5min",
    repeat_window: str | float = "7d",
    survey_window: str = "7d",
    min_units: int = 30,
    min_affected: int = 10,
    alpha: float = 0.05,
    weights: dict[str, float] | None = None,
    concentration: bool = True,
    top: int = 15,
    progress: Progress | None = None,
) -> FrictionRanking:
    """Rank the friction points of ``model``'s journeys.

    Parameters
    ----------
    model
        Journeys from :func:`workbench.build_journeys` (with surveys/customers loaded, the
        outcome signals use them).
    goals
        Touchpoints that mean success; guessed from the data when not given
        (:func:`workbench.analyses.outcomes.guess_goals`).
    segment
        An attribute (event or customer) to rank within: each of its values becomes its own
        set of candidates, e.g. ``segment="device"``.
    long_wait, repeat_window, survey_window
        A wait longer than ``long_wait`` is long; a contact followed by another within
        ``repeat_window`` is repeated; surveys count for the journey that ended at most
        ``survey_window`` before them (``"5min"``, ``"7d"`` ...).
    min_units, min_affected
        Support floors: a signal needs at least this many units (journeys or contacts) and
        this many affected ones.
    alpha
        False-discovery level across all comparisons (Benjamini-Hochberg).
    weights
        Signal -> weight in the score; defaults to :data:`DEFAULT_WEIGHTS`.
    concentration
        Look for the segment value where each of the ``top`` points is concentrated most.
    progress
        Called with the fraction done and what is being done as each stage starts (see
        :mod:`workbench.core.progress`); at 10M events a first ranking takes about 40 s, a ranking
        from counts the model already keeps well under a second.

    Returns
    -------
    FrictionRanking

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv",
    ...                      customers="sample_data/customers.csv")
    >>> ranking = wb.rank_friction(wb.build_journeys(log))
    >>> bool(ranking.table.loc[0, "score"] >= ranking.table.loc[1, "score"])
    True
    """
    wait_s = parse_duration(long_wait, "long wait")
    repeat_s = parse_duration(repeat_window, "repeat window")
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = set(w) - set(MECHANISMS)
    if unknown:
        raise ValidationError(
            f"No signal called {', '.join(sorted(unknown))}; signals: {', '.join(MECHANISMS)}.",
            "Unknown signal",
        )
    params = {
        "weights": w,
        "long_wait_seconds": wait_s,
        "repeat_window_seconds": repeat_s,
        "survey_window": survey_window,
        "min_units": min_units,
        "min_affected": min_affected,
        "alpha": alpha,
        "segment": segment,
    }
    stages = Stages(progress, FRICTION_STAGES)
    with model.using() as cur:
        stages.start("Linking outcomes and every step's contact signals")
        setup = prepare_setup(model, cur, goals, survey_window)
        visits = _Visits(model, cur, goals, survey_window, repeat_s, wait_s)
        stages.start("Counting the signals at each touchpoint and move")
        tp, tpo, totals, tr, loops, weekly_tp, weekly_tr = _counts(cur, model, segment, visits)
        stages.start("Testing each candidate against its base rate")
        candidates = _candidates(tp, tpo, totals, tr, setup.available)
        candidates = _test(candidates, min_units, min_affected, alpha, w)
        table = _points(candidates, loops)
        if concentration and not table.empty and segment is None:
            stages.start("Finding where each point is concentrated")
            table = _concentrate(cur, model, table.head(top), setup.roles, alpha, visits).pipe(
                lambda head: pd.concat([head, table.iloc[top:]], ignore_index=True)
            )
    stages.start("Finding when each point began")
    table, weekly = _periods(table, weekly_tp, weekly_tr, model.cache)
    table = _explain(table, params)
    if table.empty:  # no point passed the tests: still the columns a ranking has
        table = pd.DataFrame(columns=list(RANKING_COLUMNS))
    stages.done()
    below = int((~candidates["supported"]).sum())
    not_sig = int((candidates["supported"] & ~candidates["significant"]).sum())
    note = f"ranked within each value of '{segment}'" if segment else ""
    return FrictionRanking(
        table, candidates, weekly, setup, params, below, not_sig, segment_note=note
    )


# -- candidates and tests ----------------------------------------------------------------------

_COUNTS = (
    "touchpoint_signals",
    "touchpoint_outcomes",
    "outcome_totals",
    "transition_signals",
    "loop_overlaps",
    "weekly_signals",
    "weekly_loops",
)
#: How many sets of counts (visit parameters x segment) a model keeps.
_KEEP_COUNTS = 4


class _Visits:
    """The visits of one set of parameters: their key, and the ``visits`` table built on the
    model's cursor only when a count that is not kept needs it (:meth:`ensure`)."""

    def __init__(
        self,
        model: JourneyModel,
        cur: duckdb.DuckDBPyConnection,
        goals: Sequence[str] | None,
        survey_window: str,
        repeat_s: float,
        wait_s: float,
    ) -> None:
        self._args = (model, cur, goals, survey_window, repeat_s, wait_s)
        self.key = visit_key(goals, survey_window, repeat_s, wait_s)

    def ensure(self) -> None:
        prepare_visits(*self._args)

    def ensure_moves(self) -> None:
        """:meth:`ensure`, then the temp table ``visit_moves`` (each journey's moves, grouped
        once for the transition, loop and weekly-loop counts), once per set of visits."""
        self.ensure()
        model, cur = self._args[0], self._args[1]
        model.cache.get_or_run(
            "visit_moves",
            self.key,
            lambda: db.materialize(cur, "friction/visit_moves", "visit_moves", temp=True),
            relations=True,
        )


def _counts(
    cur: duckdb.DuckDBPyConnection, model: JourneyModel, segment: str | None, visits: _Visits
) -> list[pd.DataFrame]:
    """The friction queries' counts for ``visits`` and ``segment`` (see ``_COUNTS``).

    Kept on the model for the last few parameter sets: weights, floors and the false-discovery
    level only change what is done with the counts, so changing them reads no event again. A
    model kept in its dataset keeps them there too (:mod:`workbench.store.kept`), so the next
    session reads them back instead of counting the visits again.
    """

    def count() -> list[pd.DataFrame]:
        visits.ensure_moves()
        _segment_views(cur, model, segment)
        return [db.run(cur, f"friction/{name}") for name in _COUNTS]

    counts: list[pd.DataFrame] = model.cache.get_or_run(
        "friction", (visits.key, segment), count, cur=cur, keep=True, slots=_KEEP_COUNTS
    )
    return counts


def _segment_views(
    cur: duckdb.DuckDBPyConnection, model: JourneyModel, segment: str | None
) -> None:
    """Views that split visits, their moves and journeys by segment: every step in its
    journey's segment, so each segment's counts reconcile."""
    if segment is None:
        cur.execute(
            "create or replace temp view segment_visits as select 'all' as segment, * from visits"
        )
        cur.execute(
            "create or replace temp view segment_moves as "
            "select 'all' as segment, * from visit_moves"
        )
        cur.execute(
            "create or replace temp view segment_journeys as "
            "select journey_key, 'all' as segment from journeys"
        )
        return
    journeys = journey_segments(model, segment)
    db.temp_relation(cur, "segment_values", journeys, table=True)
    cur.execute(
        "create or replace temp view segment_visits as select "
        "coalesce(sv.segment, '(none)') as segment, v.* from visits v "
        "left join segment_values sv on v.journey_key = sv.journey_key"
    )
    cur.execute(
        "create or replace temp view segment_moves as select "
        "coalesce(sv.segment, '(none)') as segment, m.* from visit_moves m "
        "left join segment_values sv on m.journey_key = sv.journey_key"
    )
    cur.execute(
        "create or replace temp view segment_journeys as select j.journey_key, "
        "coalesce(sv.segment, '(none)') as segment from journeys j "
        "left join segment_values sv on j.journey_key = sv.journey_key"
    )


def _concentration_views(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    attrs: Sequence[str],
    at: Sequence[str],
    moves: Sequence[tuple[str, str]],
) -> None:
    """The inputs of ``friction/concentration``: ``concentration_journeys`` (every journey's
    value of each attribute, kept on the model), ``concentration_visits``, the visits to the
    touchpoints ``at`` with their contact signals and each attribute's value for the step (its
    own, else its journey's), ``concentration_steps``, the same visits with whether the journey
    dropped off there, and ``concentration_moves``, the steps that make one of the transitions
    ``moves`` (source, target). A touchpoint's signals come from its own visits alone, and a
    transition's loops from the steps that make it, so keeping only these leaves their counts
    exact."""
    table = journey_values(model, cur, list(attrs))
    db.view_over(cur, "concentration_journeys", quote_ident(table))
    log = model.log
    values = ", ".join(
        (
            f"coalesce(cast(e.{quote_ident(a)} as varchar), jv.{attribute_column(a)})"
            if a in log.attributes
            else f"jv.{attribute_column(a)}"
        )
        + f" as {attribute_column(a)}"
        for a in attrs
    )
    names = ", ".join(quote_literal(t) for t in at)

    def at_points(alias: str) -> str:
        return f"cast({alias}.touchpoint as varchar) in ({names})" if at else "false"

    # The visits at the points, narrow, as a table: DuckDB then knows they are fewer than the
    # events and builds the join's hash table on them rather than on every event. The wide rows
    # (with every attribute) stay views, read once and grouped as they stream, so millions of
    # steps with every attribute are never written out (nor spilled under a memory cap).
    cur.execute(
        "create or replace temp table concentration_points as select v.row_no, v.journey_key, "
        "v.touchpoint, v.long_wait, v.transferred, v.unresolved, v.abandoned, v.repeat_contact, "
        f"v.switched, v.dropped from visits v where {at_points('v')}"
    )
    cur.execute(
        "create or replace temp view concentration_visits as select v.journey_key, "
        "v.touchpoint, v.long_wait, v.transferred, v.unresolved, "
        f"v.abandoned, v.repeat_contact, v.switched, {values} "
        "from concentration_points v join events e on v.row_no = e.row_no "
        "join journey_values jv on v.journey_key = jv.journey_key "
        # the same filter on the events: only their visits to the points reach the join
        f"where {at_points('e')}"
    )
    cur.execute(
        "create or replace temp view concentration_steps as select journey_key, touchpoint, "
        "dropped from concentration_points"
    )
    pairs = ", ".join(f"({quote_literal(s)}, {quote_literal(t)})" for s, t in moves)
    cur.execute(
        "create or replace temp view concentration_moves as select journey_key, touchpoint, "
        "next_touchpoint from visits "
        + (
            f"where (cast(touchpoint as varchar), cast(next_touchpoint as varchar)) in ({pairs})"
            if moves
            else "where false"
        )
    )


def _candidates(
    tp: pd.DataFrame,
    tpo: pd.DataFrame,
    totals: pd.DataFrame,
    tr: pd.DataFrame,
    outcomes: Sequence[str],
) -> pd.DataFrame:
    """One row per (point, signal) with n, k, customers and the base counts."""
    rows: list[pd.DataFrame] = []
    # dropping off is counted over the journeys through each touchpoint
    passes = tpo[["segment", "touchpoint", "journeys"]].rename(columns={"journeys": "dropoff_n"})
    tp = tp.merge(passes, on=["segment", "touchpoint"], how="left", validate="one_to_one")
    base = tp.groupby("segment")
    for sig in ("dropoff", *VISIT_SIGNALS):
        n, k, c = f"{sig}_n", f"{sig}_k", f"{sig}_customers"
        part = tp[["segment", "touchpoint", n, k, c]].rename(
            columns={n: "units", k: "affected", c: "customers_affected"}
        )
        part["base_k"] = base[k].transform("sum").to_numpy() - part["affected"]
        part["base_n"] = base[n].transform("sum").to_numpy() - part["units"]
        part["signal"] = sig
        if sig == "long_wait":
            qs = [
                list(q) if isinstance(q, (list, np.ndarray)) else [math.nan, math.nan]
                for q in tp["wait_quantiles"]
            ]
            part["wait_median"] = [q[0] for q in qs]
            part["wait_p90"] = [q[1] for q in qs]
        rows.append(part)
    tot = totals.set_index("segment")
    merged = tpo.merge(tot, left_on="segment", right_index=True, suffixes=("", "_all"))
    for out in outcomes:
        n, k, c = f"{out}_n", f"{out}_k", f"{out}_customers"
        part = merged[["segment", "touchpoint", n, k, c]].rename(
            columns={n: "units", k: "affected", c: "customers_affected"}
        )
        part["base_k"] = merged[f"{k}_all"] - merged[k]
        part["base_n"] = merged[f"{n}_all"] - merged[n]
        part["signal"] = f"outcome:{out}"
        part["csat_mean"] = merged["csat_mean"]
        part["csat_all"] = merged["csat_mean_all"]
        rows.append(part)
    touch = pd.concat(rows, ignore_index=True).assign(
        point_type="touchpoint", source=None, target=None
    )
    trows: list[pd.DataFrame] = []
    tbase = tr.groupby("segment")
    part = tr[["segment", "source", "target", "loop_n", "loop_k", "loop_customers"]].rename(
        columns={"loop_n": "units", "loop_k": "affected", "loop_customers": "customers_affected"}
    )
    part["base_k"] = tbase["loop_k"].transform("sum").to_numpy() - part["affected"]
    part["base_n"] = tbase["loop_n"].transform("sum").to_numpy() - part["units"]
    part["signal"] = "loop"
    trows.append(part)
    tmerged = tr.merge(tot, left_on="segment", right_index=True, suffixes=("", "_all"))
    for out in outcomes:
        n, k, c = f"{out}_n", f"{out}_k", f"{out}_customers"
        part = tmerged[["segment", "source", "target", n, k, c]].rename(
            columns={n: "units", k: "affected", c: "customers_affected"}
        )
        part["base_k"] = tmerged[f"{k}_all"] - tmerged[k]
        part["base_n"] = tmerged[f"{n}_all"] - tmerged[n]
        part["signal"] = f"outcome:{out}"
        trows.append(part)
    trans = pd.concat(trows, ignore_index=True).assign(point_type="transition", touchpoint=None)
    out_df = pd.concat([touch, trans], ignore_index=True)
    out_df = out_df[out_df["units"] > 0].reset_index(drop=True)
    for col in ("units", "affected", "customers_affected", "base_k", "base_n"):
        out_df[col] = out_df[col].fillna(0).astype("int64")
    return out_df


def _test(
    c: pd.DataFrame, min_units: int, min_affected: int, alpha: float, weights: dict[str, float]
) -> pd.DataFrame:
    stats = compare(c["affected"], c["units"], c["base_k"], c["base_n"])
    c = pd.concat([c, stats], axis=1)
    c["supported"] = (c["units"] >= min_units) & (c["affected"] >= min_affected)
    c["q_value"] = 1.0
    tested = c["supported"] & (c["base_n"] > 0)
    c.loc[tested, "q_value"] = adjust(c.loc[tested, "p_value"])
    c["significant"] = tested & (c["q_value"] < alpha) & (c["rate"] > c["base_rate"])
    excess = 1 - c["base_rate"] / c["rate"]
    weight = c["signal"].map(weights).fillna(1.0)
    c["score"] = np.where(
        c["significant"], np.round(weight * c["customers_affected"] * excess.clip(lower=0)), 0.0
    )
    c["is_mechanism"] = c["signal"].isin(MECHANISMS)
    return c


def _objects(frame: pd.DataFrame, values: list[Any]) -> pd.Series:
    """A column of Python objects (lists, dicts) aligned with ``frame``."""
    return pd.Series(values, index=frame.index, dtype="object")


def _point_name(row: pd.Series) -> str:
    if row["point_type"] == "touchpoint":
        return str(row["touchpoint"])
    return f"{row['source']} → {row['target']}"


def _points(c: pd.DataFrame, loops: pd.DataFrame) -> pd.DataFrame:
    """One row per friction point with its headline signal; loops of one cycle become one."""
    sig = c[c["significant"]].copy()
    if sig.empty:
        return pd.DataFrame()
    sig["point"] = sig.apply(_point_name, axis=1)
    sig["rank_key"] = sig["score"] + np.where(sig["is_mechanism"], 1e9, 0)
    # ties broken by name, signal and segment: DuckDB returns groups in no fixed order
    sig = sig.sort_values(
        ["rank_key", "point", "signal", "segment"],
        ascending=[False, True, True, True],
        kind="stable",
    )
    heads = sig[sig["is_mechanism"]].groupby(["segment", "point"], sort=False).head(1).copy()
    if heads.empty:
        return pd.DataFrame()
    summary: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rec in rows(sig):
        summary.setdefault((rec["segment"], rec["point"]), []).append(
            {
                "signal": rec["signal"],
                "rate": rec["rate"],
                "base_rate": rec["base_rate"],
                "lift": rec["lift"],
                "q_value": rec["q_value"],
                "customers_affected": int(rec["customers_affected"]),
                "score": float(rec["score"]),
            }
        )
    heads["signals"] = _objects(
        heads, [summary[(s, p)] for s, p in zip(heads["segment"], heads["point"], strict=True)]
    )
    heads = _merge_loops(heads, loops)
    heads = heads.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    heads["kind"] = heads["signal"]
    heads["segment"] = heads["segment"].where(heads["segment"] != "all", None)
    heads["rank"] = np.arange(1, len(heads) + 1)
    return heads


def _merge_loops(heads: pd.DataFrame, loops: pd.DataFrame) -> pd.DataFrame:
    """Loop transitions that share most of their journeys are one loop: keep the strongest and
    list the cycle it belongs to. ``loops`` counts the journeys each pair of transitions loops
    in together (``friction/loop_overlaps``)."""
    is_loop = (heads["signal"] == "loop") & (heads["segment"] == "all")
    if is_loop.sum() < 2 or loops.empty:
        heads["cycle"] = None
        return heads
    shared = {
        ((str(a), str(b)), (str(c), str(d))): int(n)
        for a, b, c, d, n in loops[
            ["source", "target", "other_source", "other_target", "journeys"]
        ].itertuples(index=False)
    }
    loop_rows = [
        (int(i), rec) for i, rec in zip(heads.index[is_loop], rows(heads[is_loop]), strict=True)
    ]
    keep: list[int] = []
    cycles: dict[int, list[str]] = {}
    taken: set[int] = set()
    for i, row in loop_rows:
        if i in taken:
            continue
        edge = (str(row["source"]), str(row["target"]))
        mine = shared.get((edge, edge), 0)
        members = [edge]
        for j, other in loop_rows:
            if j == i or j in taken:
                continue
            theirs_edge = (str(other["source"]), str(other["target"]))
            theirs = shared.get((theirs_edge, theirs_edge), 0)
            both = shared.get((edge, theirs_edge), 0)
            if mine and theirs and both >= 0.6 * min(mine, theirs):
                taken.add(j)
                members.append(theirs_edge)
        keep.append(i)
        cycles[i] = _order_cycle(members)
    out = heads[~is_loop | heads.index.isin(keep)].copy()
    out["cycle"] = _objects(out, [cycles.get(int(i)) for i in out.index])
    return out


def _order_cycle(edges: list[tuple[str, str]]) -> list[str]:
    """The longest cycle through the first (strongest) edge, as a closed list of touchpoints."""
    g: nx.DiGraph = nx.DiGraph(edges)
    first = edges[0]
    cycles = [c for c in nx.simple_cycles(g) if first[0] in c and first[1] in c]
    if not cycles:
        return [first[0], first[1]]
    cycle = max(cycles, key=len)
    i = cycle.index(first[0])
    cycle = cycle[i:] + cycle[:i]
    return [*cycle, cycle[0]]


# -- concentration ------------------------------------------------------------------------------


def _concentrate(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    head: pd.DataFrame,
    roles: Any,
    alpha: float,
    visits: _Visits,
) -> pd.DataFrame:
    """For each point, the attribute value where its headline signal is most concentrated."""
    signal_attrs = {
        roles.churned,
        roles.transferred,
        roles.resolved,
        roles.abandoned,
        roles.wait,
        roles.handled_by if roles.handled_by != "team" else None,
    }
    attrs = [a for a in segment_attributes(model) if a not in signal_attrs]
    # a touchpoint point is read from its visits, a loop from the steps making its transition
    at = sorted({str(t) for t in head["touchpoint"] if isinstance(t, str)})
    moves = sorted(
        {
            (str(s), str(t))
            for s, t in zip(head["source"], head["target"], strict=True)
            if isinstance(s, str) and isinstance(t, str)
        }
    )
    head = head.copy()
    head["concentration"] = None
    if not (attrs and (at or moves)):
        return head
    allc, found = _concentration_counts(cur, model, attrs, at, moves, visits)
    groups = {key: part for key, part in allc.groupby(["point", "signal"], sort=False)}

    def best(point: Any, signal: str) -> dict[str, Any] | None:
        key = (str(point), signal, alpha)
        if key not in found:
            part = groups.get(key[:2])
            found[key] = None if part is None else _best_value(part, alpha)
        value = found[key]
        return None if value is None else dict(value)

    heads: list[dict[str, Any] | None] = []
    per_signal: list[list[dict[str, Any]]] = []
    for row in rows(head):
        heads.append(best(row["point"], str(row["signal"])))
        items = []
        for item in row["signals"]:
            extra = {}
            if item["signal"] in MECHANISMS:
                extra = {"concentration": best(row["point"], item["signal"])}
            items.append({**item, **extra})
        per_signal.append(items)
    head["concentration"] = _objects(head, heads)
    head["signals"] = _objects(head, per_signal)
    return head


class _Concentrations:
    """The concentration counts of one set of visits and attributes, as far as they are
    counted: which touchpoints and moves they cover, their frames, and each (point, signal,
    alpha)'s best value once found."""

    def __init__(self, parts: list[tuple[str, list[pd.DataFrame]]]) -> None:
        self.at: set[str] = set()
        self.moves: set[tuple[str, str]] = set()
        self.frames: list[pd.DataFrame] = []
        self.best: dict[tuple[str, str, float], dict[str, Any] | None] = {}
        for points, (frame,) in parts:
            self.add(json.loads(points), frame)

    def add(self, points: dict[str, Any], frame: pd.DataFrame) -> None:
        self.at.update(points["at"])
        self.moves.update((s, t) for s, t in points["moves"])
        self.frames.append(_concentration_frame(frame))


def _concentration_counts(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    attrs: list[str],
    at: list[str],
    moves: list[tuple[str, str]],
    visits: _Visits,
) -> tuple[pd.DataFrame, dict[tuple[str, str, float], dict[str, Any] | None]]:
    """``friction/concentration``'s counts for the touchpoints ``at`` and transitions
    ``moves``, with a ``point`` column, and the dict that keeps each (point, signal, alpha)'s
    best value found. Each point's counts depend on that point alone, so they are held by the
    model's cache (for the current visits) and only points not counted yet are read:
    re-weighting the ranking brings new points to the top, not new work for the old ones. A
    model kept in its dataset keeps each batch of points' counts there too, for the next
    session."""
    key = (visits.key, tuple(attrs))
    done: _Concentrations = model.cache.get_or_run(
        "concentration",
        key,
        lambda: _Concentrations(model.cache.parts("concentration", key, cur)),
        relations=True,
    )
    new_at = [t for t in at if t not in done.at]
    new_moves = [m for m in moves if m not in done.moves]
    if new_at or new_moves:
        visits.ensure()
        _concentration_views(cur, model, attrs, new_at, new_moves)
        points = {"at": new_at, "moves": [list(m) for m in new_moves]}
        (allc,) = model.cache.add_part(
            "concentration",
            key,
            [db.run(cur, "friction/concentration")],
            json.dumps(points),
            cur,
        )
        for view in ("concentration_visits", "concentration_steps", "concentration_moves"):
            db.drop_view(cur, view)
        cur.execute("drop table concentration_points")
        done.add(points, allc)
    counted: pd.DataFrame = pd.concat(done.frames, ignore_index=True)
    return counted, done.best


def _concentration_frame(allc: pd.DataFrame) -> pd.DataFrame:
    """``friction/concentration``'s answer with plain attribute names and a ``point`` column
    (a touchpoint, or "source → target"), without the journeys that have no value."""
    allc["attribute"] = allc["attribute"].str.removeprefix("attr:")
    allc["point"] = np.where(
        allc["point_type"] == "touchpoint",
        allc["touchpoint"],
        allc["source"] + " → " + allc["target"],
    )
    return allc[allc["segment"] != "(none)"]


def _best_value(mine: pd.DataFrame, alpha: float) -> dict[str, Any] | None:
    """The attribute value where one signal at one point is most concentrated, or None.

    ``mine`` holds the signal's ``units`` and ``affected`` at the point per ``attribute`` and
    value (``segment``); each value is tested against the point's other values of the same
    attribute."""
    mine = mine.copy()
    # each value against the point's other values of the same attribute
    tot = mine.groupby("attribute")[["affected", "units"]].transform("sum")
    mine["rest_k"] = tot["affected"] - mine["affected"]
    mine["rest_n"] = tot["units"] - mine["units"]
    mine = mine[(mine["units"] >= 20) & (mine["affected"] >= 5) & (mine["rest_n"] >= 20)]
    if mine.empty:
        return None
    mine = mine.reset_index(drop=True)
    stats = compare(mine["affected"], mine["units"], mine["rest_k"], mine["rest_n"])
    mine = pd.concat([mine.drop(columns=[c for c in stats.columns if c in mine]), stats], axis=1)
    mine["q"] = adjust(mine["p_value"])
    mine = mine[(mine["q"] < alpha) & (mine["lift"] > 1.5)]
    if mine.empty:
        return None
    top = mine.sort_values(
        ["lift", "affected", "attribute", "segment"],
        ascending=[False, False, True, True],
        kind="stable",
    ).iloc[0]
    return {
        "attribute": str(top["attribute"]),
        "value": str(top["segment"]),
        "rate": float(top["rate"]),
        "rest_rate": float(top["base_rate"]),
        "lift": float(top["lift"]),
        "units": int(top["units"]),
        "affected": int(top["affected"]),
        "q_value": float(top["q"]),
    }


# -- time ---------------------------------------------------------------------------------------


def _periods(
    table: pd.DataFrame,
    weekly_tp: pd.DataFrame,
    weekly_tr: pd.DataFrame,
    cache: Cache,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weekly series of each point's headline signal, and the period it is concentrated in.

    The model's ``cache`` holds the period of each weekly series already seen (re-weighting a
    ranking asks for the same ones again)."""
    if table.empty:
        return table, pd.DataFrame(columns=["point_id", "week", "units", "affected", "rate"])
    series: list[pd.DataFrame] = []
    starts: list[str | None] = []
    ends: list[str | None] = []
    for row in rows(table):
        sig = str(row["signal"])
        if row["point_type"] == "touchpoint" and sig in ("dropoff", *VISIT_SIGNALS):
            w = weekly_tp[weekly_tp["touchpoint"] == row["touchpoint"]]
            n, k = w[f"{sig}_n"], w[f"{sig}_k"]
        elif row["point_type"] == "transition" and sig == "loop":
            w = weekly_tr[
                (weekly_tr["source"] == row["source"]) & (weekly_tr["target"] == row["target"])
            ]
            n, k = w["loop_n"], w["loop_k"]
        else:
            starts.append(None)
            ends.append(None)
            continue
        s = pd.DataFrame(
            {
                "point_id": row["rank"],
                "week": w["week"].to_numpy(),
                "units": n.to_numpy(),
                "affected": k.to_numpy(),
            }
        )
        s["rate"] = np.where(s["units"] > 0, s["affected"] / s["units"].clip(lower=1), np.nan)
        series.append(s)
        seen = b"|".join(s[c].to_numpy().tobytes() for c in ("week", "units", "affected"))
        weeks, units, affected = s["week"], s["units"], s["affected"]
        a, b = cache.get_or_run(
            "active_period",
            seen,
            functools.partial(active_period, weeks, units, affected),
            slots=10_000,
        )
        starts.append(a)
        ends.append(b)
    table = table.copy()
    table["active_from"] = starts
    table["active_to"] = ends
    weekly = (
        pd.concat(series, ignore_index=True)
        if series
        else pd.DataFrame(columns=["point_id", "week", "units", "affected", "rate"])
    )
    return table, weekly


def active_period(
    weeks: pd.Series,
    units: pd.Series,
    affected: pd.Series,
    min_lift: float = 1.5,
    max_p: float = 0.001,
) -> tuple[str | None, str | None]:
    """The period a weekly rate is concentrated in, from change points (ruptures' binary
    segmentation on the weekly rates), if the rate inside is at least ``min_lift`` times the
    rate outside and a Fisher test says so (p < ``max_p``). Returns ISO dates (first day,
    last day), ``(None, None)`` when the rate is steady; an open end means still active.

    Examples
    --------
    >>> weeks = pd.Series(pd.date_range("2026-03-02", periods=20, freq="7D"))
    >>> units = pd.Series([100] * 20)
    >>> affected = pd.Series([5] * 8 + [50] * 6 + [5] * 6)
    >>> active_period(weeks, units, affected)
    ('2026-04-27', '2026-06-07')
    """

    ok = units.to_numpy() > 0
    if ok.sum() < 8:
        return None, None
    wk = pd.to_datetime(weeks.to_numpy()[ok])
    n = units.to_numpy()[ok].astype(float)
    k = affected.to_numpy()[ok].astype(float)
    rate = k / n
    if np.allclose(rate, rate[0]):
        return None, None
    best: tuple[float, int, int] | None = None
    for bkps in (1, 2):
        try:
            cuts = ruptures.Binseg(model="l2", min_size=2, jump=1).fit(rate).predict(n_bkps=bkps)
        except ruptures.exceptions.BadSegmentationParameters:
            continue
        bounds = [0, *cuts]
        for a, b in itertools.pairwise(bounds):
            if a == 0 and b == len(rate):
                continue
            inside_k, inside_n = k[a:b].sum(), n[a:b].sum()
            out_k, out_n = k.sum() - inside_k, n.sum() - inside_n
            if inside_n == 0 or out_n == 0 or (out_k == 0 and inside_k == 0):
                continue
            r_in, r_out = inside_k / inside_n, out_k / out_n
            if r_in < min_lift * max(r_out, 1e-9):
                continue
            p = compare(
                pd.Series([int(inside_k)]),
                pd.Series([int(inside_n)]),
                pd.Series([int(out_k)]),
                pd.Series([int(out_n)]),
            )["p_value"].iloc[0]
            if p >= max_p:
                continue
            lift = r_in / max(r_out, 1e-9)
            if best is None or lift > best[0]:
                best = (lift, a, b)
    if best is None:
        return None, None
    _, a, b = best
    start = wk[a].date().isoformat()
    end = None if b == len(rate) else (wk[b - 1] + pd.Timedelta(days=6)).date().isoformat()
    return start, end


# -- words ----------------------------------------------------------------------------------

_OUTCOME_PHRASE = {
    "no_goal": "without reaching a goal",
    "low_csat": "with a CSAT of 1 or 2",
    "detractor": "with an NPS detractor",
    "churned": "with a customer who churned",
}


def _explain(table: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    if table.empty:
        return table
    table = table.copy()
    table["journeys_affected"] = np.where(
        table["signal"].isin(["dropoff", "loop"]) | table["signal"].str.startswith("outcome:"),
        table["affected"],
        np.nan,
    )
    table["csat_delta"] = table.get("csat_mean", np.nan) - table.get("csat_all", np.nan)
    table["explanation"] = [_sentence(r, params) for r in rows(table)]
    keep = [
        "rank",
        "kind",
        "point",
        "point_type",
        "touchpoint",
        "source",
        "target",
        "segment",
        "score",
        "customers_affected",
        "journeys_affected",
        "units",
        "affected",
        "rate",
        "base_rate",
        "lift",
        "ci_low",
        "ci_high",
        "lift_ci_low",
        "lift_ci_high",
        "q_value",
        "p_value",
        "difference",
        "diff_ci_low",
        "diff_ci_high",
        "signals",
        "cycle",
        "concentration",
        "active_from",
        "active_to",
        "csat_delta",
        "wait_median",
        "wait_p90",
        "explanation",
        "signal",
    ]
    return table.reindex(columns=keep)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _sentence(r: dict[str, Any], params: dict[str, Any]) -> str:
    sig, point = str(r["signal"]), str(r["point"])
    rate, base = percent(r["rate"]), percent(r["base_rate"])
    ci = f"(95 % CI {percent(r['ci_low'])}–{percent(r['ci_high'])})"
    who = f"{int(r['customers_affected']):,} customers"
    where = f" among {r['segment']}" if _given(r.get("segment")) else ""
    if sig == "dropoff":
        text = (
            f"{rate} {ci} of journeys that reach {point}{where} end there without reaching "
            f"a goal, against {base} at other touchpoints; {who}."
        )
    elif sig == "loop":
        cyc = r.get("cycle")
        loop = f" ({' → '.join(cyc)})" if isinstance(cyc, list) and len(cyc) > 2 else ""
        text = (
            f"{rate} {ci} of journeys that go {point}{where} go round it again{loop}, "
            f"against {base} for other moves; {who}."
        )
    elif sig == "long_wait":
        limit = format_duration(params["long_wait_seconds"])
        med = format_duration(r.get("wait_median"))
        p90 = format_duration(r.get("wait_p90"))
        text = (
            f"{rate} {ci} of contacts at {point}{where} wait longer than {limit} (median "
            f"{med}, p90 {p90}), against {base} at other touchpoints; {who}."
        )
    elif sig == "transfer":
        text = (
            f"{rate} {ci} of contacts at {point}{where} are transferred, against {base} "
            f"elsewhere; {who}."
        )
    elif sig == "unresolved":
        text = (
            f"{rate} {ci} of contacts at {point}{where} end unresolved, against {base} "
            f"elsewhere; {who}."
        )
    elif sig == "abandoned":
        text = (
            f"{rate} {ci} of contacts at {point}{where} are abandoned, against {base} "
            f"elsewhere; {who}."
        )
    elif sig == "repeat_contact":
        days = format_duration(params["repeat_window_seconds"])
        text = (
            f"{rate} {ci} of contacts at {point}{where} are followed by another contact in "
            f"less than {days}, against {base} elsewhere; {who}."
        )
    elif sig == "channel_switch":
        text = (
            f"{rate} {ci} of visits to {point}{where} are followed by a switch to an "
            f"assisted channel, against {base} at other self-service steps; {who}."
        )
    else:
        phrase = _OUTCOME_PHRASE.get(sig.split(":", 1)[-1], "badly")
        text = (
            f"{rate} {ci} of journeys through {point}{where} end {phrase}, against {base} "
            f"of journeys that do not pass it; {who}."
        )
    conc = r.get("concentration")
    if isinstance(conc, dict):
        text += (
            f" Most concentrated where {conc['attribute']} = {conc['value']}: "
            f"{percent(conc['rate'])} against {percent(conc['rest_rate'])}."
        )
    if _given(r.get("active_from")):
        end = r["active_to"] if _given(r.get("active_to")) else "the end of the data"
        text += f" Concentrated from {r['active_from']} to {end}."
    return text
