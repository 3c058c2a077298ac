"""Grouping the causes of an effect on the bones of a fishbone, and the effects to offer."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from workbench.analyses.attributes import BONES
from workbench.analyses.causes.effects import Period, count_effect, parse_period
from workbench.analyses.causes.fishbone import Fishbone, choose_causes
from workbench.analyses.friction import VISIT_SIGNALS, FrictionRanking
from workbench.analyses.outcomes import prepare_setup, prepare_visits, visit_key
from workbench.analyses.voice import VoiceOfCustomer, reasons
from workbench.analyses.voice.links import ReasonEffect, Written, reason_effect, written
from workbench.core.durations import parse_duration
from workbench.core.errors import ValidationError
from workbench.core.records import rows
from workbench.journeys.model import JourneyModel


def effects_for(ranking: FrictionRanking) -> list[str]:
    """Effect keys to offer as choices: the signals of each ranked friction point, headline
    first, then for each goal the journeys that never reach it (``not_reached:<goal>``)."""
    out: list[str] = []
    for row in rows(ranking.table):
        for item in row["signals"]:
            sig = str(item["signal"])
            key = f"friction:{sig}:{row['point']}"
            if (sig in VISIT_SIGNALS or sig in ("dropoff", "loop")) and key not in out:
                out.append(key)
    out.extend(f"not_reached:{goal}" for goal in ranking.outcomes.goals)
    return out


def group_causes(
    model: JourneyModel,
    effect: str,
    *,
    bones: Mapping[str, str] | None = None,
    goals: list[str] | None = None,
    long_wait: str | float = "5min",
    repeat_window: str | float = "7d",
    survey_window: str = "7d",
    min_support: int = 30,
    min_affected: int = 10,
    alpha: float = 0.05,
    per_bone: int = 5,
    period: Period | None = None,
    contacts: Sequence[str] | None = None,
    voice: VoiceOfCustomer | None = None,
) -> Fishbone:
    """Group the causes of ``effect`` on the six bones of a fishbone.

    Parameters
    ----------
    model
        Journeys (with surveys and customers loaded, their attributes and outcomes count too).
    effect
        See the module docstring, e.g. ``"friction:unresolved:Support call"``, ``"low_csat"``,
        ``"no_goal:Fault resolved"``, ``"churned"``.
    bones
        Move attributes to other bones: ``{"queue": "Policy & information"}``.
    goals, long_wait, repeat_window, survey_window, contacts
        As for :func:`workbench.rank_friction`.
    min_support, min_affected
        A cause needs at least this many units with it, and this many of them affected.
    alpha
        False-discovery level (Benjamini-Hochberg) across all candidate causes.
    per_bone
        Causes shown per bone; the rest are counted in ``left_out``.
    period
        Count only the units whose time falls in this period: ``(first day, last day)``, both
        included, as dates or ISO dates. A contact's or step's time is when it happened, a
        journey's when it started, a customer's when their last journey started. Affected and
        unaffected units alike are limited, so the fishbone says what goes with the effect
        during the period. ``None`` (the default) counts the whole log.
    voice
        What customers wrote, grouped into reasons (the user's renamed, merged and split ones):
        each reason is then a candidate cause on the *Policy & information* bone (the units
        whose customers wrote it), and a ``reason:<label>`` effect reads its journeys from it
        (:func:`workbench.reasons` of the model when None).

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", customers="sample_data/customers.csv")
    >>> fb = wb.group_causes(wb.build_journeys(log), "friction:unresolved:Support call")
    >>> fb.leader("People")["value"]
    'Tech Support B'
    >>> crisis = wb.group_causes(
    ...     wb.build_journeys(log),
    ...     "friction:transfer:Moving call",
    ...     period=("2026-05-04", "2026-06-28"),
    ... )
    >>> crisis.title
    'Transfers (friction at Moving call), 2026-05-04 to 2026-06-28'
    """
    days = parse_period(period)
    reason, wrote = _reasons(model, effect, voice)
    wait_s, repeat_s = (
        parse_duration(long_wait, "long wait"),
        parse_duration(repeat_window, "repeat window"),
    )
    with model.using() as cur:
        setup = prepare_setup(model, cur, goals, survey_window, contacts)
        roles = setup.roles
        bone_of = dict(roles.bones)
        for attr, bone in (bones or {}).items():
            if bone not in BONES:
                raise ValidationError(
                    f"There is no bone '{bone}'; bones: {', '.join(BONES)}.", "Unknown bone"
                )
            if attr not in bone_of:
                raise ValidationError(
                    f"There is no attribute '{attr}' to move.", "Unknown attribute"
                )
            bone_of[attr] = bone
        span = (days[0].isoformat(), days[1].isoformat()) if days else None
        key = (
            visit_key(goals, survey_window, repeat_s, wait_s, contacts=contacts),
            effect,
            span,
            reason.key if reason else None,
            wrote.key if wrote else None,
        )

        def count() -> list[pd.DataFrame]:
            prepare_visits(model, cur, goals, survey_window, repeat_s, wait_s, contacts=contacts)
            *head, counts = count_effect(cur, model, effect, setup, days, reason, wrote)
            return [pd.DataFrame([dict(zip(_HEAD, head, strict=True))]), counts]

        head, counts = model.cache.get_or_run(
            "causes", key, count, cur=cur, keep=True, slots=_KEEP_COUNTS
        )
        first = head.iloc[0]
        unit, title = str(first["unit"]), str(first["title"])
        population, affected = int(first["population"]), int(first["affected"])
    for attr, bone in (bones or {}).items():  # moving a bone relabels, it counts nothing new
        counts.loc[counts["attribute"] == attr, "bone"] = bone
    causes, left_out = choose_causes(
        counts, population, affected, min_support, min_affected, alpha, per_bone
    )
    params = {
        "min_support": min_support,
        "min_affected": min_affected,
        "alpha": alpha,
        "per_bone": per_bone,
        "goals": list(setup.goals),
        "period": list(span) if span else None,
    }
    return Fishbone(
        effect,
        title,
        unit,
        population,
        affected,
        affected / population if population else math.nan,
        causes,
        left_out,
        bone_of,
        params,
        elsewhere_rate=_elsewhere_rate(first),
    )


def _reasons(
    model: JourneyModel, effect: str, voice: VoiceOfCustomer | None
) -> tuple[ReasonEffect | None, Written | None]:
    """The journeys of a ``reason:<label>`` effect (None for other effects), and what customers
    wrote as evidence (None when no reasons were given nor needed)."""
    kind, _, label = effect.partition(":")
    if kind != "reason" and voice is None:
        return None, None
    voice = voice if voice is not None else reasons(model)
    reason = reason_effect(model, voice, label) if kind == "reason" else None
    return reason, written(model, voice, reason.reasons if reason else ())


#: How many effects' counts a model keeps (picking an effect again, moving a bone or changing a
#: floor then reads no event).
_KEEP_COUNTS = 8
#: What an effect's counts say besides the table of causes (kept with them as one row).
_HEAD = ("unit", "title", "population", "affected", "elsewhere_units", "elsewhere_affected")


def _elsewhere_rate(head: pd.Series) -> float | None:
    """The effect's rate at the other points (``None``: the effect is not at a point, or no
    other point can show it)."""
    units = int(head["elsewhere_units"])
    return int(head["elsewhere_affected"]) / units if units > 0 else None
