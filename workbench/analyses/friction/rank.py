"""Rank friction points: count the signals, test each candidate against its base rate, find
where and when each point is concentrated, and say it in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from workbench.analyses.friction.candidates import gather_candidates, headline_points, judge
from workbench.analyses.friction.changes import Floors
from workbench.analyses.friction.concentration import concentrate
from workbench.analyses.friction.counts import Visits, count_signals
from workbench.analyses.friction.explain import explain
from workbench.analyses.friction.findings import (
    Changes,
    find_changes,
    from_kept,
    keepable,
    one_ranking,
)
from workbench.analyses.friction.periods import active_periods
from workbench.analyses.friction.reaches import BELOW_FLOOR_COLUMNS, floor_sentence
from workbench.analyses.friction.signals import (
    DEFAULT_WEIGHTS,
    MECHANISMS,
    SCORE_FORMULA,
)
from workbench.analyses.outcomes import OutcomeSetup, prepare_setup, transfer_steps
from workbench.core.durations import parse_duration
from workbench.core.errors import ValidationError
from workbench.core.progress import Progress, Stages
from workbench.core.records import json_rows
from workbench.journeys.model import JourneyModel


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
    candidates_below_floor, not_significant
        How many (point, signal) comparisons were below the support floors, and how many
        above them were not significant.
    below_floor
        What had too few journeys to be tested against its own history or the other segments:
        ``attribute`` (``touchpoint`` for a point), ``value``, ``journeys`` and ``floor``
        (see :func:`workbench.analyses.friction.reaches.below_floor`); never dropped silently.
    period_note
        How the history was read when the log is too short for weeks ('' when week by week).
    """

    table: pd.DataFrame
    candidates: pd.DataFrame
    weekly: pd.DataFrame
    outcomes: OutcomeSetup
    params: dict[str, Any]
    candidates_below_floor: int
    not_significant: int
    formula: str = SCORE_FORMULA
    segment_note: str = field(default="")
    below_floor: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(BELOW_FLOOR_COLUMNS))
    )
    period_note: str = ""

    def below_floor_sentence(self) -> str:
        """:attr:`below_floor` in one plain sentence ('' when everything was tested)."""
        return floor_sentence(self.below_floor)

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` highest-scoring friction points."""
        return self.table.head(n)

    def to_json(self) -> dict[str, Any]:
        """The document ``python -m workbench friction`` prints."""
        cols = [
            "rank",
            "finding",
            "baseline",
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
        return {  # the goals in use head the document: every finding depends on them
            "goals": list(self.outcomes.goals),
            "goals_guessed": self.outcomes.goals_guessed,
            "transfers": list(self.params.get("transfers", [])),
            "formula": self.formula,
            "outcomes": list(self.outcomes.available),
            "params": self.params,
            "period_note": self.period_note,
            "candidates_below_floor": self.candidates_below_floor,
            "not_significant": self.not_significant,
            "below_floor": json_rows(self.below_floor),
            "friction": json_rows(self.table.reindex(columns=cols)),
        }


#: The stages of a friction ranking, with their usual shares of the time (10M events).
FRICTION_STAGES = (
    ("Linking outcomes and every step's contact signals", 14.0),
    ("Counting the signals at each touchpoint and move", 12.0),
    ("Testing each candidate against its base rate", 1.0),
    ("Finding where each point is concentrated", 10.0),
    ("Finding what changed, when and for whom", 6.0),
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
    transfers: Sequence[str] | None = None,
    concentration: bool = True,
    top: int = 15,
    progress: Progress | None = None,
    contacts: Sequence[str] | None = None,
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
    transfers
        Touchpoints that are transfers (a transfer, an escalation, a second line): a contact
        followed by one counts as transferred, beside any transfer column. Recognised by their
        names when not given (:func:`workbench.analyses.outcomes.transfer_steps`); ``()``
        marks none.
    concentration
        Look for the segment value where each of the ``top`` points is concentrated most.
    progress
        Called with the fraction done and what is being done as each stage starts (see
        :mod:`workbench.core.progress`); at 10M events a first ranking takes about 40 s, a ranking
        from counts the model already keeps well under a second.
    contacts
        The channels (or touchpoints) that count as contacts; ``None`` guesses them from their
        names (:func:`workbench.analyses.contacts.classify_contacts`).

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
        "transfers": transfer_steps(model, transfers),
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
        setup = prepare_setup(model, cur, goals, survey_window, contacts)
        visits = Visits(model, cur, goals, survey_window, repeat_s, wait_s, transfers, contacts)
        stages.start("Counting the signals at each touchpoint and move")
        tp, tpo, totals, tr, loops, weekly_tp, weekly_tr = count_signals(
            cur, model, segment, visits
        )
        stages.start("Testing each candidate against its base rate")
        candidates = gather_candidates(tp, tpo, totals, tr, setup.available)
        candidates = judge(candidates, min_units, min_affected, alpha, w)
        table = headline_points(candidates, loops)
        if concentration and not table.empty and segment is None:
            stages.start("Finding where each point is concentrated")
            table = concentrate(cur, model, table.head(top), setup.roles, alpha, visits).pipe(
                lambda head: pd.concat([head, table.iloc[top:]], ignore_index=True)
            )
        stages.start("Finding what changed, when and for whom")
        changes = (
            _changes(model, cur, setup, Floors(min_units, min_affected, alpha))
            if segment is None
            else None
        )
    stages.start("Finding when each point began")
    table, weekly = active_periods(table, weekly_tp, weekly_tr, model.cache)
    table = explain(table, params, model.customer_noun)
    table, weekly = one_ranking(table, weekly, changes)
    stages.done()
    below = int((~candidates["supported"]).sum())
    not_sig = int((candidates["supported"] & ~candidates["significant"]).sum())
    note = f"ranked within each value of '{segment}'" if segment else ""
    ranking = FrictionRanking(
        table, candidates, weekly, setup, params, below, not_sig, segment_note=note
    )
    if changes is None:
        return ranking
    return replace(ranking, below_floor=changes.below_floor, period_note=changes.note)


def _changes(model: JourneyModel, cur: Any, setup: OutcomeSetup, floors: Floors) -> Changes:
    """The incidents and segment findings, once per model, goals and floors: kept beside a
    kept model, so a later session reads them back."""
    contacts = setup.contacts.contacts if setup.contacts else None
    key = (setup.goals, setup.survey_window, floors, contacts)

    def find() -> list[pd.DataFrame]:
        return keepable(find_changes(model, cur, floors, setup.roles, setup.goals))

    kept = model.cache.get_or_run("friction_changes", key, find, cur=cur, keep=True)
    return from_kept(kept)
