"""A readable view of the journey graph: Touchpoints % and Paths % filters, focus, highlight.

The full graph of a real log has hundreds of edges. :func:`journey_graph` keeps the most frequent
touchpoints and the most frequent paths between them, always keeping each kept touchpoint's
strongest way in and way out so nothing floats unconnected, and it says exactly what it left out:
``view.caption`` reads "showing X of Y edges, Z % of transitions". Nothing is truncated silently,
and the view's edge table is exactly what is drawn.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import networkx as nx
import pandas as pd

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.core.records import rows
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import segment_values

START = "Start"
END = "End"
_EDGE_COLUMNS = [
    "source",
    "target",
    "kind",
    "transitions",
    "customers",
    "median_seconds",
    "p90_seconds",
    "mean_seconds",
    "on_variant",
    "outside_filter",
]


@dataclass(frozen=True)
class GraphView:
    """The part of the journey graph to draw, and how it relates to the whole.

    Attributes
    ----------
    nodes
        Touchpoints drawn, with ``events``, ``journeys``, ``starts``, ``ends``, dwell times,
        ``hidden_in`` / ``hidden_out`` (transitions from and to touchpoints not shown), and
        ``focus`` and ``on_variant`` flags.
    edges
        Arcs drawn: ``kind`` is ``transition`` (touchpoint -> touchpoint), ``start`` (from the
        Start node) or ``end`` (to the End node); ``outside_filter`` marks arcs shown only because
        they belong to the highlighted variant.
    total_edges, shown_edges
        Touchpoint -> touchpoint edges in the whole graph and in this view.
    total_transitions, shown_transitions
        Transitions (journey moves) in the whole graph and carried by the edges shown.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    touchpoints_pct: float
    paths_pct: float
    focus: str | None
    variant: int | None
    total_touchpoints: int
    total_edges: int
    shown_edges: int
    total_transitions: int
    shown_transitions: int

    @property
    def transitions_share(self) -> float:
        """Share of all transitions carried by the edges shown (0-1)."""
        return self.shown_transitions / self.total_transitions if self.total_transitions else 0.0

    @property
    def caption(self) -> str:
        """``"showing X of Y edges, Z % of transitions"`` (and touchpoints, when filtered)."""
        text = (
            f"showing {self.shown_edges:,} of {self.total_edges:,} edges, "
            f"{100 * self.transitions_share:.1f} % of transitions"
        )
        if len(self.nodes) < self.total_touchpoints:
            text += f"; {len(self.nodes):,} of {self.total_touchpoints:,} touchpoints"
        return text

    def graph(self) -> nx.DiGraph:
        """The view as a networkx graph (Start and End included), edge data from ``edges``."""
        g: nx.DiGraph = nx.DiGraph()
        for node in rows(self.nodes):
            g.add_node(node["touchpoint"], **node)
        for edge in rows(self.edges):
            g.add_edge(edge["source"], edge["target"], **edge)
        return g

    def flows(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """In- and out-flows of the focus touchpoint with their shares (needs ``focus``)."""
        if self.focus is None:
            raise ValidationError("Pick a touchpoint to focus on first.", "No focus")
        e = self.edges
        inflow = e[e["target"] == self.focus][
            ["source", "transitions", "customers", "median_seconds", "p90_seconds"]
        ].copy()
        outflow = e[e["source"] == self.focus][
            ["target", "transitions", "customers", "median_seconds", "p90_seconds"]
        ].copy()
        for frame in (inflow, outflow):
            total = frame["transitions"].sum()
            frame["share"] = frame["transitions"] / total if total else 0.0
        return (
            inflow.sort_values(
                ["transitions", "source"], ascending=[False, True], ignore_index=True
            ),
            outflow.sort_values(
                ["transitions", "target"], ascending=[False, True], ignore_index=True
            ),
        )


@dataclass(frozen=True)
class SegmentComparison:
    """How often a segment's journeys make each move and visit each touchpoint, against the
    rest's.

    ``edges`` and ``nodes`` hold ``segment_rate`` (share of the segment's journeys),
    ``rest_rate``, ``difference`` (percentage points / 100) and ``lift``.
    """

    attribute: str
    value: str
    segment_journeys: int
    rest_journeys: int
    edges: pd.DataFrame
    nodes: pd.DataFrame

    @property
    def caption(self) -> str:
        return (
            f"{self.attribute} = {self.value}: {self.segment_journeys:,} journeys, against "
            f"{self.rest_journeys:,} of the rest"
        )


def compare_segment(model: JourneyModel, attribute: str, value: str) -> SegmentComparison:
    """Compare the journeys where ``attribute`` = ``value`` with the journeys with another value
    (journeys without a value are left out of both).

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> cmp = wb.compare_segment(model, "device", "android")
    >>> cmp.segment_journeys > 0 and cmp.rest_journeys > 0
    True
    """
    counts, sizes = _segment_counts(model, attribute)
    n_seg = int(sizes.get(value, 0))
    n_rest = int(sizes.sum()) - n_seg
    if n_seg == 0:
        raise ValidationError(f"No journey has {attribute} = {value}.", "Empty segment")
    if n_rest == 0:
        raise ValidationError(
            f"Every journey has {attribute} = {value}; there is no rest to compare with.",
            "Nothing to compare",
        )
    mine = counts["segment"] == value
    keys = ["source", "target"]
    seg = counts[mine].groupby(keys, dropna=False)["journeys"].sum().rename("segment_journeys")
    rest = counts[~mine].groupby(keys, dropna=False)["journeys"].sum().rename("rest_journeys")
    moves = (
        pd.concat([seg, rest], axis=1)
        .fillna(0)
        .astype("int64")
        .reset_index()
        .sort_values(keys, na_position="first", kind="stable")
        .reset_index(drop=True)
    )
    moves["segment_rate"] = moves["segment_journeys"] / n_seg
    moves["rest_rate"] = moves["rest_journeys"] / n_rest
    moves["difference"] = moves["segment_rate"] - moves["rest_rate"]
    moves["lift"] = moves["segment_rate"] / moves["rest_rate"].where(moves["rest_rate"] > 0)
    nodes = (
        moves[moves["target"].isna()]
        .drop(columns="target")
        .rename(columns={"source": "touchpoint"})
        .reset_index(drop=True)
    )
    edges = moves[moves["target"].notna()].reset_index(drop=True)
    return SegmentComparison(attribute, value, n_seg, n_rest, edges, nodes)


def _segment_counts(model: JourneyModel, attribute: str) -> tuple[pd.DataFrame, pd.Series]:
    """For every value of ``attribute``: its journeys per transition and touchpoint
    (``segment``, ``source``, ``target``, ``journeys``), and its number of journeys.

    Built once per model and attribute -- the transitions each variant makes once per model,
    counted for each variant's journeys -- so that switching to another value, or back to an
    attribute seen before, reads a few thousand rows instead of every step.
    """

    def count() -> tuple[pd.DataFrame, pd.Series]:
        with model.using() as cur:
            variant_moves(model, cur)
            segment_values(model, cur, attribute)
            edges = db.run(cur, "journeys/segment_edges")
            sizes = db.run(cur, "journeys/segment_sizes").set_index("segment")["journeys"]
        return edges, sizes

    return model.cache.get_or_run("segments", attribute, count, slots=16)


def variant_moves(model: JourneyModel, cur: duckdb.DuckDBPyConnection) -> None:
    """Make the ``variant_moves`` table on the model's cursor ``cur`` (held by the caller),
    once per model: the moves each variant makes and the touchpoints it visits, once each."""
    model.cache.get_or_run(
        "variant_moves",
        (),
        lambda: db.materialize(cur, "journeys/variant_moves", "variant_moves", temp=True),
        relations=True,
    )


def journey_graph(
    model: JourneyModel,
    touchpoints_pct: float = 100.0,
    paths_pct: float = 100.0,
    *,
    focus: str | None = None,
    variant: int | None = None,
    keep: Sequence[str] = (),
) -> GraphView:
    """Choose what to draw of ``model``'s journey graph.

    Parameters
    ----------
    model
        Journeys from :func:`workbench.build_journeys`.
    touchpoints_pct
        Keep this share (0-100) of touchpoints, most frequent first (at least one).
    paths_pct
        Keep this share (0-100) of the edges between kept touchpoints, most frequent first; each
        kept touchpoint keeps its strongest incoming and outgoing arc regardless.
    focus
        A touchpoint: show only its in- and out-flows (all of them, whatever the sliders say).
    variant
        A variant rank: its path is highlighted, and drawn dashed where the filters hid it.
    keep
        Touchpoints always shown whatever Touchpoints % says (the goals: a purchase seen by few
        is still the step that matters most); names the journeys do not have are passed over.

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> view = wb.journey_graph(model, touchpoints_pct=100, paths_pct=100)
    >>> view.shown_edges == view.total_edges
    True
    >>> view.caption.startswith("showing")
    True
    """
    tps = model.touchpoints
    names = tps["touchpoint"].tolist()
    _check_graph_request(model, names, touchpoints_pct, paths_pct, focus, variant)
    all_edges = model.edges.assign(kind="transition")
    arcs = _start_end_arcs(model)
    chosen, chosen_arcs, kept_nodes = _choose_flows(
        all_edges, arcs, names, touchpoints_pct, paths_pct, focus, set(keep) & set(names)
    )

    edges = pd.concat([chosen, chosen_arcs], ignore_index=True)
    edges = edges.assign(on_variant=False, outside_filter=False)
    path: list[str] = []
    if variant is not None:
        path = list(model.variants.loc[model.variants["variant"] == variant, "path"].iloc[0])
        edges = _add_variant(edges, path, all_edges, arcs)
        kept_nodes |= set(path)
    edges = edges.reindex(columns=_EDGE_COLUMNS)
    edges = edges.sort_values(
        ["kind", "transitions"], ascending=[False, False], ignore_index=True, key=_kind_order
    )
    nodes = _shown_nodes(tps, kept_nodes, all_edges, focus, path)
    trans = edges[edges["kind"] == "transition"]
    return GraphView(
        nodes=nodes,
        edges=edges,
        touchpoints_pct=float(touchpoints_pct),
        paths_pct=float(paths_pct),
        focus=focus,
        variant=variant,
        total_touchpoints=len(names),
        total_edges=len(all_edges),
        shown_edges=len(trans),
        total_transitions=int(all_edges["transitions"].sum()),
        shown_transitions=int(trans["transitions"].sum()),
    )


def _check_graph_request(
    model: JourneyModel,
    names: list[str],
    touchpoints_pct: float,
    paths_pct: float,
    focus: str | None,
    variant: int | None,
) -> None:
    """Refuse filters outside 0-100 and a focus or variant the model does not have."""
    for label, pct in (("Touchpoints %", touchpoints_pct), ("Paths %", paths_pct)):
        if not 0 <= pct <= 100:
            raise ValidationError(f"{label} must be between 0 and 100, not {pct}.", "Bad filter")
    if focus is not None and focus not in names:
        raise ValidationError(
            f"There is no touchpoint '{focus}' in these journeys.", "Unknown touchpoint"
        )
    if variant is not None and not ((model.variants["variant"] == variant).any()):
        raise ValidationError(
            f"There is no variant {variant}; there are {len(model.variants):,}.", "Unknown variant"
        )


def _start_end_arcs(model: JourneyModel) -> pd.DataFrame:
    """The arcs from Start to each first touchpoint and from each last touchpoint to End,
    with their journeys as ``transitions``."""
    return pd.concat(
        [
            model.starts.assign(source=START, target=model.starts["touchpoint"], kind="start"),
            model.ends.assign(source=model.ends["touchpoint"], target=END, kind="end"),
        ],
        ignore_index=True,
    ).rename(columns={"journeys": "transitions"})


def _choose_flows(
    all_edges: pd.DataFrame,
    arcs: pd.DataFrame,
    names: list[str],
    touchpoints_pct: float,
    paths_pct: float,
    focus: str | None,
    keep: set[str],
) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """The transitions and Start/End arcs to draw, and the touchpoints they keep: every flow
    in and out of ``focus`` when given, else what the Touchpoints % and Paths % filters keep
    (``names`` are the touchpoints, most frequent first), with ``keep`` always among them."""
    if focus is not None:
        kept_nodes = {focus}
        chosen = all_edges[(all_edges["source"] == focus) | (all_edges["target"] == focus)]
        chosen_arcs = arcs[(arcs["source"] == focus) | (arcs["target"] == focus)]
        kept_nodes |= set(chosen["source"]) | set(chosen["target"])
        return chosen, chosen_arcs, kept_nodes
    n_keep = max(1, math.ceil(touchpoints_pct / 100 * len(names))) if names else 0
    kept_nodes = set(names[:n_keep]) | keep
    cands = all_edges[all_edges["source"].isin(kept_nodes) & all_edges["target"].isin(kept_nodes)]
    cand_arcs = arcs[arcs["touchpoint"].isin(kept_nodes)]
    chosen, chosen_arcs = _filter_paths(cands, cand_arcs, kept_nodes, paths_pct)
    return chosen, chosen_arcs, kept_nodes


def _shown_nodes(
    tps: pd.DataFrame,
    kept_nodes: set[str],
    all_edges: pd.DataFrame,
    focus: str | None,
    path: list[str],
) -> pd.DataFrame:
    """The kept touchpoints with the transitions hidden into and out of each (from and to
    touchpoints not shown), and whether each is the focus or on the highlighted variant."""
    nodes = tps[tps["touchpoint"].isin(kept_nodes)].copy()
    shown_nodes = set(nodes["touchpoint"])
    hidden_src = all_edges[~all_edges["source"].isin(shown_nodes)]
    hidden_dst = all_edges[~all_edges["target"].isin(shown_nodes)]
    nodes["hidden_in"] = (
        nodes["touchpoint"]
        .map(hidden_src.groupby("target")["transitions"].sum())
        .fillna(0)
        .astype("int64")
    )
    nodes["hidden_out"] = (
        nodes["touchpoint"]
        .map(hidden_dst.groupby("source")["transitions"].sum())
        .fillna(0)
        .astype("int64")
    )
    nodes["focus"] = nodes["touchpoint"] == focus
    nodes["on_variant"] = nodes["touchpoint"].isin(path)
    return nodes.reset_index(drop=True)


def _kind_order(col: pd.Series) -> pd.Series:
    if col.name == "kind":
        return col.map({"transition": 2, "start": 1, "end": 0})
    return col


def _filter_paths(
    cands: pd.DataFrame, arcs: pd.DataFrame, nodes: set[str], paths_pct: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top ``paths_pct`` % of candidate edges plus every node's strongest way in and out."""
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(nodes | {START, END})
    for edge in rows(pd.concat([cands, arcs])):
        g.add_edge(edge["source"], edge["target"], transitions=int(edge["transitions"]))
    keep: set[tuple[str, str]] = set()
    for node in nodes:
        ins = list(g.in_edges(node, data="transitions"))
        outs = list(g.out_edges(node, data="transitions"))
        for group in (ins, outs):
            if group:
                best = max(group, key=lambda e: (e[2], e[0] == START or e[1] == END))
                keep.add((best[0], best[1]))
    ranked = cands.sort_values(["transitions", "source", "target"], ascending=[False, True, True])
    k = math.ceil(paths_pct / 100 * len(ranked))
    keep |= set(zip(ranked["source"].head(k), ranked["target"].head(k), strict=True))
    if paths_pct >= 100:
        keep |= set(zip(arcs["source"], arcs["target"], strict=True))
    else:
        floor = ranked["transitions"].head(k).min() if k else math.inf
        big = arcs[arcs["transitions"] >= floor]
        keep |= set(zip(big["source"], big["target"], strict=True))
    pairs = pd.Series(list(zip(cands["source"], cands["target"], strict=True)), dtype=object)
    arc_pairs = pd.Series(list(zip(arcs["source"], arcs["target"], strict=True)), dtype=object)
    return (cands[pairs.isin(keep).to_numpy()], arcs[arc_pairs.isin(keep).to_numpy()])


def _add_variant(
    edges: pd.DataFrame, path: list[str], all_edges: pd.DataFrame, arcs: pd.DataFrame
) -> pd.DataFrame:
    pairs = [(START, path[0]), *list(itertools.pairwise(path)), (path[-1], END)]
    wanted = set(pairs)
    current = set(zip(edges["source"], edges["target"], strict=True))
    edges = edges.copy()
    edges["on_variant"] = [
        (s, t) in wanted for s, t in zip(edges["source"], edges["target"], strict=True)
    ]
    source = pd.concat([all_edges, arcs], ignore_index=True)
    missing = [p for p in dict.fromkeys(pairs) if p not in current]
    if missing:
        extra = source[
            [
                (s, t) in set(missing)
                for s, t in zip(source["source"], source["target"], strict=True)
            ]
        ]
        extra = extra.assign(on_variant=True, outside_filter=True)
        edges = pd.concat([edges, extra], ignore_index=True)
    return edges
