"""Charts of the journeys themselves: variants, their coverage, events week by week and dwell
times."""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench.present.charts.maps import variant_label
from workbench.present.charts.palette import HIGHLIGHT


def variants_chart(
    variants: pd.DataFrame, top: int = 15, highlight: int | None = None
) -> alt.Chart:
    """Bars of the ``top`` variants' share of journeys, with cumulative coverage in the tooltip.

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> chart = wb.charts.variants_chart(model.variants, top=10)
    >>> chart.to_dict()["mark"]["type"]
    'bar'
    """
    data = variants.head(top).copy()
    data["label"] = [
        f"#{v}  {variant_label(list(p), 90)}"
        for v, p in zip(data["variant"], data["path"], strict=True)
    ]
    data["highlight"] = data["variant"] == highlight
    data = data.drop(columns=["path"])
    chart: alt.Chart = (
        alt.Chart(data, title=f"Top {len(data)} of {len(variants):,} variants")
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="Share of journeys"),
            y=alt.Y(
                "label:N",
                sort=alt.EncodingSortField(field="variant", op="min"),
                title=None,
                axis=alt.Axis(labelLimit=620, labelOverlap=False, labelFontSize=11),
            ),
            color=alt.condition(alt.datum.highlight, alt.value(HIGHLIGHT), alt.value("#3d5a80")),
            tooltip=[
                alt.Tooltip("variant:Q", title="Variant"),
                alt.Tooltip("journeys:Q", title="Journeys", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("cumulative_share:Q", title="Cumulative", format=".1%"),
                alt.Tooltip("length:Q", title="Steps"),
            ],
        )
        .properties(width="container", height=alt.Step(26))
    )
    return chart


def coverage_chart(variants: pd.DataFrame, max_variants: int = 200) -> alt.Chart:
    """How many variants cover how much of the journeys (cumulative share by variant rank)."""
    data = variants[["variant", "cumulative_share"]].head(max_variants)
    chart: alt.Chart = (
        alt.Chart(data, title="Coverage of journeys by the most frequent variants")
        .mark_line(point=len(data) <= 40, color="#3d5a80")
        .encode(
            x=alt.X("variant:Q", title="Number of variants"),
            y=alt.Y(
                "cumulative_share:Q",
                axis=alt.Axis(format="%"),
                title="Journeys covered",
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("variant:Q", title="Variants"),
                alt.Tooltip("cumulative_share:Q", title="Covered", format=".1%"),
            ],
        )
        .properties(width="container", height=220)
    )
    return chart


def weekly_events_chart(weekly: pd.DataFrame) -> alt.Chart:
    """Stacked weekly event counts by channel (from :func:`workbench.weekly_events`)."""
    chart: alt.Chart = (
        alt.Chart(weekly, title="Events per week by channel")
        .mark_area()
        .encode(
            x=alt.X("week:T", title="Week"),
            y=alt.Y("events:Q", title="Events", stack=True),
            color=alt.Color("channel:N", title="Channel"),
            tooltip=[
                alt.Tooltip("week:T", format="%Y-%m-%d"),
                "channel:N",
                alt.Tooltip("events:Q", format=","),
            ],
        )
        .properties(width="container", height=220)
    )
    return chart


def dwell_chart(touchpoints: pd.DataFrame, top: int = 20) -> alt.Chart:
    """Median (bar) and p90 (tick) dwell per touchpoint, for the most frequent touchpoints."""
    data = touchpoints.head(top)[
        ["touchpoint", "events", "median_dwell_seconds", "p90_dwell_seconds"]
    ].dropna()
    data = data.assign(
        median_h=data["median_dwell_seconds"] / 3600, p90_h=data["p90_dwell_seconds"] / 3600
    )
    base = alt.Chart(data, title="Time to next step: median (bar) and p90 (tick), hours")
    bars = base.mark_bar(color="#98c1d9").encode(
        x=alt.X("median_h:Q", title="Hours", scale=alt.Scale(type="symlog")),
        y=alt.Y("touchpoint:N", sort="-x", title=None),
        tooltip=[
            "touchpoint:N",
            alt.Tooltip("events:Q", format=","),
            alt.Tooltip("median_h:Q", title="Median (h)", format=".2f"),
            alt.Tooltip("p90_h:Q", title="p90 (h)", format=".2f"),
        ],
    )
    ticks = base.mark_tick(color="#d1495b", thickness=2).encode(
        x="p90_h:Q", y=alt.Y("touchpoint:N", sort="-x")
    )
    chart: alt.Chart = (bars + ticks).properties(width="container", height=alt.Step(22))
    return chart
    return chart


# -- friction ------------------------------------------------------------------------------------
