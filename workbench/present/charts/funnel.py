"""The funnel: conversion step by step, and by period."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

_FUNNEL_COLOUR = "#3d5a80"


def funnel_chart(funnel: Any) -> alt.LayerChart:
    """Horizontal bars of a funnel's conversion from its first step, step by step, with the
    95 % interval as a rule and each bar labelled with its share and journeys ("38 % · 1,204");
    one colour per group when the funnel is split (a sequence of shades for weeks and months).

    ``funnel`` is a :class:`workbench.analyses.funnel.Funnel`.

    Examples
    --------
    >>> import workbench as wb
    >>> from workbench.analyses.funnel import funnel
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> spec = wb.charts.funnel_chart(funnel(model)).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['bar', 'rule', 'text']
    """
    data = funnel.table.copy()
    data["label"] = [f"{s}. {t}" for s, t in zip(data["step"], data["touchpoint"], strict=True)]
    data["text"] = [
        "–" if pd.isna(c) else f"{100 * c:.0f} % · {n:,}"
        for c, n in zip(data["conversion"], data["journeys"], strict=True)
    ]
    data["end"] = data["conversion_high"].fillna(data["conversion"]).fillna(0.0)
    labels = list(dict.fromkeys(data["label"]))
    groups = list(dict.fromkeys(data["group"]))
    split = funnel.split is not None
    # explicit paddings: a theme's bar-only band paddings (Streamlit's) would otherwise place
    # the bars and their labels on differently padded bands
    y = alt.Y(
        "label:N",
        sort=labels,
        title=None,
        scale=alt.Scale(paddingInner=0.25, paddingOuter=0.1),
        axis=alt.Axis(labelLimit=320, labelFontSize=12, labelOverlap=False),
    )
    base = alt.Chart(data, title="How far journeys get, step by step in order")
    offset: dict[str, Any] = {}
    colour: Any = alt.value(_FUNNEL_COLOUR)
    if split:
        # shades in time order for weeks and months; distinct colours for an attribute's values
        if funnel.period:
            scale = alt.Scale(domain=groups, scheme="viridis")
        elif len(groups) <= 10:
            scale = alt.Scale(domain=groups, scheme="tableau10")
        else:
            scale = alt.Scale(domain=groups, scheme="tableau20")
        colour = alt.Color(
            "group:N",
            title=str(funnel.split),
            sort=groups,
            scale=scale,
            legend=alt.Legend(labelFontSize=12, titleFontSize=12, columns=1 + len(groups) // 14),
        )
        offset = {
            "yOffset": alt.YOffset(
                "group:N", sort=groups, scale=alt.Scale(paddingInner=0.08, paddingOuter=0)
            )
        }
    # the bar fills its band: Streamlit's theme draws bars 0.85 of a band, which with nested
    # offsets moves them away from their interval rules and labels
    bars = base.mark_bar(height=alt.RelativeBandSize(1.0)).encode(
        x=alt.X(
            "conversion:Q",
            title=f"Share of the journeys that reached {funnel.steps[0]}",
            scale=alt.Scale(domain=[0, 1.08], nice=False),
            axis=alt.Axis(format="%", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0], labelFontSize=12),
        ),
        y=y,
        color=colour,
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("label:N", title="Step"),
            alt.Tooltip("journeys:Q", title="Journeys", format=","),
            alt.Tooltip("conversion:Q", title="From the first step", format=".1%"),
            alt.Tooltip("step_conversion:Q", title="From the previous step", format=".1%"),
            alt.Tooltip("dropped:Q", title="Lost since the previous step", format=","),
        ],
        **offset,
    )
    # the first step is every journey counted: its share is 100 % by definition, no estimate
    rules = (
        base.transform_filter("datum.step > 1")
        .mark_rule(color="#293241", strokeWidth=1.5)
        .encode(x="conversion_low:Q", x2="conversion_high:Q", y=y, **offset)
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#293241").encode(
        x="end:Q", y=y, text="text:N", **offset
    )
    # many groups (weeks): thinner bars, their numbers in the tooltip and the table
    many = len(groups) > 8
    layered = bars + rules if many else bars + rules + text
    step = 34 if not split else 8 if many else 18
    chart: alt.LayerChart = layered.properties(width="container", height=alt.Step(step))
    return chart


def funnel_trend_chart(funnel: Any) -> alt.LayerChart:
    """A funnel split by week or month, step by step: for each move between two steps, the
    share of the journeys at the first that went on to the second, period by period, with its
    95 % interval as a band. An incident shows as a dip in one line.

    Examples
    --------
    >>> import workbench as wb
    >>> from workbench.analyses.funnel import funnel
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> spec = wb.charts.funnel_trend_chart(funnel(model, period="month")).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['area', 'line']
    """
    t = funnel.table
    previous = {k + 1: tp for k, tp in enumerate(funnel.steps, start=1)}
    data = t[t["step"] > 1].copy()
    data["move"] = [
        f"{s - 1}→{s}: {previous[s]} → {tp}"
        for s, tp in zip(data["step"], data["touchpoint"], strict=True)
    ]
    data["went on"] = data["journeys"]
    data["of"] = data["journeys"] + data["dropped"]
    moves = list(dict.fromkeys(data["move"]))
    periods = list(dict.fromkeys(t["group"]))
    x = alt.X(
        "group:O",
        sort=periods,
        title=None,
        axis=alt.Axis(labelAngle=-45, labelFontSize=11, labelOverlap="greedy"),
    )
    colour = alt.Color(
        "move:N",
        title="From the previous step",
        sort=moves,
        scale=alt.Scale(domain=moves, scheme="tableau10"),
        legend=alt.Legend(
            orient="top",
            direction="horizontal",
            labelFontSize=12,
            titleFontSize=12,
            labelLimit=420,
            symbolType="stroke",
            symbolStrokeWidth=3,
            symbolOpacity=1,
        ),
    )
    base = alt.Chart(
        data, title=f"Share going on from the previous step, by {funnel.period or 'group'}"
    )
    band = base.mark_area(opacity=0.15).encode(
        x=x,
        y="step_conversion_low:Q",
        y2="step_conversion_high:Q",
        color=colour,
    )
    line = base.mark_line(point=True, strokeWidth=2).encode(
        x=x,
        y=alt.Y(
            "step_conversion:Q",
            title="Went on from the previous step",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%", labelFontSize=12),
        ),
        color=colour,
        tooltip=[
            alt.Tooltip("group:N", title=str(funnel.period or "Group")),
            alt.Tooltip("move:N", title="Move"),
            alt.Tooltip("step_conversion:Q", title="Went on", format=".1%"),
            alt.Tooltip("went on:Q", title="Journeys that went on", format=","),
            alt.Tooltip("of:Q", title="Of", format=","),
        ],
    )
    chart: alt.LayerChart = (band + line).properties(width="container", height=300)
    return chart
