"""The journey map as a finished SVG drawing, for reports and downloads: the screen's map (the
same view, filters, goals, labels, colours and arrows), laid out here in layers so that a
file needs no Graphviz and no script to show it."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from workbench.core.records import rows
from workbench.journeys.graph import END, START, GraphView
from workbench.present.charts.maps import (
    EDGE_FONT_PT,
    NODE_FONT_PT,
    _blend,
    map_direction,
    map_ranks,
)
from workbench.present.charts.palette import HIGHLIGHT

#: Space between ranks and between touchpoints of one rank, in points.
_RANK_GAP = 56.0
_NODE_GAP = 22.0
_NODE_HEIGHT = 34.0
_MARGIN = 24.0
#: Colours of the screen's map: box outline, moves, arcs from Start and to End, label text.
_OUTLINE = "#3d5a80"
_MOVE = "#5c677d"
_ARC = "#8d99ae"
_TEXT = "#1b1f24"


@dataclass(frozen=True)
class _Box:
    x: float  # centre
    y: float
    w: float
    h: float

    def overlaps(self, other: _Box) -> bool:
        return abs(self.x - other.x) * 2 < self.w + other.w and abs(self.y - other.y) * 2 < (
            self.h + other.h
        )


def _text_width(text: str, size: float) -> float:
    """About how wide Helvetica writes ``text`` at ``size`` points."""
    return 0.56 * size * len(text)


def _node_label(node: dict[str, object]) -> list[str]:
    name = str(node["touchpoint"])
    return [name, f"{int(node['events']):,}"]  # type: ignore[call-overload]


def _place(view: GraphView, direction: str) -> dict[str, _Box]:
    """Each touchpoint's box: ranks from Start across (``LR``) or down (``TB``)."""
    pos = map_ranks(view)
    nodes = {str(n["touchpoint"]): n for n in rows(view.nodes)}
    size: dict[str, tuple[float, float]] = {}
    for name in pos["node"]:
        if name in (START, END):
            size[name] = (40.0, 40.0)
        else:
            text = max((_text_width(t, NODE_FONT_PT) for t in _node_label(nodes[name])), default=0)
            size[name] = (max(60.0, text + 18.0), _NODE_HEIGHT)
    across = direction == "LR"
    boxes: dict[str, _Box] = {}
    rank_at = _MARGIN
    for _, members in pos.groupby("rank", sort=True):
        names = list(members.sort_values("order")["node"])
        depth = max(size[n][0 if across else 1] for n in names)  # how far the rank reaches
        spread = [size[n][1 if across else 0] for n in names]
        total = sum(spread) + _NODE_GAP * (len(names) - 1)
        at = -total / 2
        for n, extent in zip(names, spread, strict=True):
            centre = at + extent / 2
            w, h = size[n]
            x, y = (rank_at + depth / 2, centre) if across else (centre, rank_at + depth / 2)
            boxes[n] = _Box(x, y, w, h)
            at += extent + _NODE_GAP
        rank_at += depth + _RANK_GAP
    low = min((b.y - b.h / 2 if across else b.x - b.w / 2) for b in boxes.values())
    shift = _MARGIN - low
    return {
        n: _Box(b.x, b.y + shift, b.w, b.h) if across else _Box(b.x + shift, b.y, b.w, b.h)
        for n, b in boxes.items()
    }


def _ends(a: _Box, b: _Box, across: bool) -> tuple[float, float, float, float, float, float]:
    """Where a move leaves ``a`` and enters ``b``, and the control point that bends it: moves
    forward go straight across the ranks, moves back bow out past both ends, and moves within
    a rank bow out to the side."""
    if not across:  # top to bottom: the same drawing turned a quarter
        x1, y1, x2, y2, cx, cy = _ends(_turn(a), _turn(b), True)
        return y1, x1, y2, x2, cy, cx
    if b.x > a.x + 1:
        x1, y1, x2, y2 = a.x + a.w / 2, a.y, b.x - b.w / 2, b.y
        return x1, y1, x2, y2, (x1 + x2) / 2, (y1 + y2) / 2
    if b.x < a.x - 1:  # back: under both
        x1, y1, x2, y2 = a.x, a.y + a.h / 2, b.x, b.y + b.h / 2
        return x1, y1, x2, y2, (x1 + x2) / 2, max(y1, y2) + 30 + 0.12 * (a.x - b.x)
    x1, y1, x2, y2 = a.x + a.w / 2, a.y, b.x + b.w / 2, b.y  # within a rank: to the right
    return x1, y1, x2, y2, max(x1, x2) + 24 + 0.3 * abs(y2 - y1), (y1 + y2) / 2


def _turn(box: _Box) -> _Box:
    return _Box(box.y, box.x, box.h, box.w)


def _point(curve: tuple[float, float, float, float, float, float], t: float) -> tuple[float, float]:
    x1, y1, x2, y2, cx, cy = curve
    return (
        (1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t**2 * x2,
        (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t**2 * y2,
    )


def _around(
    curve: tuple[float, float, float, float, float, float], others: list[_Box], across: bool
) -> tuple[float, float, float, float, float, float]:
    """The curve bent sideways, as little as will do, so that it crosses no touchpoint it
    does not join (a move that skips ranks would otherwise run through the ones between)."""
    x1, y1, x2, y2, cx, cy = curve
    for bend in (0.0, 40.0, -40.0, 80.0, -80.0, 130.0, -130.0, 190.0, -190.0):
        bent = (x1, y1, x2, y2, cx, cy + bend) if across else (x1, y1, x2, y2, cx + bend, cy)
        points = [_point(bent, i / 24) for i in range(2, 23)]
        if not any(_Box(x, y, 2.0, 2.0).overlaps(o) for x, y in points for o in others):
            return bent
    return curve


def _label_spot(
    curve: tuple[float, float, float, float, float, float], text: str, taken: list[_Box]
) -> _Box:
    """A place along the move for its count that covers no touchpoint and no other count."""
    w, h = _text_width(text, EDGE_FONT_PT) + 4, EDGE_FONT_PT + 3
    first = None
    for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78):
        x, y = _point(curve, t)
        for dx, dy in ((0.0, 0.0), (w / 2 + 3, 0.0), (-w / 2 - 3, 0.0), (0.0, -h)):
            box = _Box(x + dx, y + dy, w, h)
            first = first or box
            if not any(box.overlaps(o) for o in taken):
                return box
    assert first is not None
    return first


def journey_map_svg(view: GraphView, rankdir: str = "auto") -> str:
    """The journey map as an SVG document: touchpoints as boxes labelled with their events,
    moves as arrows as thick as their transitions and labelled with the count, the variant
    picked in the view in red, moves the filters would hide dashed. No label covers another.

    ``rankdir`` is ``"LR"``, ``"TB"`` or ``"auto"`` (as the app's automatic layout). Each
    touchpoint is a ``<g class="node">`` and each drawn move a ``<g class="edge">``, as in the
    map the app draws.

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> svg = wb.charts.journey_map_svg(wb.journey_graph(model, 50, 20))
    >>> svg.startswith("<svg") and 'class="edge"' in svg
    True
    """
    direction = rankdir if rankdir in ("LR", "TB") else map_direction(view)
    boxes = _place(view, direction)
    taken = list(boxes.values())
    nodes = [n for n in rows(view.nodes) if str(n["touchpoint"]) in boxes]
    edge_rows = [
        e for e in rows(view.edges) if str(e["source"]) in boxes and str(e["target"]) in boxes
    ]
    top = max([float(e["transitions"]) for e in edge_rows] + [1.0])
    parts = [_svg_edge(e, boxes, direction == "LR", top, taken) for e in edge_rows]
    most = max([float(n["events"]) for n in nodes] + [1.0])
    parts += [_svg_node(n, boxes[str(n["touchpoint"])], most) for n in nodes]
    parts += [_svg_terminal(name, boxes[name]) for name in (START, END) if name in boxes]
    width = max(b.x + b.w / 2 for b in taken) + _MARGIN
    height = max(b.y + b.h / 2 for b in taken) + _MARGIN
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="journey-map" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}pt" height="{height:.0f}pt" '
        'font-family="Helvetica, Arial, sans-serif" role="img">'
        f"<title>{html.escape(view.caption)}</title>" + _markers() + "".join(parts) + "</svg>"
    )


def _markers() -> str:
    heads = "".join(
        f'<marker id="head-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" '
        f'markerHeight="5" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for name, colour in (("move", _MOVE), ("arc", _ARC), ("variant", HIGHLIGHT))
    )
    return f"<defs>{heads}</defs>"


def _svg_edge(
    e: dict[str, object], boxes: dict[str, _Box], across: bool, top: float, taken: list[_Box]
) -> str:
    source, target = str(e["source"]), str(e["target"])
    others = [b for n, b in boxes.items() if n not in (source, target)]
    curve = _around(_ends(boxes[source], boxes[target], across), others, across)
    x1, y1, x2, y2, cx, cy = curve
    transitions = float(e["transitions"])  # type: ignore[arg-type]
    kind = "variant" if e["on_variant"] else ("move" if e["kind"] == "transition" else "arc")
    colour = {"variant": HIGHLIGHT, "move": _MOVE, "arc": _ARC}[kind]
    width = 0.8 + 4.2 * math.sqrt(transitions / top)
    dash = ' stroke-dasharray="5,3"' if e["outside_filter"] else ""
    head = "" if e["kind"] == "start" else f' marker-end="url(#head-{kind})"'
    text = f"{int(transitions):,}"
    spot = _label_spot(curve, text, taken)
    taken.append(spot)
    name = html.escape(f"{source} → {target}: {text} transitions")
    return (
        f'<g class="edge"><title>{name}</title>'
        f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" fill="none" '
        f'stroke="{colour}" stroke-width="{width:.2f}"{dash}{head}/>'
        f'<text x="{spot.x:.1f}" y="{spot.y + EDGE_FONT_PT / 3:.1f}" text-anchor="middle" '
        f'font-size="{EDGE_FONT_PT:g}" fill="{HIGHLIGHT if kind == "variant" else _TEXT}" '
        f'stroke="white" stroke-width="3" paint-order="stroke">{text}</text></g>'
    )


def _svg_node(n: dict[str, object], box: _Box, most: float) -> str:
    fill = _blend("#ffffff", "#98c1d9", float(n["events"]) / most)  # type: ignore[arg-type]
    outline, width = (HIGHLIGHT, 2.5) if n["on_variant"] else (_OUTLINE, 1.2)
    first, second = _node_label(n)
    double = ""
    if n["hidden_in"] or n["hidden_out"]:  # flows to or from touchpoints not shown
        double = (
            f'<rect x="{box.x - box.w / 2 - 3:.1f}" y="{box.y - box.h / 2 - 3:.1f}" '
            f'width="{box.w + 6:.1f}" height="{box.h + 6:.1f}" rx="9" fill="none" '
            f'stroke="{outline}" stroke-width="1"/>'
        )
    return (
        f'<g class="node"><title>{html.escape(first)}: {second} events</title>{double}'
        f'<rect x="{box.x - box.w / 2:.1f}" y="{box.y - box.h / 2:.1f}" width="{box.w:.1f}" '
        f'height="{box.h:.1f}" rx="7" fill="{fill}" stroke="{outline}" '
        f'stroke-width="{width}"/>'
        f'<text x="{box.x:.1f}" y="{box.y - 2:.1f}" text-anchor="middle" '
        f'font-size="{NODE_FONT_PT:g}" fill="{_TEXT}">{html.escape(first)}</text>'
        f'<text x="{box.x:.1f}" y="{box.y + NODE_FONT_PT:.1f}" text-anchor="middle" '
        f'font-size="{NODE_FONT_PT:g}" fill="{_TEXT}">{second}</text></g>'
    )


def _svg_terminal(name: str, box: _Box) -> str:
    ring = (
        f'<circle cx="{box.x:.1f}" cy="{box.y:.1f}" r="{box.w / 2 - 4:.1f}" fill="none" '
        f'stroke="{_OUTLINE}"/>'
        if name == END
        else ""
    )
    return (
        f'<g class="node"><circle cx="{box.x:.1f}" cy="{box.y:.1f}" r="{box.w / 2:.1f}" '
        f'fill="#e0fbfc" stroke="{_OUTLINE}" stroke-width="1.2"/>{ring}'
        f'<text x="{box.x:.1f}" y="{box.y + NODE_FONT_PT / 3:.1f}" text-anchor="middle" '
        f'font-size="{NODE_FONT_PT:g}" fill="{_TEXT}">{name}</text></g>'
    )
