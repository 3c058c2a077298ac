"""The journey map as a finished SVG drawing, for reports and downloads: the screen's map (the
same view, filters, goals, labels, colours and arrows), laid out here in layers so that a
file needs no Graphviz and no script to show it."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from workbench.core.records import rows
from workbench.journeys.changes import PeriodComparison
from workbench.journeys.graph import END, START, GraphView, SegmentComparison
from workbench.present.charts.maps import (
    EDGE_FONT_PT,
    NODE_FONT_PT,
    MapLooks,
    map_direction,
    map_ranks,
    map_summary,
)
from workbench.present.charts.palette import HIGHLIGHT, ink

#: Space between ranks and between touchpoints of one rank, in points.
_RANK_GAP = 56.0
_NODE_GAP = 22.0
_NODE_HEIGHT = 34.0
_MARGIN = 24.0
#: Colours of the screen's map: box outline and label text.
_OUTLINE = "#3d5a80"
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


def _place(view: GraphView, direction: str, looks: MapLooks) -> dict[str, _Box]:
    """Each touchpoint's box: ranks from Start across (``LR``) or down (``TB``)."""
    pos = map_ranks(view)
    nodes = {str(n["touchpoint"]): n for n in rows(view.nodes)}
    size: dict[str, tuple[float, float]] = {}
    for name in pos["node"]:
        if name in (START, END):
            size[name] = (40.0, 40.0)
        else:
            lines = (name, looks.node(nodes[name])[0])
            text = max(_text_width(t, NODE_FONT_PT) for t in lines)
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


def journey_map_svg(
    view: GraphView,
    rankdir: str = "auto",
    measure: str = "frequency",
    comparison: SegmentComparison | PeriodComparison | None = None,
) -> str:
    """The journey map as an SVG document: touchpoints as boxes, moves as arrows as thick as
    their transitions, labelled and coloured as the app's map with the same ``measure`` and
    ``comparison`` (see :func:`journey_map_dot`), the variant picked in the view in red, moves
    the filters would hide dashed. No label covers another.

    ``rankdir`` is ``"LR"``, ``"TB"`` or ``"auto"`` (as the app's automatic layout). Each
    touchpoint is a ``<g class="node">`` and each drawn move a ``<g class="edge">``, as in the
    map the app draws. The drawing is an image with a text alternative (``role="img"``, an
    ``aria-label`` and a ``<title>``) that says what it shows.

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> svg = wb.charts.journey_map_svg(wb.journey_graph(model, 50, 20))
    >>> svg.startswith("<svg") and 'class="edge"' in svg
    True
    """
    looks = MapLooks.of(view, measure, comparison)
    direction = rankdir if rankdir in ("LR", "TB") else map_direction(view)
    boxes = _place(view, direction, looks)
    taken = list(boxes.values())
    nodes = [n for n in rows(view.nodes) if str(n["touchpoint"]) in boxes]
    edge_rows = [
        e for e in rows(view.edges) if str(e["source"]) in boxes and str(e["target"]) in boxes
    ]
    top = max([float(e["transitions"]) for e in edge_rows] + [1.0])
    looked = [(e, *looks.edge(e)) for e in edge_rows]
    parts = [_svg_edge(e, t, c, boxes, direction == "LR", top, taken) for e, t, c in looked]
    parts += [_svg_node(n, boxes[str(n["touchpoint"])], looks) for n in nodes]
    parts += [_svg_terminal(name, boxes[name]) for name in (START, END) if name in boxes]
    width = max(b.x + b.w / 2 for b in taken) + _MARGIN
    height = max(b.y + b.h / 2 for b in taken) + _MARGIN
    about = html.escape(map_summary(view, measure, comparison), quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="journey-map" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}pt" height="{height:.0f}pt" '
        f'font-family="Helvetica, Arial, sans-serif" role="img" aria-label="{about}">'
        f"<title>{about}</title>"
        + _markers(sorted({c for _, _, c in looked}))
        + "".join(parts)
        + "</svg>"
    )


def _markers(colours: list[str]) -> str:
    """An arrowhead of each colour a move is drawn in."""
    heads = "".join(
        f'<marker id="head-{colour.lstrip("#")}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="5" markerHeight="5" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for colour in colours
    )
    return f"<defs>{heads}</defs>"


def _svg_edge(
    e: dict[str, object],
    text: str,
    colour: str,
    boxes: dict[str, _Box],
    across: bool,
    top: float,
    taken: list[_Box],
) -> str:
    source, target = str(e["source"]), str(e["target"])
    others = [b for n, b in boxes.items() if n not in (source, target)]
    curve = _around(_ends(boxes[source], boxes[target], across), others, across)
    x1, y1, x2, y2, cx, cy = curve
    transitions = float(e["transitions"])  # type: ignore[arg-type]
    width = 0.8 + 4.2 * math.sqrt(transitions / top)
    dash = ' stroke-dasharray="5,3"' if e["outside_filter"] else ""
    head = "" if e["kind"] == "start" else f' marker-end="url(#head-{colour.lstrip("#")})"'
    spot = _label_spot(curve, text, taken)
    taken.append(spot)
    name = html.escape(f"{source} → {target}: {int(transitions):,} transitions, {text}")
    return (
        f'<g class="edge"><title>{name}</title>'
        f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" fill="none" '
        f'stroke="{colour}" stroke-width="{width:.2f}"{dash}{head}/>'
        f'<text x="{spot.x:.1f}" y="{spot.y + EDGE_FONT_PT / 3:.1f}" text-anchor="middle" '
        f'font-size="{EDGE_FONT_PT:g}" fill="{HIGHLIGHT if e["on_variant"] else _TEXT}" '
        f'stroke="white" stroke-width="3" paint-order="stroke">{text}</text></g>'
    )


def _svg_node(n: dict[str, object], box: _Box, looks: MapLooks) -> str:
    second, fill = looks.node(n)
    first, text = str(n["touchpoint"]), ink(fill)
    events = f"{int(n['events']):,}"  # type: ignore[call-overload]
    tip = f"{first}: {events} events" + ("" if second == events else f", {second}")
    outline, width = (HIGHLIGHT, 2.5) if n["on_variant"] else (_OUTLINE, 1.2)
    double = ""
    if n["hidden_in"] or n["hidden_out"]:  # flows to or from touchpoints not shown
        double = (
            f'<rect x="{box.x - box.w / 2 - 3:.1f}" y="{box.y - box.h / 2 - 3:.1f}" '
            f'width="{box.w + 6:.1f}" height="{box.h + 6:.1f}" rx="9" fill="none" '
            f'stroke="{outline}" stroke-width="1"/>'
        )
    return (
        f'<g class="node"><title>{html.escape(tip)}</title>{double}'
        f'<rect x="{box.x - box.w / 2:.1f}" y="{box.y - box.h / 2:.1f}" width="{box.w:.1f}" '
        f'height="{box.h:.1f}" rx="7" fill="{fill}" stroke="{outline}" '
        f'stroke-width="{width}"/>'
        f'<text x="{box.x:.1f}" y="{box.y - 2:.1f}" text-anchor="middle" '
        f'font-size="{NODE_FONT_PT:g}" fill="{text}">{html.escape(first)}</text>'
        f'<text x="{box.x:.1f}" y="{box.y + NODE_FONT_PT:.1f}" text-anchor="middle" '
        f'font-size="{NODE_FONT_PT:g}" fill="{text}">{html.escape(second)}</text></g>'
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
