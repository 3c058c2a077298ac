"""The KPIs CX teams report: NPS, CSAT, CES, first-contact resolution, repeat contacts,
resolution rates, and how many interactions are analysed -- and the KPIs every event log has,
surveys or not: conversion to each goal, journey length and duration, time to goal and repeat
visits. Each comes with the number of answers, contacts, journeys or customers behind it, a
95 % interval, and a warning when the number is too small to trust.

Definitions (the same everywhere in the workbench):

- **Conversion to a goal** = share of journeys that reach the goal (Wilson interval); goals
  are chosen or guessed (:func:`workbench.analyses.outcomes.guess_goals`).
- **Journey length** (steps), **journey duration** and **time to goal** (from a journey's
  start to its first goal step, over the journeys that reach one): median and 90th
  percentile, each with a distribution-free interval from the order statistics
  (:func:`scipy.stats.quantile_test`).
- **Repeat visits** = share of customers with more than one journey (Wilson interval).

- **NPS** = % promoters (9-10) - % detractors (0-6) among customers' latest answers, in points;
  interval from the normal approximation of the difference of two shares of one sample.
- **CSAT** = share of interaction ratings (1-5) that are 4 or 5; **journey CSAT** the same for
  ratings of whole journeys. Wilson intervals.
- **CES** = mean effort score (1-7, 7 = very easy), t interval; **easy** = share 5-7.
- Contacts are the steps :mod:`workbench.analyses.contacts` classifies as contacts (the
  ``contacts`` setting, or guessed from the channels' names).
- **First-contact resolution** = share of journeys with a contact whose first contact was not
  transferred, not marked unresolved, and not followed by another contact within the repeat
  window. **Repeat contacts** = share of contacts followed by another contact of the same
  customer within the window (transferred contacts are not counted). **Resolution rate** =
  share of contacts not marked unresolved, where the log says.
- **Interactions with feedback** = share of interactions a survey rates; **interactions
  analysed** = share of interactions the workbench puts in a journey: all of them, against the
  ~2 % of contacts that quality teams typically sample.

``by`` splits every KPI: ``"channel"``, ``"month"``, ``"week"`` or any event or customer
attribute (``"team"``, ``"agent_id"``, ``"segment"``). A journey belongs to the month or week
it started in, and to the channel or event attribute value of its first step; the journey KPIs
are not split by customer attributes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from workbench.analyses.contacts import classify_contacts
from workbench.analyses.outcomes import LONG_WAIT_SECONDS, guess_goals, prepare_visits, visit_key
from workbench.core import db
from workbench.core.durations import parse_duration
from workbench.core.errors import ValidationError
from workbench.core.records import json_rows
from workbench.journeys.model import JourneyModel

KPI_LABELS: dict[str, tuple[str, str]] = {
    "nps": ("NPS", "points"),
    "csat": ("CSAT (interactions)", "%"),
    "journey_csat": ("Journey CSAT", "%"),
    "ces": ("CES (1-7, 7 = easy)", "mean"),
    "ces_easy": ("Easy (CES 5-7)", "%"),
    "conversion": ("Conversion to", "%"),
    "time_to_goal_median": ("Time to goal, median", "seconds"),
    "time_to_goal_p90": ("Time to goal, p90", "seconds"),
    "steps_median": ("Journey length, median", "steps"),
    "steps_p90": ("Journey length, p90", "steps"),
    "duration_median": ("Journey duration, median", "seconds"),
    "duration_p90": ("Journey duration, p90", "seconds"),
    "repeat_visits": ("Customers with more than one journey", "%"),
    "fcr": ("First-contact resolution", "%"),
    "repeat_contact_rate": ("Repeat contacts", "%"),
    "resolution_rate": ("Resolution rate", "%"),
    "feedback_coverage": ("Interactions with feedback", "%"),
    "contacts_with_feedback": ("Contacts with feedback", "%"),
    "analysed": ("Interactions analysed", "%"),
}
TYPICAL_QA_SHARE = 0.02
CONFIDENCE = 0.95
#: The KPIs every event log has, from its journeys alone (``conversion`` is one per goal, its
#: ``kpi`` written ``conversion:<goal>``).
JOURNEY_KPIS = (
    "conversion",
    "time_to_goal_median",
    "time_to_goal_p90",
    "steps_median",
    "steps_p90",
    "duration_median",
    "duration_p90",
    "repeat_visits",
)


@dataclass(frozen=True)
class KpiTable:
    """KPI figures, one row per group and KPI: ``group``, ``kpi``, ``label``, ``value``,
    ``ci_low``, ``ci_high``, ``n`` (answers, customers, contacts or interactions behind it),
    ``unit`` and ``warning`` (empty when the figure can be trusted)."""

    table: pd.DataFrame
    by: str | None
    params: dict[str, Any] = field(default_factory=dict)

    def figure(self, kpi: str, group: str = "all") -> dict[str, Any]:
        """One figure as a dict (``value``, ``ci_low``, ``ci_high``, ``n`` ...)."""
        rows = self.table[(self.table["kpi"] == kpi) & (self.table["group"] == group)]
        if rows.empty:
            raise ValidationError(f"No {kpi} figure for '{group}'.", "No such KPI")
        return dict(rows.iloc[0])

    def wide(self) -> pd.DataFrame:
        """Groups as rows, KPIs as columns (values only)."""
        return self.table.pivot_table(index="group", columns="kpi", values="value", aggfunc="first")

    def unavailable(self) -> list[str]:
        """One line for each kind of KPI this log cannot give, saying why and what would.

        Examples
        --------
        >>> import workbench as wb
        >>> wb.kpis(wb.build_journeys(wb.load_events("sample_data/events.csv"))).unavailable()
        ['No surveys are loaded: NPS, CSAT and CES need them (Data page).']
        """
        kinds = set(self.table["kpi"].str.split(":").str[0])
        out = []
        if not self.params.get("has_surveys", True):
            out.append("No surveys are loaded: NPS, CSAT and CES need them (Data page).")
        if not kinds & {"fcr", "repeat_contact_rate", "resolution_rate"}:
            out.append(
                "No step counts as a contact with the company, so first-contact resolution "
                "and repeat contacts cannot be counted; the Data page says which channels "
                "count as contacts."
            )
        if "goals" in self.params and not self.params["goals"]:
            out.append(
                "No goal was found in the data, so conversion and time to goal cannot be "
                "measured; choose the goals on the Friction page."
            )
        return out

    def to_json(self) -> dict[str, Any]:

        return {"by": self.by, "params": self.params, "kpis": json_rows(self.table)}


#: How many splits' counts a model keeps.
_KEEP_COUNTS = 8


def kpis(
    model: JourneyModel,
    *,
    by: str | None = None,
    min_n: int = 30,
    repeat_window: str | float = "7d",
    survey_window: str = "7d",
    goals: Sequence[str] | None = None,
    contacts: Sequence[str] | None = None,
) -> KpiTable:
    """Compute the CX KPIs, overall or split ``by`` channel, period or an attribute.

    Parameters
    ----------
    model
        Journeys of a log loaded with surveys (NPS, CSAT, CES need them; contact KPIs do not).
    by
        ``None`` (overall), ``"channel"``, ``"month"``, ``"week"``, or an event or customer
        attribute such as ``"team"`` or ``"segment"``.
    min_n
        Figures resting on fewer answers or contacts than this carry a warning.
    repeat_window, survey_window
        A contact followed by another within ``repeat_window`` is repeated; surveys count for
        the journey that ended at most ``survey_window`` before them.
    goals
        The touchpoints conversion and time to goal are measured to; ``None`` guesses them
        (:func:`workbench.analyses.outcomes.guess_goals`).
    contacts
        The channels (or touchpoints) that count as contacts; ``None`` guesses them from their
        names (:func:`workbench.analyses.contacts.classify_contacts`).

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> table = wb.kpis(wb.build_journeys(log))
    >>> nps = table.figure("nps")
    >>> bool(nps["ci_low"] < nps["value"] < nps["ci_high"] and nps["n"] > 1000)
    True
    """
    repeat_s = parse_duration(repeat_window, "repeat window")
    chosen = _goals(model, goals, contacts)
    with model.using() as cur:
        # the counts depend on the visits and the split, not on min_n: a new warning threshold
        # reads nothing again; a model kept in its dataset keeps them there for the next session
        visits = visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS, contacts=contacts)

        def count() -> list[pd.DataFrame]:
            prepare_kpi_tables(model, cur, survey_window, repeat_s, contacts)
            _grouped_views(cur, model, by)
            return [db.run(cur, "kpis/survey_kpis"), db.run(cur, "kpis/contact_kpis")]

        survey, contact = model.cache.get_or_run(
            "kpis", (visits, by), count, cur=cur, keep=True, slots=_KEEP_COUNTS
        )
        facts = journey_facts(model, cur, by, chosen)
    params = {
        "min_n": min_n,
        "repeat_window_seconds": repeat_s,
        "survey_window": survey_window,
        "goals": list(chosen),
        "goals_guessed": goals is None,
        "has_surveys": model.log.has_surveys,
        "contacts": list(contacts) if contacts is not None else None,
    }
    journey = journey_figures(facts, chosen, min_n, model.customers_are_cases)
    return kpi_table(survey, contact, min_n, model.log.has_surveys, by, params, journey)


def _goals(
    model: JourneyModel, goals: Sequence[str] | None, contacts: Sequence[str] | None
) -> tuple[str, ...]:
    """The goals given (each a touchpoint of the journeys), or guessed."""
    if goals is None:
        return tuple(guess_goals(model, classify_contacts(model.log, contacts)))
    unknown = [g for g in goals if g not in set(model.touchpoints["touchpoint"])]
    if unknown:
        raise ValidationError(
            f"Goal touchpoint(s) {', '.join(unknown)} do not occur in these journeys.",
            "Unknown goal",
        )
    return tuple(goals)


def journey_facts(
    model: JourneyModel, cur: duckdb.DuckDBPyConnection, by: str | None, goals: Sequence[str]
) -> pd.DataFrame:
    """One row per journey (``kpis/journey_facts``) with its group of the split ``by``; empty
    for a split by a customer attribute, which the journey KPIs are not split by."""

    def count() -> pd.DataFrame:
        params = journey_split(by, model.log.attributes, goals)
        if params is None:
            return pd.DataFrame(columns=["grp", "customer_key", "steps", "duration_seconds"])
        return db.run(cur, "kpis/journey_facts", **params)

    facts: pd.DataFrame = model.cache.get_or_run(
        "journey_facts", (tuple(goals), by), count, slots=2
    )
    return facts


def kpi_table(
    survey: pd.DataFrame,
    contact: pd.DataFrame,
    min_n: int,
    has_surveys: bool,
    by: str | None,
    params: dict[str, Any],
    journey: Sequence[dict[str, Any]] = (),
) -> KpiTable:
    """The :class:`KpiTable` from the counts of ``kpis/survey_kpis`` and ``kpis/contact_kpis``
    (whichever engine ran them) and the ``journey`` figures (:func:`journey_figures`):
    figures, intervals and warnings."""
    rows = _figures(survey, contact, min_n, has_surveys) + list(journey)
    table = pd.DataFrame(
        rows,
        columns=["group", "kpi", "label", "value", "ci_low", "ci_high", "n", "unit", "warning"],
    )
    order = {k: i for i, k in enumerate(KPI_LABELS)}
    table = table.sort_values(
        ["group", "kpi"],
        key=lambda c: c.map(lambda k: order[k.split(":")[0]]) if c.name == "kpi" else c,
        kind="stable",
        ignore_index=True,
    )
    return KpiTable(table, by, params)


def prepare_kpi_tables(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    survey_window: str,
    repeat_s: float,
    contacts: Sequence[str] | None = None,
) -> None:
    """The visits, then the temp tables ``kpi_responses`` and ``kpi_contacts`` that the KPI
    queries and the team view read: built once per model and visit parameters."""
    prepare_visits(model, cur, None, survey_window, repeat_s, LONG_WAIT_SECONDS, contacts=contacts)
    visits = visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS, contacts=contacts)
    prepare_responses(model, cur, visits)
    model.cache.get_or_run(
        "kpi_contacts",
        visits,
        lambda: db.materialize(cur, "kpis/contacts", "kpi_contacts", temp=True),
        relations=True,
    )


def prepare_responses(
    model: JourneyModel, cur: duckdb.DuckDBPyConnection, visits: tuple[Any, ...]
) -> None:
    """The temp table ``kpi_responses`` (every survey response with what it rates), read by
    the KPIs and the Satisfaction page: built once per model and set of visit parameters
    ``visits`` (see :func:`workbench.analyses.outcomes.visit_key`), after those visits."""
    model.cache.get_or_run(
        "kpi_responses",
        visits,
        lambda: db.materialize(cur, "kpis/responses", "kpi_responses", temp=True),
        relations=True,
    )


def _grouped_views(cur: duckdb.DuckDBPyConnection, model: JourneyModel, by: str | None) -> None:
    log = model.log
    customer_types = log.customer_report.attribute_types if log.customer_report else {}
    params = grouped_params(by, log.attributes, customer_types)
    for view in GROUPED_VIEWS:
        db.create_view(cur, f"kpis/{view}", view, temp=True, **params)


#: The views that give each response, contact and event its group of the split.
GROUPED_VIEWS = ("grouped_responses", "grouped_contacts", "grouped_events")


def grouped_views(
    by: str | None, attributes: Mapping[str, str], customer_types: Mapping[str, str]
) -> list[tuple[str, str]]:
    """``grouped_responses``, ``grouped_contacts`` and ``grouped_events`` as (name, SQL text)
    for an engine that makes views from the text: each with ``grp``, the group of the split
    ``by`` (see :func:`kpis`), over ``kpi_responses``, ``kpi_contacts`` and ``events``.
    ``attributes`` and ``customer_types`` are the event and customer attributes a split may
    name."""
    params = grouped_params(by, attributes, customer_types)
    return [(view, db.inline(f"kpis/{view}", **params)) for view in GROUPED_VIEWS]


def grouped_params(
    by: str | None, attributes: Mapping[str, str], customer_types: Mapping[str, str]
) -> dict[str, Any]:
    """The parameters of the :data:`GROUPED_VIEWS` queries for the split ``by``: which split
    (one ``by_`` flag true) and the attribute it reads.

    Examples
    --------
    >>> p = grouped_params("plan", {"device": "VARCHAR"}, {"plan": "VARCHAR"})
    >>> [k for k, v in p.items() if v is True], p["attribute"]
    (['by_customer'], 'plan')
    """
    if by is None:
        split = "none"
    elif by in ("month", "week", "channel"):
        split = by
    elif by in attributes:
        split = "event"
    elif by in customer_types:
        split = "customer"
    else:
        known = sorted(attributes) + sorted(customer_types)
        raise ValidationError(
            f"Cannot split KPIs by '{by}'. Use channel, month, week or an attribute: "
            f"{', '.join(known)}.",
            "Unknown split",
        )
    flags = {f"by_{s}": s == split for s in ("none", "month", "week", "channel", "event")}
    return {**flags, "by_customer": split == "customer", "attribute": by or "row_no"}


def _share(k: int, n: int) -> tuple[float, float, float]:
    if n <= 0:
        return math.nan, math.nan, math.nan

    low, high = proportion_confint(k, n, alpha=1 - CONFIDENCE, method="wilson")
    return 100 * k / n, 100 * float(low), 100 * float(high)


def nps_interval(promoters: int, detractors: int, n: int) -> tuple[float, float, float]:
    """NPS and its 95 % interval, in points.

    The promoter and detractor shares come from one sample, so the variance of their difference
    is ``(p + d - (p - d)^2) / n``.

    Examples
    --------
    >>> [round(x, 1) for x in nps_interval(50, 20, 100)]
    [30.0, 14.7, 45.3]
    """

    if n <= 0:
        return math.nan, math.nan, math.nan
    p, d = promoters / n, detractors / n
    value = p - d
    half = stats.norm.ppf(0.5 + CONFIDENCE / 2) * math.sqrt(max(p + d - value**2, 0) / n)
    return 100 * value, 100 * max(float(value - half), -1.0), 100 * min(float(value + half), 1.0)


def _mean_interval(mean: float | None, sd: float | None, n: int) -> tuple[float, float, float]:

    if n <= 0 or mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return math.nan, math.nan, math.nan
    if n < 2 or sd is None or (isinstance(sd, float) and math.isnan(sd)):
        return float(mean), math.nan, math.nan
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * float(sd) / math.sqrt(n)
    return float(mean), float(mean) - half, float(mean) + half


def _figures(
    survey: pd.DataFrame, contact: pd.DataFrame, min_n: int, has_surveys: bool
) -> list[dict[str, Any]]:
    """Every KPI figure of every group: the survey KPIs first (when there are surveys), then
    the contact KPIs."""
    out = _survey_figures(survey, min_n) if has_surveys else []
    return out + _contact_figures(contact, min_n, has_surveys)


def _figure(
    group: str,
    kpi: str,
    fig: tuple[float, float, float],
    n: int,
    min_n: int,
    small_is_fine: bool = False,
) -> dict[str, Any]:
    """One row of the KPI table, with a warning when no data or too few stand behind it."""
    kind, _, goal = kpi.partition(":")
    label, unit = KPI_LABELS[kind]
    if goal:
        label = f"{label} {goal}"
    warning = ""
    if n == 0:
        warning = "no data"
    elif n < min_n and not small_is_fine:
        warning = f"only {n:,}: too few to trust"
    return {
        "group": group,
        "kpi": kpi,
        "label": label,
        "value": fig[0],
        "ci_low": fig[1],
        "ci_high": fig[2],
        "n": n,
        "unit": unit,
        "warning": warning,
    }


def _survey_figures(survey: pd.DataFrame, min_n: int) -> list[dict[str, Any]]:
    """NPS, CSAT, journey CSAT, CES and easy CES of each group that has answers for them."""
    out: list[dict[str, Any]] = []
    for r in survey.to_dict(orient="records"):
        g = str(r["grp"])
        if r["nps_n"]:
            n = int(r["nps_n"])
            fig = nps_interval(int(r["promoters"]), int(r["detractors"]), n)
            out.append(_figure(g, "nps", fig, n, min_n))
        if r["csat_n"]:
            n = int(r["csat_n"])
            out.append(_figure(g, "csat", _share(int(r["csat_satisfied"]), n), n, min_n))
        if r["journey_csat_n"]:
            n = int(r["journey_csat_n"])
            fig = _share(int(r["journey_csat_satisfied"]), n)
            out.append(_figure(g, "journey_csat", fig, n, min_n))
        if r["ces_n"]:
            n = int(r["ces_n"])
            out.append(_figure(g, "ces", _mean_interval(r["ces_mean"], r["ces_sd"], n), n, min_n))
            out.append(_figure(g, "ces_easy", _share(int(r["ces_easy"]), n), n, min_n))
    return out


def _contact_figures(contact: pd.DataFrame, min_n: int, has_surveys: bool) -> list[dict[str, Any]]:
    """First-contact resolution, repeat contacts, resolution, feedback coverage and the share
    analysed, of each group that has contacts or interactions for them. Coverage figures
    describe every interaction, so a small count is no reason to distrust them."""
    out: list[dict[str, Any]] = []
    for r in contact.to_dict(orient="records"):
        g = str(r["grp"])
        if r["fcr_n"]:
            n = int(r["fcr_n"])
            out.append(_figure(g, "fcr", _share(int(r["fcr_k"]), n), n, min_n))
        if r["repeat_n"]:
            n = int(r["repeat_n"])
            fig = _share(int(r["repeat_k"]), n)
            out.append(_figure(g, "repeat_contact_rate", fig, n, min_n))
        if r["resolution_n"]:
            n = int(r["resolution_n"])
            fig = _share(int(r["resolution_k"]), n)
            out.append(_figure(g, "resolution_rate", fig, n, min_n))
        if r["interactions"]:
            n = int(r["interactions"])
            if has_surveys:
                fig = _share(int(r["interactions_rated"]), n)
                out.append(_figure(g, "feedback_coverage", fig, n, min_n, small_is_fine=True))
            fig = (100.0, math.nan, math.nan)
            out.append(_figure(g, "analysed", fig, n, min_n, small_is_fine=True))
        if r["contacts"] and has_surveys:
            n = int(r["contacts"])
            fig = _share(int(r["contacts_rated"]), n)
            out.append(_figure(g, "contacts_with_feedback", fig, n, min_n, small_is_fine=True))
    return out


def journey_split(
    by: str | None, attributes: Mapping[str, str], goals: Sequence[str]
) -> dict[str, Any] | None:
    """The parameters of ``kpis/journey_facts`` for the split ``by`` (whichever engine runs
    it), or None for a split the journey KPIs do not make (a customer attribute).

    Examples
    --------
    >>> journey_split("week", {}, ["Paid"])
    {'goals': ['Paid'], 'split': 'week', 'attribute': 'row_no'}
    >>> journey_split("segment", {"team": "VARCHAR"}, ["Paid"]) is None
    True
    """
    split, attribute = "all", "row_no"
    if by in ("month", "week"):
        split = by
    elif by == "channel" or (by is not None and by in attributes):
        split, attribute = "value", by
    elif by is not None:
        return None
    return {"goals": list(goals) or ["\u0000"], "split": split, "attribute": attribute}


def quantile_interval(values: Any, p: float) -> tuple[float, float, float]:
    """The ``p`` quantile of ``values`` and its 95 % interval from the order statistics
    (distribution-free: :func:`scipy.stats.quantile_test`); NaN where there are no values.

    Examples
    --------
    >>> [float(x) for x in quantile_interval(range(1, 101), 0.5)]
    [50.5, 40.0, 61.0]
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return math.nan, math.nan, math.nan
    value = float(np.quantile(x, p))
    ci = stats.quantile_test(x, q=value, p=p).confidence_interval(CONFIDENCE)
    return value, float(ci.low), float(ci.high)


def journey_figures(
    facts: pd.DataFrame, goals: Sequence[str], min_n: int, customers_are_cases: bool = False
) -> list[dict[str, Any]]:
    """The journey KPIs of each group of ``facts`` (:func:`journey_facts`): conversion to each
    of ``goals``, time to goal, journey length and duration (median and p90) and the share of
    customers with more than one journey (not when each case is its own customer: nobody
    would ever come back)."""
    out: list[dict[str, Any]] = []
    for group, part in facts.groupby("grp", sort=True):
        g, n = str(group), len(part)
        reached = part["goals_reached"].explode().dropna().value_counts()
        for goal in goals:
            k = int(reached.get(goal, 0))
            out.append(_figure(g, f"conversion:{goal}", _share(k, n), n, min_n))
        to_goal = part["seconds_to_goal"].dropna()
        for column, name, values in (
            ("time_to_goal", "time_to_goal", to_goal),
            ("steps", "steps", part["steps"]),
            ("duration", "duration", part["duration_seconds"]),
        ):
            if column == "time_to_goal" and not goals:
                continue
            for p, suffix in ((0.5, "median"), (0.9, "p90")):
                fig = quantile_interval(values, p)
                out.append(_figure(g, f"{name}_{suffix}", fig, len(values), min_n))
        visits = part.groupby("customer_key", dropna=True).size()
        if len(visits) and not customers_are_cases:
            fig = _share(int((visits > 1).sum()), len(visits))
            out.append(_figure(g, "repeat_visits", fig, len(visits), min_n))
    return out
