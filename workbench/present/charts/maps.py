"""The journey map: Graphviz DOT for the screen (drawn in the browser), an Altair chart for
files and reports, and variants named by their path."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import networkx as nx
import pandas as pd

from workbench.core.durations import format_duration
from workbench.core.errors import ValidationError
from workbench.core.records import rows
from workbench.journeys.changes import PeriodComparison
from workbench.journeys.graph import END, START, GraphView, SegmentComparison
from workbench.present.charts.palette import HIGHLIGHT, ink

MEASURES = ("frequency", "median", "p90", "mean")
#: Label sizes in points. The app draws the map at its own size (one point is 1.33 screen
#: pixels), so touchpoints read at 13 px and counts at 12 px, above the 11 px a projector needs.
NODE_FONT_PT = 10.0
EDGE_FONT_PT = 9.0
#: Points across the Journey map page's drawing area on a 1440-pixel screen (980 px).
PAGE_WIDTH_PT = 735.0
_PERF_COLOURS = ("#2a9d8f", "#8ab17d", "#e9c46a", "#f4a261", "#e76f51")


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(*lines: str) -> str:
    return '"' + "\\n".join(str(x).replace("\\", "\\\\").replace('"', '\\"') for x in lines) + '"'


def journey_map_dot(
    view: GraphView,
    measure: str = "frequency",
    rankdir: str = "auto",
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
        ``"TB"`` (top to bottom), ``"LR"`` (left to right) or ``"auto"``: the one that
        fits the page's width better (:func:`map_direction`).
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
    looks = MapLooks.of(view, measure, comparison)  # checks the measure first
    nodes, edges = view.nodes, view.edges
    direction = rankdir if rankdir in ("TB", "LR") else map_direction(view)
    lines = [
        # the graph's name is the drawing's <title>: what it shows, for those who do not see it
        f"digraph {_q(map_summary(view, measure, comparison))} {{",
        f'  graph [rankdir={direction}, bgcolor="white", '
        'nodesep=0.3, ranksep=0.4, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", '
        f'fontsize={NODE_FONT_PT:g}, color="#3d5a80", penwidth=1.2, margin="0.08,0.04"];',
        f'  edge [fontname="Helvetica", fontsize={EDGE_FONT_PT:g}, color="#8d99ae", '
        "arrowsize=0.7];",
        f'  {_q(START)} [shape=circle, label="Start", fillcolor="#e0fbfc", width=0.5];',
        f'  {_q(END)} [shape=doublecircle, label="End", fillcolor="#e0fbfc", width=0.4];',
    ]
    for n in rows(nodes):
        second, fill = looks.node(n)
        tip = f"{n['touchpoint']}: {n['events']:,} events, {n['journeys']:,} journeys"
        node_attrs = (
            f'label={_label(n["touchpoint"], second)}, fillcolor="{fill}", fontcolor="{ink(fill)}"'
        )
        if n["hidden_in"] or n["hidden_out"]:
            tip += (
                f"; {n['hidden_in']:,} transitions in from and {n['hidden_out']:,} out to "
                "touchpoints not shown"
            )
            node_attrs += ", peripheries=2"
        node_attrs += f", tooltip={_q(tip)}"
        if n["on_variant"]:
            node_attrs += f', color="{HIGHLIGHT}", penwidth=2.5'
        lines.append(f"  {_q(n['touchpoint'])} [{node_attrs}];")
    max_t = max(float(edges["transitions"].max()), 1.0) if len(edges) else 1.0
    for e in rows(edges):
        width = 0.8 + 4.2 * math.sqrt(e["transitions"] / max_t)
        label, colour = looks.edge(e)
        edge_attrs = [f'label=" {label}"', f"penwidth={width:.2f}", f'color="{colour}"']
        if e["on_variant"]:
            edge_attrs.append(f'fontcolor="{HIGHLIGHT}"')
        if e["outside_filter"]:
            edge_attrs.append("style=dashed")
        if e["kind"] == "start":
            edge_attrs.append("arrowhead=none")
        lines.append(f"  {_q(e['source'])} -> {_q(e['target'])} [{', '.join(edge_attrs)}];")
    lines.append("}")
    return "\n".join(lines)


#: Colours of moves on the map: between touchpoints, and the arcs from Start and to End.
MOVE_COLOUR = "#5c677d"
ARC_COLOUR = "#b0b8c4"


@dataclass(frozen=True)
class MapLooks:
    """What each touchpoint and move of a view shows, the same on the screen's map (DOT) and
    the report's (SVG): its second label line or label, and its colour, for a label measure
    (counts or times) or a comparison (a segment against the rest, or two periods)."""

    measure: str
    comparison: SegmentComparison | PeriodComparison | None
    most_events: float
    cuts: tuple[float, ...]
    node_diff: dict[tuple[str, ...], float]
    edge_diff: dict[tuple[str, ...], float]
    node_fill: dict[tuple[str, ...], float]
    edge_colour: dict[tuple[str, ...], float]

    @classmethod
    def of(
        cls,
        view: GraphView,
        measure: str = "frequency",
        comparison: SegmentComparison | PeriodComparison | None = None,
    ) -> MapLooks:
        if measure not in MEASURES:
            raise ValidationError(
                f"measure must be one of {', '.join(MEASURES)}, not '{measure}'.",
                "Unknown measure",
            )
        nodes, edges = view.nodes, view.edges
        most = max(float(nodes["events"].max()), 1.0) if len(nodes) else 1.0
        times = edges[f"{measure}_seconds"] if measure != "frequency" else None
        cmp_nodes = comparison.nodes if comparison else pd.DataFrame()
        cmp_edges = comparison.edges if comparison else pd.DataFrame()
        return cls(
            measure,
            comparison,
            most,
            tuple(_quantile_cuts(times)) if times is not None else (),
            _differences(cmp_nodes, ["touchpoint"]) if comparison else {},
            _differences(cmp_edges, ["source", "target"]) if comparison else {},
            _coloured(cmp_nodes, ["touchpoint"]) if comparison else {},
            _coloured(cmp_edges, ["source", "target"]) if comparison else {},
        )

    def node(self, n: dict[str, Any]) -> tuple[str, str]:
        """A touchpoint's second label line (under its name) and its fill."""
        fill = (
            "#ffd166"
            if n["focus"]
            else _blend("#ffffff", "#98c1d9", n["events"] / self.most_events)
        )
        if self.comparison is not None:
            d = self.node_diff.get((n["touchpoint"],), 0.0)
            return f"{100 * d:+.0f} pp", _diverging(self.node_fill.get((n["touchpoint"],), 0.0))
        if self.measure == "frequency":
            return f"{n['events']:,}", fill
        return f"{self.measure} {format_duration(n[f'{self.measure}_dwell_seconds'])}", fill

    def edge(self, e: dict[str, Any]) -> tuple[str, str]:
        """A move's label and colour (the highlighted variant's red over all others)."""
        key = (e["source"], e["target"])
        if self.comparison is not None and e["kind"] == "transition":
            label = f"{100 * self.edge_diff.get(key, 0.0):+.0f} pp"
            colour = _diverging(self.edge_colour.get(key, 0.0), strong=True)
        elif self.measure == "frequency" or e["kind"] != "transition":
            label = f"{e['transitions']:,}"
            colour = MOVE_COLOUR if e["kind"] == "transition" else ARC_COLOUR
        else:
            value = e[f"{self.measure}_seconds"]
            label = format_duration(value)
            colour = _PERF_COLOURS[sum(1 for c in self.cuts if value > c)]
        return label, HIGHLIGHT if e["on_variant"] else colour

    def describe(self) -> str:
        """What the labels and colours say, in a few words (for the map's text alternative)."""
        if isinstance(self.comparison, PeriodComparison):
            return f"coloured by the change from period A to B ({self.comparison.caption})"
        if self.comparison is not None:
            return f"coloured by segment against the rest ({self.comparison.caption})"
        if self.measure == "frequency":
            return "labelled with events and transitions"
        return f"moves labelled with their {self.measure} time"


def map_summary(
    view: GraphView,
    measure: str = "frequency",
    comparison: SegmentComparison | PeriodComparison | None = None,
) -> str:
    """The map in a few sentences, for those who do not see it (its text alternative): what
    it shows, what its labels and colours say, and the busiest touchpoints and moves."""
    looks = MapLooks.of(view, measure, comparison)
    busiest = view.nodes.sort_values("events", ascending=False)["touchpoint"].head(3)
    moves = view.edges[view.edges["kind"] == "transition"].nlargest(3, "transitions")
    text = f"Journey map, {view.caption}; {looks.describe()}."
    if len(busiest):
        text += f" Busiest touchpoints: {', '.join(map(str, busiest))}."
    if len(moves):
        text += (
            " Most frequent moves: "
            + "; ".join(
                f"{s} → {t} ({int(n):,})"
                for s, t, n in zip(
                    moves["source"], moves["target"], moves["transitions"], strict=True
                )
            )
            + "."
        )
    return text


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
    return f"{text} ({len(path)} step{'' if len(path) == 1 else 's'})"


def map_ranks(view: GraphView) -> pd.DataFrame:
    """Where each drawn touchpoint sits, as Graphviz's ``dot`` places it: moves that go back
    (found by a walk from Start) are turned round, each touchpoint goes one rank past its
    furthest predecessor, End last; within a rank, touchpoints follow the middle of their
    predecessors (two sweeps). Columns ``node``, ``rank``, ``order``."""
    g = view.graph()
    g.add_nodes_from([*view.nodes["touchpoint"], START, END])
    walk = list(nx.dfs_preorder_nodes(g, START))
    for n in sorted(set(g.nodes) - set(walk)):  # touchpoints no journey reaches from Start
        walk += [m for m in nx.dfs_preorder_nodes(g, n) if m not in set(walk)]
    seen = {n: i for i, n in enumerate(walk)}  # one place each: the turned graph has no cycle
    dag = nx.DiGraph()
    dag.add_nodes_from(g.nodes)
    for u, v in g.edges:
        if u != v and START not in (u, v) and END not in (u, v):
            dag.add_edge(*((u, v) if seen[u] < seen[v] else (v, u)))
        elif u == START or v == END:
            dag.add_edge(u, v)
    rank: dict[str, int] = {}
    for n in nx.topological_sort(dag):
        rank[n] = max((rank[p] + 1 for p in dag.predecessors(n)), default=0 if n == START else 1)
    rank[END] = max(r for n, r in rank.items() if n != END) + 1
    order: dict[str, float] = {}
    for _ in range(2):
        for level in sorted(set(rank.values())):
            members = [n for n in rank if rank[n] == level]

            def centre(n: str) -> float:
                near = [order[p] for p in dag.predecessors(n) if p in order and p != n]
                return sum(near) / len(near) if near else order.get(n, 0.0)

            members.sort(key=lambda n: (centre(n), str(n)))
            order.update({n: float(i) for i, n in enumerate(members)})
    return pd.DataFrame(
        [{"node": n, "rank": rank[n], "order": order[n]} for n in rank]
    ).sort_values(["rank", "order"], ignore_index=True)


def map_direction(view: GraphView, width_pt: float = PAGE_WIDTH_PT) -> str:
    """``"LR"`` when the map drawn left to right fits ``width_pt`` points across (or is no
    wider than top to bottom), else ``"TB"``: a long journey drawn left to right is wide and
    flat, and shrunk to the page its labels are too small to read.

    The widths are estimated from the ranks of :func:`map_ranks` and the label lengths, as
    Graphviz sizes the boxes (about 0.55 em a character).
    """
    pos = map_ranks(view)
    events = dict(zip(view.nodes["touchpoint"], view.nodes["events"], strict=True))
    widths = {
        str(n): max(54.0, 0.55 * NODE_FONT_PT * max(len(str(n)), len(f"{events.get(n, 0):,}")) + 12)
        for n in pos["node"]
    }
    ranks = pos.assign(width=pos["node"].map(widths)).groupby("rank")["width"]
    across = float(ranks.max().sum()) + 45.0 * (ranks.ngroups - 1)  # ranks plus counts
    down = float((ranks.sum() + 22.0 * (ranks.count() - 1)).max())  # the widest rank
    return "LR" if across <= width_pt or across <= down else "TB"


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
    colour = alt.condition("datum.on_variant", alt.value(HIGHLIGHT), alt.value("#98a6b8"))
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
