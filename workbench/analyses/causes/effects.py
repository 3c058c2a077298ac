"""What an effect is measured on: the units (contacts, steps, journeys or customers) that can
show it, which of them do, and a period to limit them to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from workbench.analyses.causes.counts import concat
from workbench.analyses.causes.features import feature_counts
from workbench.analyses.friction import VISIT_SIGNALS
from workbench.analyses.outcomes import OutcomeSetup
from workbench.analyses.voice.links import ReasonEffect, Written
from workbench.core import db, periods
from workbench.core.errors import ValidationError
from workbench.journeys.model import JourneyModel

#: A period to limit an effect to: its first and last day (both included), as dates or ISO
#: dates.
Period = periods.Period
#: A journey is heading to a touchpoint when it visits one whose journeys reach it this often.
HEADING_SHARE = 0.7
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


#: What an effect is measured on: the unit, a title, the (attribute, value) features that are not
#: causes (value ``*``: every value), and for an effect at a point, the units and affected units
#: at the other points.
_Units = tuple[str, str, set[tuple[str, str]], tuple[int, int] | None]


def count_effect(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    effect: str,
    setup: OutcomeSetup,
    days: tuple[date, date] | None,
    reason: ReasonEffect | None = None,
    wrote: Written | None = None,
) -> tuple[str, str, int, int, int, int, pd.DataFrame]:
    """The unit, title, population, affected units, the units and affected units elsewhere
    (at the other points; -1 when the effect is not at a point) and candidate counts of
    ``effect`` (its units limited to the period ``days``, both days included), with each
    attribute on its default bone. A ``reason:`` effect reads its journeys from ``reason``;
    what customers wrote (``wrote``) is counted on its bone too."""
    kind, _, rest = effect.partition(":")
    roles = setup.roles
    if kind == "reason":
        unit, title, exclude, elsewhere = _reason_units(cur, rest, reason, _bounds(days))
    else:
        unit, title, exclude, elsewhere = _units(
            cur, model, kind, rest, setup.available, roles, _bounds(days)
        )
    totals = db.execute(cur, "duckdb/causes/unit_totals").fetchone()
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
    counts = feature_counts(cur, model, unit, dict(roles.bones), exclude, bad)
    if wrote is not None and wrote.journey_key:
        counts = concat([counts, db.run(cur, "duckdb/causes/written_counts", **wrote.params())])
    other = elsewhere or (-1, -1)
    return unit, title, population, affected, *other, counts


def parse_period(period: Period | None) -> tuple[date, date] | None:
    """The first and last day of ``period`` (two dates or ISO dates, both days included), or
    ``None`` for the whole log."""
    return None if period is None else periods.parse_period(period)


def _bounds(days: tuple[date, date] | None) -> dict[str, Any]:
    """The moments a unit's time must fall between, as the units queries bind them: from the
    first day's midnight, up to (not including) the midnight after the last day."""
    if days is None:
        return {"period_from": None, "period_to": None}
    start, stop = periods.moments(*days)
    return {"period_from": start, "period_to": stop}


def _units(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    kind: str,
    rest: str,
    available: tuple[str, ...],
    roles: Any,
    bounds: dict[str, Any],
) -> _Units:
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
        return (
            "journeys",
            f"Journeys heading to {rest} that do not reach it",
            {("visits", rest)},
            None,
        )
    if kind == "not_reached":
        _known(rest, names)
        journeys("not_reached", touchpoint=rest)
        # the goal is what the affected journeys lack, not a cause; the steps on the way to it
        # lower the rate (they are never offered) and what nearly every journey passes is left
        # out with the path (_without_the_path)
        return "journeys", f"Journeys that never reach {rest}", {("visits", rest)}, None
    if kind == "has":
        _known(rest, names)
        journeys("has", touchpoint=rest)
        return "journeys", f"Journeys that pass {rest}", {("visits", rest)}, None
    if kind == "low_csat":
        if "low_csat" not in available:
            raise ValidationError(
                "There are no CSAT answers tied to journeys; load surveys.", "No CSAT"
            )
        journeys("low_csat")
        return "journeys", "Journeys with a CSAT of 1 or 2", set(), None
    if kind in ("detractor", "churned"):
        if kind not in available:
            what = "NPS answers" if kind == "detractor" else "a churned flag in the customers"
            raise ValidationError(f"The data has no {what}.", "Outcome not available")
        db.materialize(
            cur, "causes/customer_units", "cause_units", temp=True, effect=kind, **bounds
        )
        title = "NPS detractors (0-6)" if kind == "detractor" else "Customers who churned"
        return "customers", title, set(), None
    raise ValidationError(
        f"'{kind}' is not an effect. Use friction:<signal>:<point>, no_goal:<touchpoint>, "
        "not_reached:<touchpoint>, has:<touchpoint>, reason:<label>, low_csat, detractor or "
        "churned.",
        "Unknown effect",
    )


def _reason_units(
    cur: duckdb.DuckDBPyConnection,
    label: str,
    reason: ReasonEffect | None,
    bounds: dict[str, Any],
) -> _Units:
    """``cause_units`` of a ``reason:<label>`` effect: the journeys whose customers' texts were
    grouped, affected when one of them is in the reason."""
    if reason is None:  # group_causes reads the reasons before it counts
        raise ValidationError(
            f"The reason '{label}' needs the customers' texts grouped first.", "No reasons"
        )
    db.materialize(
        cur, "duckdb/causes/reason_units", "cause_units", temp=True, **reason.params(), **bounds
    )
    return "journeys", f"Journeys whose customers wrote “{reason.label}”", set(), None


def _friction_units(
    cur: duckdb.DuckDBPyConnection,
    rest: str,
    names: set[str],
    roles: Any,
    bounds: dict[str, Any],
    journeys: Callable[..., None],
) -> _Units:
    """``cause_units`` of a friction effect (``rest`` is ``<signal>:<point>``)."""
    signal, _, point = rest.partition(":")
    if signal in VISIT_SIGNALS:
        _known(point, names)
        # first every point, for the baseline the point is read against; then the point
        units = {"signal": signal, **bounds}
        db.materialize(
            cur, "causes/visit_units", "cause_units", temp=True, touchpoint=None, **units
        )
        other = db.run(cur, "causes/elsewhere", touchpoint=point).iloc[0]
        elsewhere = (int(other["units"]), int(other["affected"]))
        db.materialize(
            cur, "causes/visit_units", "cause_units", temp=True, touchpoint=point, **units
        )
        # the flags of the same contact are its outcomes, not its causes (a transferred
        # call is not resolved by the first agent); repeat contacts and switches keep them.
        # Every unit is at the point, so the point itself is no cause.
        excluded: set[tuple[str, str]] = {("touchpoint", "*")}
        if signal in _SIGNAL_ROLE:
            flags = [roles.transferred, roles.resolved, roles.abandoned]
            if signal == "long_wait":
                flags.append(roles.wait)
            excluded |= {(a, "*") for a in flags if a}
        unit = "steps" if signal == "channel_switch" else "contacts"
        return unit, f"{_TITLES[signal]} (friction at {point})", excluded, elsewhere
    if signal == "dropoff":
        _known(point, names)
        journeys("dropoff", touchpoint=point)
        return "journeys", f"Journeys that end at {point} without a goal", {("visits", point)}, None
    if signal == "loop":
        source, _, target = point.partition(" → ")
        _known(source, names)
        _known(target, names)
        journeys("loop", source=source, target=target)
        return "journeys", f"Journeys that go round {source} → {target} again", set(), None
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
