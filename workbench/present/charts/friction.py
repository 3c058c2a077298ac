"""Friction charts: the ranking and a finding's rate week by week."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

_KIND_COLOURS = {
    "long_wait": "#e76f51",
    "transfer": "#f4a261",
    "unresolved": "#d1495b",
    "repeat_contact": "#9c2c3f",
    "loop": "#6a4c93",
    "dropoff": "#3d5a80",
    "channel_switch": "#8d99ae",
    "abandoned": "#bc4749",
}


def friction_chart(ranking: Any, top: int = 10) -> alt.LayerChart:
    """Bars of the ``top`` friction points' scores against the other points (chronic friction
    and patterns), coloured by their headline signal.

    Examples
    --------
    >>> import workbench as wb
    >>> ranking = wb.rank_friction(wb.build_journeys(wb.load_events("sample_data/events.csv")))
    >>> wb.charts.friction_chart(ranking).to_dict()["layer"][0]["mark"]["type"]
    'bar'
    """
    t = ranking.table
    if "finding" in t.columns:  # the points against the other points; changes have their own
        t = t[t["finding"].isin(["chronic", "pattern"])]
    t = t.head(top)
    data = pd.DataFrame(
        {
            "label": [f"#{r}  {p}" for r, p in zip(t["rank"], t["point"], strict=True)],
            "rank": t["rank"],
            "score": t["score"],
            "signal": t["kind"].map(lambda k: str(k).replace("_", " ")),
            "customers": t["customers_affected"],
            "rate": t["rate"],
            "base": t["base_rate"],
            "explanation": t["explanation"],
        }
    )
    base = alt.Chart(data, title=f"Top {len(data)} friction points by score")
    bars = base.mark_bar().encode(
        x=alt.X("score:Q", title=ranking.formula),
        y=alt.Y(
            "label:N",
            sort=alt.EncodingSortField(field="rank", op="min"),
            title=None,
            axis=alt.Axis(labelLimit=360, labelOverlap=False),
        ),
        color=alt.Color(
            "signal:N",
            title="Signal",
            scale=alt.Scale(
                domain=[k.replace("_", " ") for k in _KIND_COLOURS],
                range=list(_KIND_COLOURS.values()),
            ),
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Point"),
            alt.Tooltip("signal:N"),
            alt.Tooltip("score:Q", format=",.0f"),
            alt.Tooltip("customers:Q", title="Customers affected", format=","),
            alt.Tooltip("rate:Q", format=".1%"),
            alt.Tooltip("base:Q", title="Base rate", format=".1%"),
            alt.Tooltip("explanation:N"),
        ],
    )
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(
        x="score:Q",
        y=alt.Y("label:N", sort=alt.EncodingSortField(field="rank", op="min")),
        text=alt.Text("score:Q", format=",.0f"),
    )
    chart: alt.LayerChart = (bars + text).properties(width="container", height=alt.Step(28))
    return chart


def friction_weekly_chart(ranking: Any, rank: int) -> alt.LayerChart:
    """The weekly rate of a friction point's headline signal, its base rate, and the period it
    is concentrated in (shaded)."""
    row = ranking.table[ranking.table["rank"] == rank].iloc[0]
    w = ranking.weekly[ranking.weekly["point_id"] == rank].copy()
    w["week"] = pd.to_datetime(w["week"])
    kind = {"dropoff": "drop-off"}.get(str(row["kind"]), str(row["kind"]).replace("_", " "))
    who = f" ({row['segment']})" if isinstance(row.get("segment"), str) else ""
    title = f"#{rank} {row['point']}{who}: {kind} week by week"
    line = (
        alt.Chart(w)
        .mark_line(point=True, color="#3d5a80")
        .encode(
            x=alt.X("week:T", title="Week"),
            y=alt.Y("rate:Q", title="Rate", axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("week:T", format="%Y-%m-%d"),
                alt.Tooltip("rate:Q", format=".1%"),
                alt.Tooltip("units:Q", format=","),
                alt.Tooltip("affected:Q", format=","),
            ],
        )
    )
    base = (
        alt.Chart(pd.DataFrame({"base": [row["base_rate"]]}))
        .mark_rule(color="#8d99ae", strokeDash=[4, 3])
        .encode(y="base:Q")
    )
    layers = [line, base]
    if isinstance(row.get("active_from"), str):
        end = (
            row["active_to"]
            if isinstance(row.get("active_to"), str)
            else w["week"].max().date().isoformat()
        )
        band = (
            alt.Chart(pd.DataFrame({"start": [row["active_from"]], "end": [end]}))
            .mark_rect(color="#f4a261", opacity=0.18)
            .encode(x="start:T", x2="end:T")
        )
        layers.insert(0, band)
    layered: alt.LayerChart = alt.layer(*layers, title=title).properties(  # type: ignore[assignment]
        width="container", height=220
    )
    return layered


# -- fishbone ------------------------------------------------------------------------------------
