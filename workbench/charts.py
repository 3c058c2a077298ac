"""Charts as values: Altair charts and Graphviz DOT text, never rendered here.

A notebook displays them, a page hands them to Streamlit, a report embeds them. The journey map
is DOT text, which Streamlit draws in the browser (no Graphviz binary needed); Altair charts save
to PNG and SVG offline through vl-convert.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from workbench.errors import ValidationError
from workbench.graph import END, START, GraphView
from workbench.records import rows

MEASURES = ("frequency", "median", "p90", "mean")
_HIGHLIGHT = "#d1495b"
_PERF_COLOURS = ("#2a9d8f", "#8ab17d", "#e9c46a", "#f4a261", "#e76f51")


def format_duration(seconds: float | None) -> str:
    """Short human duration: ``"45 s"``, ``"4.2 min"``, ``"3.1 h"``, ``"2.4 d"``.

    Examples
    --------
    >>> format_duration(42), format_duration(252), format_duration(11160), format_duration(207360)
    ('42 s', '4.2 min', '3.1 h', '2.4 d')
    """
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    s = float(seconds)
    if s < 90:
        return f"{s:.0f} s"
    if s < 90 * 60:
        return f"{s / 60:.1f} min"
    if s < 36 * 3600:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} d"


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(*lines: str) -> str:
    return '"' + "\\n".join(str(x).replace("\\", "\\\\").replace('"', '\\"') for x in lines) + '"'


def journey_map_dot(view: GraphView, measure: str = "frequency", rankdir: str = "TB") -> str:
    """The journey map as Graphviz DOT text.

    Parameters
    ----------
    view
        What to draw, from :func:`workbench.journey_graph`.
    measure
        ``"frequency"`` labels nodes with events and edges with transitions; ``"median"``,
        ``"p90"`` or ``"mean"`` label edges with that time and colour them from quick (green)
        to slow (red).
    rankdir
        ``"TB"`` (top to bottom) or ``"LR"`` (left to right).

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> dot = wb.charts.journey_map_dot(wb.journey_graph(model, 50, 20))
    >>> dot.startswith("digraph")
    True
    """
    if measure not in MEASURES:
        raise ValidationError(
            f"measure must be one of {', '.join(MEASURES)}, not '{measure}'.", "Unknown measure"
        )
    nodes, edges = view.nodes, view.edges
    lines = [
        "digraph journey {",
        f'  graph [rankdir={rankdir if rankdir in ("TB", "LR") else "TB"}, bgcolor="white", '
        'nodesep=0.35, ranksep=0.45, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        'color="#3d5a80", penwidth=1.2];',
        '  edge [fontname="Helvetica", fontsize=9, color="#8d99ae", arrowsize=0.6];',
        f'  {_q(START)} [shape=circle, label="Start", fillcolor="#e0fbfc", width=0.5];',
        f'  {_q(END)} [shape=doublecircle, label="End", fillcolor="#e0fbfc", width=0.4];',
    ]
    max_events = max(float(nodes["events"].max()), 1.0) if len(nodes) else 1.0
    for n in rows(nodes):
        fill = "#ffd166" if n["focus"] else _blend("#ffffff", "#98c1d9", n["events"] / max_events)
        if measure == "frequency":
            second = f"{n['events']:,}"
        else:
            second = f"{measure} {format_duration(n[f'{measure}_dwell_seconds'])}"
        tip = f"{n['touchpoint']}: {n['events']:,} events, {n['journeys']:,} journeys"
        node_attrs = f'label={_label(n["touchpoint"], second)}, fillcolor="{fill}"'
        if n["hidden_in"] or n["hidden_out"]:
            tip += (
                f"; {n['hidden_in']:,} transitions in from and {n['hidden_out']:,} out to "
                "touchpoints not shown"
            )
            node_attrs += ", peripheries=2"
        node_attrs += f", tooltip={_q(tip)}"
        if n["on_variant"]:
            node_attrs += f', color="{_HIGHLIGHT}", penwidth=2.5'
        lines.append(f"  {_q(n['touchpoint'])} [{node_attrs}];")
    max_t = max(float(edges["transitions"].max()), 1.0) if len(edges) else 1.0
    times = edges[f"{measure}_seconds"] if measure != "frequency" else None
    cuts = _quantile_cuts(times) if times is not None else []
    for e in rows(edges):
        width = 0.8 + 4.2 * math.sqrt(e["transitions"] / max_t)
        if measure == "frequency" or e["kind"] != "transition":
            label = f"{e['transitions']:,}"
            colour = "#5c677d" if e["kind"] == "transition" else "#b0b8c4"
        else:
            value = e[f"{measure}_seconds"]
            label = format_duration(value)
            colour = _PERF_COLOURS[sum(1 for c in cuts if value > c)]
        if e["on_variant"]:
            colour = _HIGHLIGHT
        edge_attrs = [f'label=" {label}"', f"penwidth={width:.2f}", f'color="{colour}"']
        if e["on_variant"]:
            edge_attrs.append(f'fontcolor="{_HIGHLIGHT}"')
        if e["outside_filter"]:
            edge_attrs.append("style=dashed")
        if e["kind"] == "start":
            edge_attrs.append("arrowhead=none")
        lines.append(f"  {_q(e['source'])} -> {_q(e['target'])} [{', '.join(edge_attrs)}];")
    lines.append("}")
    return "\n".join(lines)


def _quantile_cuts(times: pd.Series) -> list[float]:
    clean = times.dropna()
    if clean.empty:
        return []
    return [float(clean.quantile(q)) for q in (0.2, 0.4, 0.6, 0.8)]


def _blend(a: str, b: str, t: float) -> str:
    t = min(max(t, 0.0), 1.0) ** 0.5
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def variant_label(path: list[str], max_chars: int = 70) -> str:
    """``"Log in → View invoice → … (8 steps)"``, shortened in the middle when long."""
    text = " → ".join(path)
    if len(text) > max_chars:
        head = " → ".join(path[:2])
        tail = " → ".join(path[-2:])
        text = f"{head} → … → {tail}"
    return f"{text} ({len(path)} steps)"


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
                sort=alt.SortField("variant"),
                title=None,
                axis=alt.Axis(labelLimit=620, labelOverlap=False, labelFontSize=11),
            ),
            color=alt.condition(alt.datum.highlight, alt.value(_HIGHLIGHT), alt.value("#3d5a80")),
            tooltip=[
                alt.Tooltip("variant:Q", title="Variant"),
                alt.Tooltip("journeys:Q", title="Journeys", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("cumulative_share:Q", title="Cumulative", format=".1%"),
                alt.Tooltip("length:Q", title="Steps"),
            ],
        )
        .properties(width="container", height=max(160, 26 * len(data)))
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
    chart: alt.Chart = (bars + ticks).properties(width="container", height=max(120, 22 * len(data)))
    return chart
    return chart
