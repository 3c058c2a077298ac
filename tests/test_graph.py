"""The journey-map view: filters that say what they hide, focus and variant highlight."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb


def test_everything_shown_at_100_percent(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 100, 100)
    assert view.shown_edges == view.total_edges == len(sample_model.edges)
    assert view.shown_transitions == view.total_transitions == sample_model.n_transitions
    assert view.caption == (
        f"showing {view.total_edges:,} of {view.total_edges:,} edges, 100.0 % of transitions"
    )
    arcs = view.edges[view.edges["kind"] != "transition"]
    assert len(arcs) == len(sample_model.starts) + len(sample_model.ends)


def test_caption_reconciles_with_the_edge_table(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 60, 20)
    drawn = view.edges[view.edges["kind"] == "transition"]
    assert view.shown_edges == len(drawn)
    assert view.shown_transitions == drawn["transitions"].sum()
    pct = 100 * drawn["transitions"].sum() / sample_model.n_transitions
    assert (
        f"showing {len(drawn):,} of {len(sample_model.edges):,} edges, {pct:.1f} %" in view.caption
    )
    assert f"{len(view.nodes)} of {len(sample_model.touchpoints)} touchpoints" in view.caption


def test_more_paths_never_shows_less(sample_model: wb.JourneyModel) -> None:
    previous: set[tuple[str, str]] = set()
    for pct in (0, 10, 25, 50, 75, 100):
        view = wb.journey_graph(sample_model, 100, pct)
        pairs = set(zip(view.edges["source"], view.edges["target"], strict=True))
        assert previous <= pairs
        previous = pairs


def test_every_kept_touchpoint_keeps_a_way_in_and_out(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 50, 0)
    g = view.graph()
    full = wb.journey_graph(sample_model, 50, 100).graph()
    for node in view.nodes["touchpoint"]:
        # the strongest arc survives whenever there is one between shown touchpoints
        assert g.in_degree(node) >= min(1, full.in_degree(node)), node
        assert g.out_degree(node) >= min(1, full.out_degree(node)), node
    assert view.shown_edges < view.total_edges


def test_flows_to_hidden_touchpoints_are_counted(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 50, 100)
    nodes = view.nodes.set_index("touchpoint")
    shown = set(nodes.index)
    e = sample_model.edges
    for tp in ("Order confirmation", "Log in"):
        if tp not in shown:
            continue
        hidden_in = e[(e["target"] == tp) & ~e["source"].isin(shown)]["transitions"].sum()
        hidden_out = e[(e["source"] == tp) & ~e["target"].isin(shown)]["transitions"].sum()
        assert nodes.loc[tp, "hidden_in"] == hidden_in
        assert nodes.loc[tp, "hidden_out"] == hidden_out
    assert nodes.loc["Order confirmation", "hidden_in"] > 0


def test_touchpoints_filter_keeps_the_most_frequent(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 20, 100)
    n = len(sample_model.touchpoints)
    expected = sample_model.touchpoints["touchpoint"].head(-(-20 * n // 100)).tolist()
    assert sorted(view.nodes["touchpoint"]) == sorted(expected)
    inside = set(expected)
    assert set(view.edges["source"]) - {"Start"} <= inside


def test_focus_shows_all_in_and_out_flows(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 10, 0, focus="Support call")
    e = sample_model.edges
    touching = e[(e["source"] == "Support call") | (e["target"] == "Support call")]
    assert view.shown_edges == len(touching)
    inflow, outflow = view.flows()
    assert inflow["share"].sum() == pytest.approx(1.0)
    out_total = outflow["transitions"].sum()
    events = int(sample_model.touchpoints.set_index("touchpoint").loc["Support call", "events"])
    assert out_total == events  # every Support call step goes somewhere, or ends


def test_variant_highlight_adds_hidden_edges_dashed(sample_model: wb.JourneyModel) -> None:
    path = sample_model.variants.iloc[4]["path"]
    view = wb.journey_graph(sample_model, 10, 0, variant=5)
    on = view.edges[view.edges["on_variant"]]
    pairs = set(zip(on["source"], on["target"], strict=True))
    expected = {("Start", path[0]), (path[-1], "End")} | set(itertools.pairwise(path))
    assert pairs == expected
    assert on["outside_filter"].any()
    assert set(path) <= set(view.nodes["touchpoint"])


@pytest.mark.parametrize(
    ("kwargs", "title"),
    [
        ({"touchpoints_pct": 120}, "Bad filter"),
        ({"paths_pct": -1}, "Bad filter"),
        ({"focus": "Nowhere"}, "Unknown touchpoint"),
        ({"variant": 10**6}, "Unknown variant"),
    ],
)
def test_bad_arguments_are_titled(sample_model: wb.JourneyModel, kwargs: dict, title: str) -> None:
    with pytest.raises(wb.ValidationError) as err:
        wb.journey_graph(sample_model, **kwargs)
    assert err.value.title == title


def test_segment_comparison_reconciles(sample_model: wb.JourneyModel) -> None:
    cmp = wb.compare_segment(sample_model, "device", "android")
    assert cmp.segment_journeys > 0 and cmp.rest_journeys > 0
    journeys = sample_model.journeys()
    assert cmp.segment_journeys + cmp.rest_journeys <= len(journeys)
    start = cmp.nodes.set_index("touchpoint")
    assert (start["segment_journeys"] <= cmp.segment_journeys).all()
    row = cmp.edges.iloc[0]
    assert row["difference"] == pytest.approx(row["segment_rate"] - row["rest_rate"])
    dot = wb.charts.journey_map_dot(wb.journey_graph(sample_model, 60, 30), comparison=cmp)
    assert " pp" in dot
    with pytest.raises(wb.ValidationError):
        wb.compare_segment(sample_model, "device", "nokia")


def test_segment_values_split_the_same_journeys(sample_model: wb.JourneyModel) -> None:
    """Each value's journeys per move add up to one value's segment plus its rest, and the
    counts are kept per attribute, so switching value reads them again instead of the steps."""
    values = ["android", "ios", "desktop", "mobile_web"]
    cmps = {v: wb.compare_segment(sample_model, "device", v) for v in values}
    assert sample_model.cache.current("segments") == "device"
    first = cmps["android"]
    assert sum(c.segment_journeys for c in cmps.values()) == (
        first.segment_journeys + first.rest_journeys
    )
    keys = ["source", "target"]
    total = (
        pd.concat([c.edges for c in cmps.values()])
        .groupby(keys)["segment_journeys"]
        .sum()
        .sort_index()
    )
    both = first.edges.set_index(keys)
    expected = (both["segment_journeys"] + both["rest_journeys"]).sort_index()
    pd.testing.assert_series_equal(total, expected, check_names=False)
    visits = (
        pd.concat([c.nodes for c in cmps.values()]).groupby("touchpoint")["segment_journeys"].sum()
    )
    mine = first.nodes.set_index("touchpoint")
    pd.testing.assert_series_equal(
        visits.sort_index(),
        (mine["segment_journeys"] + mine["rest_journeys"]).sort_index(),
        check_names=False,
    )


def test_segment_comparison_reuses_friction_journey_values() -> None:
    """After a friction ranking each journey's value is at hand; the comparison read from it
    is the one a fresh model gives."""
    from .conftest import full_model

    sample = Path(__file__).parents[1] / "sample_data"
    ranked = full_model(sample)
    wb.rank_friction(ranked)
    assert {"device", "segment"} <= set(ranked.cache.current("journey_values") or ())
    fresh = full_model(sample)
    for attribute, value in (("device", "android"), ("segment", "Youth")):
        a = wb.compare_segment(ranked, attribute, value)
        b = wb.compare_segment(fresh, attribute, value)
        assert (a.segment_journeys, a.rest_journeys) == (b.segment_journeys, b.rest_journeys)
        pd.testing.assert_frame_equal(a.edges, b.edges)
        pd.testing.assert_frame_equal(a.nodes, b.nodes)


def test_goals_are_drawn_whatever_the_touchpoint_slider_says(
    sample_model: wb.JourneyModel,
) -> None:
    """At 10 % of touchpoints the sample's goal (a rare step) is not among the most frequent,
    yet a map that keeps it draws it; a name the journeys lack is passed over."""
    names = sample_model.touchpoints["touchpoint"].tolist()
    rare = names[-1]
    plain = wb.journey_graph(sample_model, 10, 30)
    kept = wb.journey_graph(sample_model, 10, 30, keep=[rare, "No such step"])
    assert rare not in set(plain.nodes["touchpoint"])
    assert rare in set(kept.nodes["touchpoint"])
    assert set(kept.nodes["touchpoint"]) - set(plain.nodes["touchpoint"]) == {rare}
