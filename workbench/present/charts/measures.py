"""Charts of measures: a KPI over time, journey against touchpoint, correlations, drivers and
loyalty."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from workbench.analyses.satisfaction import OUTCOME_LABELS

_LEVEL_COLOURS = {"journey": "#3d5a80", "touchpoint": "#e76f51"}


def kpi_trend_chart(table: Any, kpi: str) -> alt.LayerChart:
    """A KPI month by month (or week by week) with its 95 % interval. A figure resting on too
    few answers to trust is drawn apart: a hollow point joined by a dashed line, left out of
    the scale (drawn at its edge as a triangle when it lies beyond it, its value in the
    tooltip). ``table`` is :func:`workbench.analyses.kpis.kpis` split by month or week."""
    data = table.table[table.table["kpi"] == kpi].copy()
    data = data[~data["group"].astype(str).str.startswith("(")]
    data["trusted"] = data["warning"] == ""
    label = data["label"].iloc[0] if len(data) else kpi
    sure = data[data["trusted"]]
    ends = pd.concat([sure["ci_low"], sure["ci_high"], sure["value"]]).dropna()
    if ends.empty:
        ends = data["value"].dropna()
    low, high = (float(ends.min()), float(ends.max())) if len(ends) else (0.0, 1.0)
    data["shown"] = data["value"].clip(low, high)
    data["beyond"] = (
        (data["value"] > high).map({True: "above", False: ""})
        + (data["value"] < low).map({True: "below", False: ""})
    ).where(~data["trusted"], "")
    scale = alt.Scale(domain=[low, high], zero=False)
    y = alt.Y("shown:Q", title=label, scale=scale)
    base = alt.Chart(data, title=f"{label} by {table.by}")
    # the line and its band join only the figures resting on enough answers: a month with a
    # handful is a hollow point on a dashed line of its own, not a jump of the line
    trusted = base.transform_filter(alt.datum.trusted)
    band = trusted.mark_area(opacity=0.18, color="#3d5a80").encode(
        x=alt.X("group:O", title=None), y=alt.Y("ci_low:Q", scale=scale), y2="ci_high:Q"
    )
    thin = base.mark_line(color="#8d99ae", strokeDash=[4, 3], clip=True).encode(x="group:O", y=y)
    line = trusted.mark_line(color="#3d5a80").encode(x="group:O", y=y)
    points = base.mark_point(size=60, color="#3d5a80").encode(
        x="group:O",
        y=y,
        fill=alt.condition(alt.datum.trusted, alt.value("#3d5a80"), alt.value("white")),
        shape=alt.Shape(
            "beyond:N",
            scale=alt.Scale(
                domain=["", "above", "below"], range=["circle", "triangle-up", "triangle-down"]
            ),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("group:N", title="Period"),
            alt.Tooltip("value:Q", format=".1f"),
            alt.Tooltip("ci_low:Q", format=".1f"),
            alt.Tooltip("ci_high:Q", format=".1f"),
            alt.Tooltip("n:Q", format=","),
            alt.Tooltip("warning:N"),
        ],
    )
    chart: alt.LayerChart = (band + thin + line + points).properties(width="container", height=240)
    return chart


def levels_chart(comparison: Any) -> alt.LayerChart:
    """Strength of journey-level and touchpoint-level measures with their 95 % intervals."""

    rows = []
    for name, part in (
        ("journey", comparison.journey_level),
        ("touchpoint", comparison.touchpoint_level),
    ):
        rows.append({"level": name, **part})
    data = pd.DataFrame(rows)
    base = alt.Chart(
        data,
        title=f"How well each level predicts {OUTCOME_LABELS[comparison.outcome]} "
        f"({comparison.metric}, n = {comparison.n:,})",
    )
    order = ["journey", "touchpoint"]
    bars = base.mark_bar().encode(
        y=alt.Y("level:N", title=None, sort=order),
        x=alt.X("strength:Q", title=comparison.metric),
        color=alt.Color(
            "level:N",
            scale=alt.Scale(domain=list(_LEVEL_COLOURS), range=list(_LEVEL_COLOURS.values())),
            legend=None,
        ),
        tooltip=[
            "level:N",
            alt.Tooltip("strength:Q", format=".3f"),
            alt.Tooltip("ci_low:Q", format=".3f"),
            alt.Tooltip("ci_high:Q", format=".3f"),
        ],
    )
    whiskers = base.mark_rule(color="#293241", strokeWidth=2).encode(
        y=alt.Y("level:N", sort=order), x="ci_low:Q", x2="ci_high:Q"
    )
    chart: alt.LayerChart = (bars + whiskers).properties(width="container", height=alt.Step(40))
    return chart


def correlations_chart(measures: pd.DataFrame) -> alt.LayerChart:
    """Each measure's Spearman correlation with the outcome and its 95 % interval."""
    data = measures.copy()
    base = alt.Chart(data, title="Each measure on its own: rank correlation with the outcome")
    rules = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y(
            "label:N",
            sort=alt.EncodingSortField(field="spearman", op="min"),
            title=None,
            axis=alt.Axis(labelLimit=260),
        ),
        x=alt.X("ci_low:Q", title="Spearman correlation (95 % CI)"),
        x2="ci_high:Q",
        color=alt.Color(
            "level:N",
            title="Level",
            scale=alt.Scale(domain=list(_LEVEL_COLOURS), range=list(_LEVEL_COLOURS.values())),
        ),
    )
    dots = base.mark_point(filled=True, size=60).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField(field="spearman", op="min")),
        x="spearman:Q",
        color="level:N",
        tooltip=[
            "label:N",
            "level:N",
            alt.Tooltip("spearman:Q", format=".3f"),
            alt.Tooltip("ci_low:Q", format=".3f"),
            alt.Tooltip("ci_high:Q", format=".3f"),
            alt.Tooltip("n:Q", format=","),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#8d99ae").encode(x="x:Q")
    chart: alt.LayerChart = (zero + rules + dots).properties(width="container", height=alt.Step(22))
    return chart


def drivers_chart(drivers: pd.DataFrame, top: int = 12) -> alt.LayerChart:
    """The touchpoints that drag journey CSAT down most, within their journey type."""
    data = drivers.head(top).copy()
    data["label"] = data["journey_type"].astype(str) + ": " + data["touchpoint"].astype(str)
    base = alt.Chart(
        data,
        title="What drags journey satisfaction down (journey CSAT with vs "
        "without the touchpoint, same journey type)",
    )
    bars = base.mark_bar(color="#d1495b").encode(
        y=alt.Y(
            "label:N",
            sort=alt.EncodingSortField(field="difference", op="min"),
            title=None,
            axis=alt.Axis(labelLimit=320),
        ),
        x=alt.X("difference:Q", title="Difference in mean journey CSAT (1-5)"),
        tooltip=[
            "label:N",
            alt.Tooltip("csat_with:Q", format=".2f"),
            alt.Tooltip("csat_without:Q", format=".2f"),
            alt.Tooltip("difference:Q", format=".2f"),
            alt.Tooltip("ci_low:Q", format=".2f"),
            alt.Tooltip("ci_high:Q", format=".2f"),
            "journeys_with:Q",
            "journeys_without:Q",
        ],
    )
    whiskers = base.mark_rule(color="#293241").encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField(field="difference", op="min")),
        x="ci_low:Q",
        x2="ci_high:Q",
    )
    chart: alt.LayerChart = (bars + whiskers).properties(width="container", height=alt.Step(26))
    return chart


def loyalty_chart(loyalty: Any, measure: str = "revenue") -> alt.LayerChart:
    """Revenue (or churn, contacts) of promoters, passives and detractors, with intervals."""
    data = loyalty.groups.copy()
    titles = {"revenue": "Monthly revenue", "churn": "Churn rate", "contacts": "Contacts"}
    base = alt.Chart(data, title=f"{titles[measure]} by NPS group")
    bars = base.mark_bar().encode(
        x=alt.X("group:N", sort=["promoter", "passive", "detractor"], title=None),
        y=alt.Y(
            f"{measure}:Q",
            title=titles[measure],
            axis=alt.Axis(format="%") if measure == "churn" else alt.Axis(),
        ),
        color=alt.Color(
            "group:N",
            legend=None,
            scale=alt.Scale(
                domain=["promoter", "passive", "detractor"], range=["#2a9d8f", "#e9c46a", "#d1495b"]
            ),
        ),
        tooltip=[
            "group:N",
            alt.Tooltip("customers:Q", format=","),
            alt.Tooltip(f"{measure}:Q", format=".3f"),
            alt.Tooltip(f"{measure}_ci_low:Q", format=".3f"),
            alt.Tooltip(f"{measure}_ci_high:Q", format=".3f"),
        ],
    )
    whiskers = base.mark_rule(color="#293241", strokeWidth=2).encode(
        x=alt.X("group:N", sort=["promoter", "passive", "detractor"]),
        y=f"{measure}_ci_low:Q",
        y2=f"{measure}_ci_high:Q",
    )
    chart: alt.LayerChart = (bars + whiskers).properties(width="container", height=220)
    return chart
