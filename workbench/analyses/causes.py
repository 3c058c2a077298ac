"""Causes of an effect, grouped Ishikawa-style from the data.

The analyst picks an *effect* -- a friction signal, or an outcome:

====================================== ====================================================
effect                                 measured on
====================================== ====================================================
``friction:<signal>:<point>``          a contact-level signal (long_wait, transfer,
                                       unresolved, abandoned, repeat_contact,
                                       channel_switch): every contact or step where it can
                                       be seen; the point's touchpoint is one of the causes
``friction:dropoff:<touchpoint>``      journeys through the touchpoint
``friction:loop:<source> → <target>``  journeys that make the transition
``no_goal:<touchpoint>``               journeys heading to the touchpoint (they visit a
                                       touchpoint whose journeys reach it 70 % of the time)
``not_reached:<touchpoint>``           all journeys: the effect is never reaching the
                                       touchpoint (a goal: who does not buy, and who they are)
``has:<touchpoint>``                   all journeys
``low_csat``                           journeys with a CSAT answer
``detractor``, ``churned``             customers with an NPS answer / in the customer list
====================================== ====================================================

Every attribute value (team = B, device = android, month = 2026-05, segment = Youth,
visits Support call ...) is a candidate cause: the effect's rate among units with it is compared
with the rate among the rest (Fisher test, Benjamini-Hochberg across all candidates, a support
floor). The causes that raise the effect sit on their bone -- People, Process, Channel &
technology, Policy & information, Time & environment, Customer -- strongest first, where
*strongest* means the most affected units explained beyond the base rate
(``explained = affected - units x rate without``). Causes below the floor or not significant are
left out and counted; so are touchpoints and channels that 95 % of the affected journeys pass
(they are the effect's own path: a loop through the IVR goes through the IVR).

An effect can be limited to a period (``period=("2026-05-04", "2026-06-28")``): only the units
whose time falls in it are counted, affected or not, so the fishbone says what went with the
effect *during* the period (a crisis, a campaign) rather than over the whole log.

This is association, not proof of causation: a fishbone points where to look.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from workbench.analyses.attributes import BONES
from workbench.analyses.friction import VISIT_SIGNALS, FrictionRanking
from workbench.analyses.outcomes import OutcomeSetup, prepare_setup, prepare_visits, visit_key
from workbench.core import db
from workbench.core.db import quote_ident, quote_literal
from workbench.core.durations import parse_duration
from workbench.core.errors import ValidationError
from workbench.core.records import json_rows, rows
from workbench.core.stats import adjust, compare, percent
from workbench.journeys.model import JourneyModel

CAUSE_COLUMNS = [
    "bone",
    "attribute",
    "value",
    "label",
    "units",
    "affected",
    "rate",
    "rate_without",
    "effect_size",
    "ci_low",
    "ci_high",
    "lift",
    "lift_ci_low",
    "lift_ci_high",
    "q_value",
    "explained",
    "manual",
]
_MAX_VALUES = 50
#: A period to limit an effect to: its first and last day (both included), as dates or ISO
#: dates.
Period = tuple[date | str, date | str]
#: A journey is heading to a touchpoint when it visits one whose journeys reach it this often.
HEADING_SHARE = 0.7
#: A touchpoint or channel that this share of the affected journeys pass is part of the
#: effect's path, not a cause of it, and is left out.
PATH_SHARE = 0.95
_SIGNAL_ROLE = {
    "long_wait": "wait",
    "transfer": "transferred",
    "unresolved": "resolved",
    "abandoned": "abandoned",
}
_TITLES = {
    "long_wait": "Long waits",
    "transfer": "Transfers",
    "unresolved": "Unresolved contacts",
    "abandoned": "Abandoned contacts",
    "repeat_contact": "Repeat contacts",
    "channel_switch": "Switches from self-service to an assisted channel",
}


@dataclass(frozen=True)
class Fishbone:
    """An effect and the causes on each bone, with the evidence for each.

    Attributes
    ----------
    effect, title
        The effect's key (``"friction:unresolved:Support call"``) and a title for people.
    unit
        What is counted: ``contacts``, ``journeys`` or ``customers``.
    population, affected
        Units measured and units showing the effect; ``base_rate`` = affected / population.
    causes
        One row per cause shown: ``bone``, ``attribute``, ``value``, ``label``, ``units``
        (support), ``affected``, ``rate`` and ``rate_without``, ``effect_size`` (the rate
        difference) with ``ci_low``/``ci_high``, ``lift`` with its interval, ``q_value``,
        ``explained`` and ``manual`` (added by hand in a workshop).
    left_out
        Per bone, how many candidate causes were left out (below the support floor, not
        significant, or beyond ``per_bone``).
    bone_of
        The bone each attribute was put on (defaults, then the analyst's moves).
    """

    effect: str
    title: str
    unit: str
    population: int
    affected: int
    base_rate: float
    causes: pd.DataFrame
    left_out: dict[str, int]
    bone_of: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)
    caveat: str = "Association, not proof of causation: these are places to look."

    def bone(self, name: str) -> pd.DataFrame:
        """The causes on one bone, strongest first."""
        return self.causes[self.causes["bone"] == name].reset_index(drop=True)

    def leader(self, bone: str) -> dict[str, Any] | None:
        """The strongest data-driven cause on ``bone`` (``None`` when the bone is empty)."""
        rows = self.causes[(self.causes["bone"] == bone) & ~self.causes["manual"]]
        return None if rows.empty else dict(rows.iloc[0])

    def with_manual(self, bone: str, text: str) -> Fishbone:
        """A copy with a hand-written cause on ``bone`` (marked as manual, no numbers)."""
        if bone not in BONES:
            raise ValidationError(
                f"There is no bone '{bone}'; bones: {', '.join(BONES)}.", "Unknown bone"
            )
        if not text.strip():
            raise ValidationError("Write what the cause is.", "Empty cause")
        row: dict[str, Any] = {c: None for c in CAUSE_COLUMNS}
        row.update(
            {
                "bone": bone,
                "attribute": "workshop",
                "value": text.strip(),
                "label": f"{text.strip()} (workshop)",
                "manual": True,
            }
        )
        causes = pd.concat([self.causes, pd.DataFrame([row])], ignore_index=True)
        return replace(self, causes=causes)

    def summary(self) -> str:
        """``"Unresolved contacts: 712 of 3,120 contacts (23 %)"``."""
        return (
            f"{self.title}: {self.affected:,} of {self.population:,} {self.unit} "
            f"({percent(self.base_rate)})"
        )

    def to_json(self) -> dict[str, Any]:
        """The document ``python -m workbench causes`` prints."""
        bones = []
        for name in BONES:
            rows = self.bone(name)
            bones.append(
                {
                    "name": name,
                    "causes": json_rows(
                        rows.reindex(
                            columns=[
                                "attribute",
                                "value",
                                "label",
                                "effect_size",
                                "ci_low",
                                "ci_high",
                                "support",
                                "lift",
                                "lift_ci_low",
                                "lift_ci_high",
                                "rate",
                                "rate_without",
                                "affected",
                                "explained",
                                "q_value",
                                "manual",
                            ]
                        ).assign(support=rows["units"].to_numpy() if len(rows) else [])
                    ),
                    "left_out": self.left_out.get(name, 0),
                }
            )
        return {
            "effect": self.effect,
            "title": self.title,
            "unit": self.unit,
            "population": self.population,
            "affected": self.affected,
            "base_rate": self.base_rate,
            "bones": bones,
            "bone_of": self.bone_of,
            "params": self.params,
            "caveat": self.caveat,
        }


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
    days = _period(period)
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
        key = (visit_key(goals, survey_window, repeat_s, wait_s, contacts), effect, span)

        def count() -> list[pd.DataFrame]:
            prepare_visits(model, cur, goals, survey_window, repeat_s, wait_s, contacts)
            *head, counts = _count_effect(cur, model, effect, setup, days)
            return [pd.DataFrame([dict(zip(_HEAD, head, strict=True))]), counts]

        head, counts = model.cache.get_or_run(
            "causes", key, count, cur=cur, keep=True, slots=_KEEP_COUNTS
        )
        first = head.iloc[0]
        unit, title = str(first["unit"]), str(first["title"])
        population, affected = int(first["population"]), int(first["affected"])
    for attr, bone in (bones or {}).items():  # moving a bone relabels, it counts nothing new
        counts.loc[counts["attribute"] == attr, "bone"] = bone
    causes, left_out = _causes(
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
    )


#: How many effects' counts a model keeps (picking an effect again, moving a bone or changing a
#: floor then reads no event).
_KEEP_COUNTS = 8
#: What an effect's counts say besides the table of causes (kept with them as one row).
_HEAD = ("unit", "title", "population", "affected")


def _count_effect(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    effect: str,
    setup: OutcomeSetup,
    days: tuple[date, date] | None,
) -> tuple[str, str, int, int, pd.DataFrame]:
    """The unit, title, population, affected units and candidate counts of ``effect`` (its
    units limited to the period ``days``, both days included), with each attribute on its
    default bone."""
    kind, _, rest = effect.partition(":")
    roles = setup.roles
    unit, title, exclude = _units(cur, model, kind, rest, setup.available, roles, _bounds(days))
    totals = cur.execute(
        "select count(*), coalesce(count_if(effect), 0) from cause_units"
    ).fetchone()
    population, affected = (int(totals[0]), int(totals[1])) if totals else (0, 0)
    if population == 0:
        during = f" from {days[0]} to {days[1]}" if days else ""
        raise ValidationError(
            f"No {unit} can show the effect '{effect}' in this data{during}.",
            "Nothing to explain",
        )
    if days:
        title = f"{title}, {days[0]} to {days[1]}"
    bad = {
        a: v
        for a, v in ((roles.transferred, True), (roles.resolved, False), (roles.abandoned, True))
        if a
    }
    counts = _feature_counts(cur, model, unit, dict(roles.bones), exclude, bad)
    return unit, title, population, affected, counts


def _period(period: Period | None) -> tuple[date, date] | None:
    """The first and last day of ``period`` (two dates or ISO dates, both days included)."""
    if period is None:
        return None
    how = (
        "Write the period as its first and last day, FROM..TO, e.g. 2026-05-04..2026-06-28 "
        "(both days included)."
    )
    if isinstance(period, str) or len(period) != 2:
        raise ValidationError(f"A period is two dates. {how}", "Period not understood")
    days = []
    for which, end in zip(("first", "last"), period, strict=True):
        if isinstance(end, date):
            days.append(end.date() if isinstance(end, datetime) else end)
            continue
        if not str(end).strip():
            raise ValidationError(f"The period has no {which} day. {how}", "Period not understood")
        try:
            days.append(date.fromisoformat(str(end).strip()))
        except ValueError:
            raise ValidationError(
                f"'{end}' is not a date (the period's {which} day). {how}",
                "Period not understood",
            ) from None
    first, last = days
    if first > last:
        raise ValidationError(
            f"The period ends ({last}) before it starts ({first}). {how}", "Period not understood"
        )
    return first, last


def _bounds(days: tuple[date, date] | None) -> dict[str, Any]:
    """The moments a unit's time must fall between, as the units queries bind them: from the
    first day's midnight, up to (not including) the midnight after the last day."""
    if days is None:
        return {"period_from": None, "period_to": None}
    first, last = days
    return {
        "period_from": datetime.combine(first, time()),
        "period_to": datetime.combine(last + timedelta(days=1), time()),
    }


def _units(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    kind: str,
    rest: str,
    available: tuple[str, ...],
    roles: Any,
    bounds: dict[str, Any],
) -> tuple[str, str, set[tuple[str, str]]]:
    """Create ``cause_units`` (only the units whose time is within ``bounds``); return (unit,
    title, excluded (attribute, value) features)."""
    names = set(model.touchpoints["touchpoint"])
    blank = {"touchpoint": "", "source": "", "target": "", "heading": [""]}

    def journeys(effect: str, **given: Any) -> None:
        db.materialize(
            cur,
            "causes/journey_units",
            "cause_units",
            temp=True,
            effect=effect,
            **{**blank, **given, **bounds},
        )

    if kind == "friction":
        return _friction_units(cur, rest, names, roles, bounds, journeys)
    if kind == "no_goal":
        _known(rest, names)
        heading = db.run(cur, "causes/heading_to", touchpoint=rest, share=HEADING_SHARE)
        journeys("no_goal", touchpoint=rest, heading=heading["touchpoint"].tolist() or [""])
        return "journeys", f"Journeys heading to {rest} that do not reach it", {("visits", rest)}
    if kind == "not_reached":
        _known(rest, names)
        journeys("not_reached", touchpoint=rest)
        # the goal is what the affected journeys lack, not a cause; the steps on the way to it
        # lower the rate (they are never offered) and what nearly every journey passes is left
        # out with the path (_without_the_path)
        return "journeys", f"Journeys that never reach {rest}", {("visits", rest)}
    if kind == "has":
        _known(rest, names)
        journeys("has", touchpoint=rest)
        return "journeys", f"Journeys that pass {rest}", {("visits", rest)}
    if kind == "low_csat":
        if "low_csat" not in available:
            raise ValidationError(
                "There are no CSAT answers tied to journeys; load surveys.", "No CSAT"
            )
        journeys("low_csat")
        return "journeys", "Journeys with a CSAT of 1 or 2", set()
    if kind in ("detractor", "churned"):
        if kind not in available:
            what = "NPS answers" if kind == "detractor" else "a churned flag in the customers"
            raise ValidationError(f"The data has no {what}.", "Outcome not available")
        db.materialize(
            cur, "causes/customer_units", "cause_units", temp=True, effect=kind, **bounds
        )
        title = "NPS detractors (0-6)" if kind == "detractor" else "Customers who churned"
        return "customers", title, set()
    raise ValidationError(
        f"'{kind}' is not an effect. Use friction:<signal>:<point>, no_goal:<touchpoint>, "
        "not_reached:<touchpoint>, has:<touchpoint>, low_csat, detractor or churned.",
        "Unknown effect",
    )


def _friction_units(
    cur: duckdb.DuckDBPyConnection,
    rest: str,
    names: set[str],
    roles: Any,
    bounds: dict[str, Any],
    journeys: Callable[..., None],
) -> tuple[str, str, set[tuple[str, str]]]:
    """``cause_units`` of a friction effect (``rest`` is ``<signal>:<point>``)."""
    signal, _, point = rest.partition(":")
    if signal in VISIT_SIGNALS:
        db.materialize(cur, "causes/visit_units", "cause_units", temp=True, signal=signal, **bounds)
        # the flags of the same contact are its outcomes, not its causes (a transferred
        # call is not resolved by the first agent); repeat contacts and switches keep them
        excluded: set[tuple[str, str]] = set()
        if signal in _SIGNAL_ROLE:
            flags = [roles.transferred, roles.resolved, roles.abandoned]
            if signal == "long_wait":
                flags.append(roles.wait)
            excluded = {(a, "*") for a in flags if a}
        unit = "steps" if signal == "channel_switch" else "contacts"
        return unit, f"{_TITLES[signal]} (friction at {point})", excluded
    if signal == "dropoff":
        _known(point, names)
        journeys("dropoff", touchpoint=point)
        return "journeys", f"Journeys that end at {point} without a goal", {("visits", point)}
    if signal == "loop":
        source, _, target = point.partition(" → ")
        _known(source, names)
        _known(target, names)
        journeys("loop", source=source, target=target)
        return "journeys", f"Journeys that go round {source} → {target} again", set()
    raise ValidationError(
        f"'{signal}' is not a friction signal with causes; use one of "
        f"{', '.join((*VISIT_SIGNALS, 'dropoff', 'loop'))}.",
        "Unknown effect",
    )


def _known(touchpoint: str, names: set[str]) -> None:
    if touchpoint not in names:
        raise ValidationError(
            f"There is no touchpoint '{touchpoint}' in these journeys.", "Unknown touchpoint"
        )


@dataclass(frozen=True)
class _Feature:
    """One attribute offered as a cause: its value as text, from one source table.

    ``labels`` (every value it can take) are needed only when a unit has many rows: the
    values each unit has are then collected as one bit set per unit.
    """

    bone: str
    attribute: str
    value: str
    labels: tuple[str, ...] | None = None
    #: the label's position, when cheaper than looking the value up among the labels
    code: str | None = None


def _feature_counts(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    unit: str,
    bone_of: dict[str, str],
    exclude: set[tuple[str, str]],
    signal_values: dict[str, bool],
) -> pd.DataFrame:
    """(bone, attribute, value, units, affected) for every candidate cause.

    ``signal_values`` gives, for the flag attributes, the value that is bad (transferred:
    true, resolved: false).

    Each source (steps, events, the units themselves, customers) is read once for all its
    attributes. When a unit is one row of the source (a contact, a step), every attribute is
    counted in one grouping; when a unit has many rows (a journey's steps, a customer's
    events), each unit's values of an attribute are first gathered into one bit set
    (``bitstring_agg``), so that a unit counts once per value however many of its rows have it.
    """
    excluded_attrs = {a for a, v in exclude if v == "*"}
    per_unit = unit in ("journeys", "customers")
    # the steps (and through their row numbers, the events) each unit is about
    db.create_view(
        cur,
        "causes/cause_steps",
        "cause_steps",
        temp=True,
        by_journey=unit == "journeys",
        by_customer=unit == "customers",
    )
    steps = _step_features(cur, unit, bone_of, per_unit)
    events = _event_features(cur, model, bone_of, excluded_attrs, signal_values, per_unit)
    customers = _customer_features(cur, model, bone_of)
    parts = [
        _count_values(cur, _time_features(), "cause_units u"),
        _count_values(
            cur, customers, "cause_units u join customers c on u.customer_key = c.customer_key"
        ),
    ]
    for features, source in (
        (steps, "cause_steps u"),
        (events, "cause_steps u join events e on e.row_no = u.row_no"),
    ):
        count = _count_sets if per_unit else _count_values
        parts.append(count(cur, features, source))
    counts = _concat(parts)
    if exclude:
        drop = counts.apply(lambda r: (r["attribute"], r["value"]) in exclude, axis=1)
        counts = counts[~drop]
    if unit == "journeys":
        counts = _without_the_path(cur, counts)
    return counts.reset_index(drop=True)


def _step_features(
    cur: duckdb.DuckDBPyConnection, unit: str, bone_of: dict[str, str], per_unit: bool
) -> list[_Feature]:
    """The touchpoint (or, for whole journeys and customers, the visits) and the channel of
    the steps each unit is about."""
    label = "touchpoint" if unit in ("contacts", "steps") else "visits"
    steps = []
    for attr, bone in (("touchpoint", "Process"), ("channel", None)):
        labels = db.enum_values(cur, "steps", attr) if per_unit else None
        steps.append(
            _Feature(
                bone or bone_of.get(attr, "Channel & technology"),
                label if attr == "touchpoint" else attr,
                f"cast(u.{attr} as varchar)",
                labels,
                f"enum_code(u.{attr})",
            )
        )
    return steps


def _event_features(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    bone_of: dict[str, str],
    excluded_attrs: set[str],
    signal_values: dict[str, bool],
    per_unit: bool,
) -> list[_Feature]:
    """The event attributes worth counting: flags (for a whole journey, its bad value only),
    text with a few values, and numbers in quartile bands."""
    log = model.log
    categorical = [
        a
        for a, t in log.attributes.items()
        if a in bone_of and a not in excluded_attrs and t in ("VARCHAR", "BOOLEAN")
    ]
    event_values = db.distinct_counts(cur, "events", categorical)
    wanted_strings = [
        a
        for a in categorical
        if log.attributes[a] == "VARCHAR" and 2 <= event_values[a] <= _MAX_VALUES * 4
    ]
    string_labels = db.distinct_values(cur, "events", wanted_strings) if per_unit else {}
    events: list[_Feature] = []
    for attr, typ in log.attributes.items():
        if attr not in bone_of or attr in excluded_attrs:
            continue
        q = f"e.{quote_ident(attr)}"
        if typ == "BOOLEAN" and per_unit:
            # a journey (or customer) "had" a transfer / an unresolved contact; that it also
            # had a contact that was not transferred says nothing
            wanted = str(signal_values.get(attr, True)).lower()
            events.append(
                _Feature(
                    bone_of[attr],
                    attr,
                    f"case when {q} = {wanted} then '{wanted}' end",
                    (wanted,),
                )
            )
        elif typ == "BOOLEAN":
            if event_values[attr] >= 2:
                events.append(_Feature(bone_of[attr], attr, f"cast({q} as varchar)"))
        elif typ == "VARCHAR":
            if attr in wanted_strings:
                events.append(_Feature(bone_of[attr], attr, q, string_labels.get(attr)))
        else:
            band = _bands(cur, "events", attr)
            if band:
                events.append(_Feature(bone_of[attr], attr, band[0].replace("__v__", q), band[1]))
    return events


def _time_features() -> list[_Feature]:
    """Month, weekday and two-hour slot of each unit (a customer's: of their last journey)."""
    ts = "u.ts"
    time_bone = "Time & environment"
    return [
        _Feature(time_bone, "month", f"strftime({ts}, '%Y-%m')"),
        _Feature(time_bone, "weekday", f"dayname({ts})"),
        _Feature(
            time_bone,
            "hour",
            f"lpad(cast(hour({ts}) // 2 * 2 as varchar), 2, '0') || '-' || "
            f"lpad(cast(hour({ts}) // 2 * 2 + 2 as varchar), 2, '0')",
        ),
    ]


def _customer_features(
    cur: duckdb.DuckDBPyConnection, model: JourneyModel, bone_of: dict[str, str]
) -> list[_Feature]:
    """The customer list's attributes worth counting: text with a few values, numbers in
    quartile bands."""
    log = model.log
    cust_attrs = log.customer_report.attribute_types if log.customer_report else {}
    customer_values = db.distinct_counts(
        cur,
        "customers",
        [a for a, t in cust_attrs.items() if a in bone_of and t in ("VARCHAR", "BOOLEAN")],
    )
    customers: list[_Feature] = []
    for attr, typ in cust_attrs.items():
        if attr not in bone_of:
            continue
        q = f"c.{quote_ident(attr)}"
        if typ in ("VARCHAR", "BOOLEAN"):
            if 2 <= customer_values[attr] <= _MAX_VALUES:
                customers.append(_Feature(bone_of[attr], attr, f"cast({q} as varchar)"))
        else:
            band = _bands(cur, "customers", attr)
            if band:
                customers.append(_Feature(bone_of[attr], attr, band[0].replace("__v__", q)))
    return customers


def _without_the_path(cur: duckdb.DuckDBPyConnection, counts: pd.DataFrame) -> pd.DataFrame:
    """Leave out the touchpoints and channels nearly every affected journey passes: they
    describe the effect (the path of a loop, the way to a drop-off), they do not explain it."""
    total = cur.execute("select count_if(effect) from cause_units").fetchone()
    k = int(total[0]) if total else 0
    path = counts["attribute"].isin(["visits", "channel"])
    return counts[~(path & (counts["affected"] >= PATH_SHARE * k))]


_COUNT_COLUMNS = ["bone", "attribute", "value", "units", "affected"]


def _count_values(
    cur: duckdb.DuckDBPyConnection, features: list[_Feature], source: str
) -> pd.DataFrame:
    """Units and affected units per value, one row of ``source`` per unit, in one grouping.

    ``source`` gives each row's ``u.effect`` beside the table the values are read from.
    """
    if not features:
        return pd.DataFrame(columns=_COUNT_COLUMNS)
    values = ", ".join(f"cast({f.value} as varchar) as v{i}" for i, f in enumerate(features))
    keys = ", ".join(f"v{i}" for i in range(len(features)))
    sets = ", ".join(f"(v{i})" for i in range(len(features)))
    grouped = cur.execute(
        f"with x as (select u.effect, {values} from {source}) "
        f"select {keys}, count(*) as units, count_if(effect) as affected "
        f"from x group by grouping sets ({sets})"
    ).df()
    frames = []
    for i, f in enumerate(features):
        part = grouped[grouped[f"v{i}"].notna()]
        frames.append(
            pd.DataFrame(
                {
                    "bone": f.bone,
                    "attribute": f.attribute,
                    "value": part[f"v{i}"].astype(str).to_numpy(),
                    "units": part["units"].to_numpy(),
                    "affected": part["affected"].to_numpy(),
                }
            )
        )
    return _concat(frames)


def _count_sets(
    cur: duckdb.DuckDBPyConnection, features: list[_Feature], source: str
) -> pd.DataFrame:
    """Units and affected units per value when a unit has many rows of ``source``.

    ``source`` gives each row's ``u.unit`` and ``u.effect``.

    One pass gathers, per unit, the set of values it has of each feature as a bit string
    (position *i* = the feature's *i*-th label); the units are then counted per distinct
    bit string, and each string's counts go to every value whose bit it has.
    """
    features = [f for f in features if f.labels]
    if not features:
        return pd.DataFrame(columns=_COUNT_COLUMNS)
    bits = []
    for i, f in enumerate(features):
        names = ", ".join(quote_literal(v) for v in f.labels or ())
        code = f.code or f"enum_code(cast(cast({f.value} as varchar) as enum({names})))"
        bits.append(f"bitstring_agg({code}, 0, {len(f.labels or ()) - 1}) as b{i}")
    cur.execute(
        "create or replace temp table cause_sets as "
        f"select u.unit, u.effect, {', '.join(bits)} from {source} group by u.unit, u.effect"
    )
    masks = cur.execute(
        "\nunion all\n".join(
            f"select {i} as feature, cast(b{i} as varchar) as bits, count(*) as units, "
            f"count_if(effect) as affected from cause_sets where b{i} is not null group by b{i}"
            for i in range(len(features))
        )
    ).df()
    cur.execute("drop table cause_sets")
    frames = []
    for i, f in enumerate(features):
        part = masks[masks["feature"] == i]
        labels = list(f.labels or ())
        if part.empty:
            continue
        # one row per distinct bit string, one column per label
        has = np.frombuffer("".join(part["bits"]).encode(), dtype=np.uint8).reshape(
            len(part), len(labels)
        ) == ord("1")
        units = has.T.astype(np.int64) @ part["units"].to_numpy(dtype=np.int64)
        affected = has.T.astype(np.int64) @ part["affected"].to_numpy(dtype=np.int64)
        seen = has.any(axis=0)
        frames.append(
            pd.DataFrame(
                {
                    "bone": f.bone,
                    "attribute": f.attribute,
                    "value": np.array(labels, dtype=object)[seen],
                    "units": units[seen],
                    "affected": affected[seen],
                }
            )
        )
    return _concat(frames)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The non-empty count tables as one (an empty one with the columns when there are none)."""
    kept = [f for f in frames if not f.empty]
    if not kept:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=object if c in ("bone", "attribute", "value") else "int64")
                for c in _COUNT_COLUMNS
            }
        )
    return pd.concat(kept, ignore_index=True)


def _bands(
    cur: duckdb.DuckDBPyConnection, table: str, attr: str
) -> tuple[str, tuple[str, ...]] | None:
    """A CASE expression putting a numeric attribute into quartile bands (``__v__`` = value),
    and the bands' names."""
    row = db.execute(cur, "duckdb/causes/quartiles", relation=table, attribute=attr).fetchone()
    if not row or row[0] is None or row[1] < 4:
        return None
    cuts = sorted({round(float(x), 2) for x in row[0]})
    if len(cuts) < 2:
        return None
    names = []
    bounds = [-math.inf, *cuts, math.inf]
    for lo, hi in itertools.pairwise(bounds):
        if lo == -math.inf:
            names.append((f"__v__ < {hi}", f"below {_num(hi)}"))
        elif hi == math.inf:
            names.append((f"__v__ >= {lo}", f"{_num(lo)} or more"))
        else:
            names.append((f"__v__ >= {lo} and __v__ < {hi}", f"{_num(lo)} to {_num(hi)}"))
    whens = " ".join(f"when {cond} then {quote_literal(text)}" for cond, text in names)
    return f"case {whens} end", tuple(dict.fromkeys(text for _, text in names))


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:g}"


def _causes(
    counts: pd.DataFrame,
    population: int,
    affected: int,
    min_support: int,
    min_affected: int,
    alpha: float,
    per_bone: int,
) -> tuple[pd.DataFrame, dict[str, int]]:
    c = counts.copy()
    c["units"] = c["units"].astype("int64")
    c["affected"] = c["affected"].astype("int64")
    c = c[c["units"] < population]  # a value every unit has explains nothing
    n0 = population - c["units"]
    k0 = affected - c["affected"]
    stats = compare(c["affected"], c["units"], k0, n0)
    c = pd.concat([c, stats], axis=1).rename(
        columns={
            "base_rate": "rate_without",
            "difference": "effect_size",
            "ci_low": "rate_ci_low",
            "ci_high": "rate_ci_high",
        }
    )
    c = c.rename(columns={"diff_ci_low": "ci_low", "diff_ci_high": "ci_high"})
    c["supported"] = (c["units"] >= min_support) & (c["affected"] >= min_affected)
    c["q_value"] = 1.0
    if c["supported"].any():
        c.loc[c["supported"], "q_value"] = adjust(c.loc[c["supported"], "p_value"])
    c["significant"] = c["supported"] & (c["q_value"] < alpha) & (c["lift"] > 1)
    c["explained"] = c["affected"] - c["units"] * c["rate_without"]
    c["manual"] = False
    c["label"] = [_label(a, v) for a, v in zip(c["attribute"], c["value"], strict=True)]
    shown, left = [], {}
    for bone in BONES:
        mine = c[c["bone"] == bone]
        sig = mine[mine["significant"]].sort_values(
            ["explained", "effect_size", "attribute", "value"],
            ascending=[False, False, True, True],
            kind="stable",
        )
        shown.append(sig.head(per_bone))
        left[bone] = int(len(mine) - min(per_bone, len(sig)))
    out = pd.concat(shown, ignore_index=True) if shown else pd.DataFrame(columns=CAUSE_COLUMNS)
    return out.reindex(columns=CAUSE_COLUMNS).reset_index(drop=True), left


def _label(attribute: str, value: str) -> str:
    if attribute == "visits":
        return f"visits {value}"
    if attribute == "touchpoint":
        return f"at {value}"
    return f"{attribute} = {value}"
