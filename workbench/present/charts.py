"""Charts as values: Altair charts and Graphviz DOT text, never rendered here.

Charts with a row per item size their height by row (``alt.Step``): a fixed total height is
shared with titles and axes in some renderers and can leave no room for the rows.

A notebook displays them, a page hands them to Streamlit, a report embeds them. The journey map
is DOT text, which Streamlit draws in the browser (no Graphviz binary needed); Altair charts save
to PNG and SVG offline through vl-convert.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import networkx as nx
import pandas as pd

from workbench.analyses.attributes import BONES
from workbench.analyses.satisfaction import OUTCOME_LABELS
from workbench.core.durations import format_duration
from workbench.core.errors import ValidationError
from workbench.core.records import rows
from workbench.journeys.changes import PeriodComparison
from workbench.journeys.graph import END, START, GraphView, SegmentComparison

MEASURES = ("frequency", "median", "p90", "mean")
_HIGHLIGHT = "#d1495b"
_PERF_COLOURS = ("#2a9d8f", "#8ab17d", "#e9c46a", "#f4a261", "#e76f51")


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(*lines: str) -> str:
    return '"' + "\\n".join(str(x).replace("\\", "\\\\").replace('"', '\\"') for x in lines) + '"'


def journey_map_dot(
    view: GraphView,
    measure: str = "frequency",
    rankdir: str = "TB",
    comparison: SegmentComparison | PeriodComparison | None = None,
) -> str:
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
    comparison
        A segment against the rest (:func:`workbench.compare_segment`): touchpoints and moves
        are coloured by how much more (red) or less (blue) often the segment's journeys make
        them, labelled in percentage points. Or two periods
        (:func:`workbench.journeys.periods.compare_periods`): coloured red where period B's
        journeys make them significantly more often than A's, blue significantly less often,
        grey (moves) or white (touchpoints) where they changed no more than chance would;
        labelled with the change in percentage points all the same.

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
    node_diff = _differences(comparison.nodes, ["touchpoint"]) if comparison else {}
    edge_diff = _differences(comparison.edges, ["source", "target"]) if comparison else {}
    node_fill = _coloured(comparison.nodes, ["touchpoint"]) if comparison else {}
    edge_colour = _coloured(comparison.edges, ["source", "target"]) if comparison else {}
    for n in rows(nodes):
        fill = "#ffd166" if n["focus"] else _blend("#ffffff", "#98c1d9", n["events"] / max_events)
        if comparison is not None:
            d = node_diff.get((n["touchpoint"],), 0.0)
            fill = _diverging(node_fill.get((n["touchpoint"],), 0.0))
            second = f"{100 * d:+.0f} pp"
        elif measure == "frequency":
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
        if comparison is not None and e["kind"] == "transition":
            d = edge_diff.get((e["source"], e["target"]), 0.0)
            label = f"{100 * d:+.0f} pp"
            colour = _diverging(edge_colour.get((e["source"], e["target"]), 0.0), strong=True)
        elif measure == "frequency" or e["kind"] != "transition":
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


def _differences(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[str, ...], float]:
    return {tuple(str(r[k]) for k in keys): float(r["difference"]) for r in rows(frame)}


def _coloured(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[str, ...], float]:
    """The differences to colour by: all of a segment comparison's; only the significant ones
    of a period comparison (the others are drawn as no change), scaled so that its largest
    change is drawn in full colour (a move a few percent of journeys make can change most)."""
    if "significant" not in frame.columns:
        return _differences(frame, keys)
    kept = frame["difference"].where(frame["significant"], 0.0)
    largest = float(kept.abs().max()) if len(kept) else 0.0
    scaled = kept * (_FULL_COLOUR / largest) if largest > 0 else kept
    return _differences(frame.assign(difference=scaled), keys)


#: A difference this large (15 percentage points) is drawn in full colour.
_FULL_COLOUR = 0.15


def _diverging(diff: float, strong: bool = False) -> str:
    """Red for more often in the segment, blue for less, white/grey for the same."""
    t = min(abs(diff) / _FULL_COLOUR, 1.0)
    far = "#c1121f" if diff > 0 else "#1d4e89"
    near = "#b0b8c4" if strong else "#ffffff"
    return _blend(near, far, t)


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
                sort=alt.EncodingSortField(field="variant", op="min"),
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


def fishbone_chart(fishbone: Any, width: int | str = 1150, height: int = 600) -> alt.LayerChart:
    """The fishbone: the effect at the head, six bones, each cause a rib with its numbers.

    Drawn with Altair (rules and text), so it renders offline and saves to PNG or SVG. Give
    ``width="container"`` to fill a page's width; exports need a number.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv")
    >>> fb = wb.group_causes(wb.build_journeys(log), "friction:unresolved:Support call")
    >>> spec = wb.charts.fishbone_chart(fb).to_dict()
    >>> len(spec["layer"]) >= 4
    True
    """

    lines, texts = _fishbone_marks(fishbone)
    ldf, tdf = pd.DataFrame(lines), pd.DataFrame(texts)
    layers = [
        _fishbone_head_box(),
        _fishbone_rule(ldf, "spine", "#3d5a80", 4),
        _fishbone_rule(ldf, "bone", "#3d5a80", 2.5),
        _fishbone_rule(ldf, "rib", "#8d99ae", 1.2),
        _fishbone_rule(ldf, "manual", "#6a994e", 1.2, [4, 3]),
        _fishbone_text(tdf, "bone", fontSize=13, fontWeight="bold", color="#3d5a80"),
        _fishbone_text(
            tdf, "cause", fontSize=10.5, align="right", baseline="middle", color="#293241"
        ),
        _fishbone_text(
            tdf,
            "manual",
            fontSize=10.5,
            align="right",
            baseline="middle",
            color="#6a994e",
            fontStyle="italic",
        ),
        _fishbone_text(
            tdf,
            "head",
            fontSize=12,
            fontWeight="bold",
            align="left",
            baseline="middle",
            color="#9c2c3f",
        ),
    ]
    chart: alt.LayerChart = (
        alt.layer(*layers)
        .configure_view(strokeWidth=0)
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(
                f"Why: {fishbone.title}",
                subtitle=[
                    f"{fishbone.affected:,} of {fishbone.population:,} {fishbone.unit} "
                    f"({fishbone.base_rate:.0%}); causes with rate with vs without, lift and "
                    "support. " + fishbone.caveat
                ],
            ),
        )
    )
    return chart


# The fishbone is drawn on a fixed canvas: x from -2 to 101 (the spine runs to 84, the head's
# box fills the rest), y from -54 to 54 (three bones above the spine, three below).
_SPINE_END = 84.0
_BONE_ATTACH = {0: 30.0, 1: 57.0, 2: 84.0}


def _fishbone_marks(fishbone: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The fishbone's line segments and texts, each tagged with the ``kind`` that styles it."""
    lines: list[dict[str, Any]] = [
        {"x": 2.0, "y": 0.0, "x2": _SPINE_END, "y2": 0.0, "kind": "spine"}
    ]
    texts: list[dict[str, Any]] = []
    for i, bone in enumerate(BONES):
        _fishbone_bone(fishbone, i, bone, lines, texts)
    head_lines = [
        *_wrap(fishbone.title, 16),
        f"{fishbone.affected:,} of {fishbone.population:,}",
        fishbone.unit,
    ]
    # a multi-line text is placed by its first line: lift it by half the block
    texts.append(
        {
            "x": _SPINE_END + 1.8,
            "y": 1.25 * (len(head_lines) - 1),
            "text": "\n".join(head_lines),
            "kind": "head",
        }
    )
    return lines, texts


def _fishbone_bone(
    fishbone: Any, i: int, bone: str, lines: list[dict[str, Any]], texts: list[dict[str, Any]]
) -> None:
    """Add bone ``i`` (the first three above the spine) and a rib per cause on it."""
    up = i < 3
    ax = _BONE_ATTACH[i % 3]
    sign = 1 if up else -1
    top_x, top_y = ax - 12, sign * 44.0
    lines.append({"x": ax, "y": 0.0, "x2": top_x, "y2": top_y, "kind": "bone"})
    causes = fishbone.bone(bone)
    left = fishbone.left_out.get(bone, 0)
    head = bone + (f"  (+{left} left out)" if left else "")
    texts.append({"x": top_x, "y": sign * 48.5, "text": head, "kind": "bone"})
    n = max(len(causes), 1)
    for j, rec in enumerate(causes.to_dict(orient="records")):
        t = 0.82 - 0.62 * (j / max(n - 1, 1)) if n > 1 else 0.55
        bx, by = ax + (top_x - ax) * t, top_y * t
        lines.append(
            {
                "x": bx,
                "y": by,
                "x2": bx - 3.5,
                "y2": by,
                "kind": "manual" if rec.get("manual") else "rib",
            }
        )
        texts.append(
            {
                "x": bx - 4,
                "y": by,
                "text": _rib_label(rec),
                "kind": "manual" if rec.get("manual") else "cause",
            }
        )


def _rib_label(rec: dict[str, Any]) -> str:
    """A cause's text: a workshop cause by name, a found one with rates, lift and support."""
    if rec.get("manual"):
        return f"{_short(str(rec['value']), 30)}\n(workshop)"
    return (
        f"{_short(str(rec['label']), 30)}\n{rec['rate']:.0%} vs "
        f"{rec['rate_without']:.0%} · ×{rec['lift']:.1f} · n={rec['units']:,}"
    )


def _fishbone_x() -> alt.X:
    return alt.X("x:Q", scale=alt.Scale(domain=[-2, 101], nice=False), axis=None)


def _fishbone_y() -> alt.Y:
    return alt.Y("y:Q", scale=alt.Scale(domain=[-54, 54], nice=False), axis=None)


def _fishbone_head_box() -> alt.Chart:
    """The box around the effect at the fish's head."""
    box: alt.Chart = (
        alt.Chart(
            pd.DataFrame({"x": [_SPINE_END + 0.8], "x2": [100.5], "y": [-11.0], "y2": [11.0]})
        )
        .mark_rect(color="#fbe3e6", stroke=_HIGHLIGHT, strokeWidth=1.5, cornerRadius=6)
        .encode(x=_fishbone_x(), x2="x2:Q", y=_fishbone_y(), y2="y2:Q")
    )
    return box


def _fishbone_rule(
    lines: pd.DataFrame, kind: str, colour: str, size: float, dash: list[int] | None = None
) -> alt.Chart:
    """The line segments of one ``kind`` (spine, bone, rib, manual) in one style."""
    made: alt.Chart = (
        alt.Chart(lines[lines["kind"] == kind])
        .mark_rule(color=colour, strokeWidth=size, strokeDash=dash or [1, 0])
        .encode(x=_fishbone_x(), y=_fishbone_y(), x2="x2:Q", y2="y2:Q")
    )
    return made


def _fishbone_text(texts: pd.DataFrame, kind: str, **style: Any) -> alt.Chart:
    """The texts of one ``kind`` (bone, cause, manual, head) in one style."""
    made: alt.Chart = (
        alt.Chart(texts[texts["kind"] == kind])
        .mark_text(lineBreak="\n", **style)
        .encode(x=_fishbone_x(), y=_fishbone_y(), text="text:N")
    )
    return made


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines[:4]


# -- satisfaction and KPIs ----------------------------------------------------------------------

_LEVEL_COLOURS = {"journey": "#3d5a80", "touchpoint": "#e76f51"}


def kpi_trend_chart(table: Any, kpi: str) -> alt.LayerChart:
    """A KPI month by month (or week by week) with its 95 % interval; hollow points rest on
    too few answers to trust. ``table`` is :func:`workbench.analyses.kpis.kpis` split by month
    or week."""
    data = table.table[table.table["kpi"] == kpi].copy()
    data = data[~data["group"].astype(str).str.startswith("(")]
    data["trusted"] = data["warning"] == ""
    label = data["label"].iloc[0] if len(data) else kpi
    base = alt.Chart(data, title=f"{label} by {table.by}")
    # the line and its band join only the figures resting on enough answers: a month with a
    # handful is a hollow point of its own, not a jump of the line
    trusted = base.transform_filter(alt.datum.trusted)
    band = trusted.mark_area(opacity=0.18, color="#3d5a80").encode(
        x=alt.X("group:O", title=None), y=alt.Y("ci_low:Q", title=label), y2="ci_high:Q"
    )
    line = trusted.mark_line(color="#3d5a80").encode(x="group:O", y="value:Q")
    points = base.mark_point(size=60, color="#3d5a80").encode(
        x="group:O",
        y="value:Q",
        fill=alt.condition(alt.datum.trusted, alt.value("#3d5a80"), alt.value("white")),
        tooltip=[
            alt.Tooltip("group:N", title="Period"),
            alt.Tooltip("value:Q", format=".1f"),
            alt.Tooltip("ci_low:Q", format=".1f"),
            alt.Tooltip("ci_high:Q", format=".1f"),
            alt.Tooltip("n:Q", format=","),
            alt.Tooltip("warning:N"),
        ],
    )
    chart: alt.LayerChart = (band + line + points).properties(width="container", height=240)
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


def journey_map_layout(view: GraphView) -> pd.DataFrame:
    """Positions for the journey map drawn without Graphviz: touchpoints in layers by their
    fewest steps from Start (End last), left to right, ordered within a layer by where their
    predecessors sit (one barycentre sweep, which uncrosses most flows). Columns ``node``,
    ``layer``, ``x``, ``y``."""

    g = view.graph()
    g.add_nodes_from(view.nodes["touchpoint"])
    g.add_nodes_from([START, END])
    depth = nx.single_source_shortest_path_length(g, START) if START in g else {}
    inner = [n for n in g.nodes if n not in (START, END)]
    deepest = max([d for n, d in depth.items() if n != END] + [0])
    layer = {n: depth.get(n, deepest + 1) for n in inner}
    layer[START] = 0
    layer[END] = max([*layer.values(), 0]) + 1
    xs: dict[str, float] = {}
    for level in sorted(set(layer.values())):
        members = [n for n in layer if layer[n] == level]

        def centre(n: str) -> float:
            seen = [xs[p] for p in g.predecessors(n) if p in xs]
            return sum(seen) / len(seen) if seen else 0.0

        members.sort(key=lambda n: (centre(n), str(n)))
        width = len(members)
        for i, n in enumerate(members):
            xs[n] = i - (width - 1) / 2
    return pd.DataFrame(
        [{"node": n, "layer": layer[n], "x": float(layer[n]), "y": -xs[n]} for n in layer]
    ).sort_values(["layer", "y"], ascending=[True, False], ignore_index=True)


def journey_map_chart(view: GraphView, width: int = 1100) -> alt.LayerChart:
    """The journey map as an Altair chart (for reports and notebooks; the app draws DOT):
    touchpoints as circles sized by events, moves as lines as thick as their transitions,
    labelled with the count; the variant picked in the view in red."""
    pos = journey_map_layout(view).set_index("node")
    node_frame = _map_nodes(view, pos)
    edge_frame = _map_edges(view, pos)
    rows = int(pos.groupby("layer").size().max()) if len(pos) else 1
    top = max(1.0, float(edge_frame["transitions"].max()) if len(edge_frame) else 1.0)
    colour = alt.condition("datum.on_variant", alt.value(_HIGHLIGHT), alt.value("#98a6b8"))
    x = alt.X("x:Q", axis=None, scale=alt.Scale(padding=70))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(padding=40))
    edges = (
        alt.Chart(edge_frame)
        .mark_rule(opacity=0.7)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth(
                "transitions:Q", scale=alt.Scale(domain=[0, top], range=[0.5, 9]), legend=None
            ),
            color=colour,
            tooltip=[
                alt.Tooltip("source:N", title="From"),
                alt.Tooltip("target:N", title="To"),
                alt.Tooltip("transitions:Q", title="Transitions", format=","),
            ],
        )
    )
    counts = (
        alt.Chart(edge_frame)
        .mark_text(fontSize=9, color="#5c6b7a", dy=-5)
        .encode(x=alt.X("mx:Q", axis=None), y=alt.Y("my:Q", axis=None), text="count:N")
    )
    circles = (
        alt.Chart(node_frame)
        .mark_circle(opacity=1, stroke="white", strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            size=alt.Size("events:Q", scale=alt.Scale(range=[120, 1400]), legend=None),
            color=alt.condition("datum.terminal", alt.value("#293241"), alt.value("#3d5a80")),
            tooltip=[
                alt.Tooltip("node:N", title="Touchpoint"),
                alt.Tooltip("events:Q", title="Events", format=","),
            ],
        )
    )
    labels = (
        alt.Chart(node_frame)
        .mark_text(fontSize=11, dy=-24, color="#293241", lineBreak="\n")
        .encode(x=x, y=y, text="label:N")
    )
    chart: alt.LayerChart = (
        alt.layer(edges, counts, circles, labels)
        .properties(width=width, height=max(260, 95 * rows), title=view.caption)
        .configure_view(stroke=None)
    )
    return chart


def _map_nodes(view: GraphView, pos: pd.DataFrame) -> pd.DataFrame:
    """One row per placed touchpoint: where it sits, its events and its label."""
    events_of = dict(zip(view.nodes["touchpoint"], view.nodes["events"], strict=True))
    node_rows = []
    for name, p in pos.iterrows():
        events = int(events_of.get(name, 0))
        node_rows.append(
            {
                "node": str(name),
                "x": float(p["x"]),
                "y": float(p["y"]),
                "events": events,
                "label": str(name) if name in (START, END) else f"{name}\n{events:,} events",
                "terminal": name in (START, END),
            }
        )
    return pd.DataFrame(node_rows)


def _map_edges(view: GraphView, pos: pd.DataFrame) -> pd.DataFrame:
    """One row per drawn move between placed touchpoints: its ends, the point its count is
    written at (six tenths of the way along) and the count as text."""
    edge_frame = view.edges[["source", "target", "kind", "transitions", "on_variant"]].copy()
    edge_frame = edge_frame[
        edge_frame["source"].isin(pos.index) & edge_frame["target"].isin(pos.index)
    ]
    edge_frame["x"] = edge_frame["source"].map(pos["x"]).astype(float)
    edge_frame["y"] = edge_frame["source"].map(pos["y"]).astype(float)
    edge_frame["x2"] = edge_frame["target"].map(pos["x"]).astype(float)
    edge_frame["y2"] = edge_frame["target"].map(pos["y"]).astype(float)
    edge_frame["mx"] = edge_frame["x"] * 0.4 + edge_frame["x2"] * 0.6
    edge_frame["my"] = edge_frame["y"] * 0.4 + edge_frame["y2"] * 0.6
    edge_frame["on_variant"] = edge_frame["on_variant"].astype(bool)
    edge_frame["count"] = edge_frame["transitions"].map(lambda n: f"{int(n):,}")
    return edge_frame


# -- funnels ---------------------------------------------------------------------------------------

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
