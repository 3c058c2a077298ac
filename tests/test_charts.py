"""Charts are values: DOT text and Altair charts that render offline."""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

import workbench as wb
from workbench.core.durations import format_duration
from workbench.present.charts import journey_map_dot
from workbench.present.charts.palette import HIGHLIGHT, MANUAL, contrast, ink


def test_dot_lists_every_node_and_edge_of_the_view(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 40, 10)
    dot = journey_map_dot(view)
    assert dot.startswith('digraph "Journey map, showing ') and dot.rstrip().endswith("}")
    assert len(re.findall(r" -> ", dot)) == len(view.edges)
    for tp in view.nodes["touchpoint"]:
        assert f'"{tp}" [' in dot


def test_performance_labels_are_times(sample_model: wb.JourneyModel) -> None:
    view = wb.journey_graph(sample_model, 30, 10)
    dot = journey_map_dot(view, measure="p90")
    first = view.edges[view.edges["kind"] == "transition"].iloc[0]
    assert format_duration(first["p90_seconds"]) in dot
    assert "p90 " in dot


def test_names_with_quotes_and_backslashes_stay_valid_dot(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text(
        'customer,activity,ts\nA,"Say ""hi""",2026-01-01 10:00\nA,back\\slash,2026-01-01 10:01\n'
    )
    model = wb.build_journeys(wb.load_events(p))
    dot = journey_map_dot(wb.journey_graph(model))
    assert '"Say \\"hi\\""' in dot
    assert '"back\\\\slash"' in dot


def test_unknown_measure() -> None:
    with pytest.raises(wb.ValidationError):
        journey_map_dot(None, measure="speed")  # type: ignore[arg-type]


def test_altair_charts_render_to_svg_offline(
    sample_model: wb.JourneyModel, sample_log: wb.EventLog, tmp_path: Path
) -> None:
    charts = {
        "variants": wb.charts.variants_chart(sample_model.variants, top=8, highlight=2),
        "coverage": wb.charts.coverage_chart(sample_model.variants),
        "weekly": wb.charts.weekly_events_chart(sample_log.weekly_events()),
        "dwell": wb.charts.dwell_chart(sample_model.touchpoints),
    }
    for name, chart in charts.items():
        spec = chart.to_dict()
        svg = vlc.vegalite_to_svg(spec)
        assert svg.startswith("<svg") and len(svg) > 2000, name
        (tmp_path / f"{name}.svg").write_text(svg)
    top = sample_model.variants.head(8)
    values = charts["variants"].to_dict()["datasets"]
    rows = next(iter(values.values()))
    assert [r["journeys"] for r in rows] == top["journeys"].tolist()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "–"), (5, "5 s"), (600, "10.0 min"), (7200, "2.0 h"), (3 * 86400, "3.0 d")],
)
def test_format_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


def _svg_text(chart: object) -> str:
    svg = vlc.vegalite_to_svg(chart.to_dict())  # type: ignore[attr-defined]
    assert svg.startswith("<svg")
    return svg


def test_satisfaction_and_kpi_charts_render_and_say_what_they_show(
    sample_full_model: wb.JourneyModel,
) -> None:
    levels = wb.compare_levels(sample_full_model, "nps", boots=200)
    svg = _svg_text(wb.charts.levels_chart(levels))
    assert "How well each level predicts NPS" in svg and f"n = {levels.n:,}" in svg
    assert ">journey<" in svg and ">touchpoint<" in svg
    svg = _svg_text(wb.charts.correlations_chart(levels.measures))
    assert "contacts per journey" in svg and "CES, worst" in svg
    table = wb.kpis(sample_full_model, by="month")
    svg = _svg_text(wb.charts.kpi_trend_chart(table, "nps"))
    assert "NPS by month" in svg
    months = sorted(g for g in table.table["group"].unique() if not g.startswith("("))
    assert months[0] == "2026-03" and len(months) >= 6
    drivers = wb.journey_drivers(sample_full_model, by="journey_type")
    svg = _svg_text(wb.charts.drivers_chart(drivers))
    assert "Second-line transfer" in svg  # the planted transfer leg drags house moves down
    loyalty = wb.loyalty_value(sample_full_model)
    svg = _svg_text(wb.charts.loyalty_chart(loyalty, "revenue"))
    assert "promoter" in svg.lower() and "detractor" in svg.lower()


def test_a_kpi_trend_joins_only_the_figures_resting_on_enough_answers(
    sample_full_model: wb.JourneyModel,
) -> None:
    """The sample's last month has a handful of NPS answers: a hollow point of its own, left
    out of the line and its band (the line does not jump to it)."""
    table = wb.kpis(sample_full_model, by="month")
    nps = table.table[(table.table["kpi"] == "nps") & ~table.table["group"].str.startswith("(")]
    assert (nps["warning"] != "").any() and (nps["warning"] == "").any()
    spec = wb.charts.kpi_trend_chart(table, "nps").to_dict()
    band, thin, line, points = spec["layer"]
    for joined in (band, line):
        assert {"filter": "datum.trusted"} in joined.get("transform", [])
    assert "transform" not in points and thin["mark"]["strokeDash"]  # the thin ones: dashed
    # the scale is set by the trusted figures and their intervals, not by a thin month's jump
    sure = nps[nps["warning"] == ""]
    low, high = points["encoding"]["y"]["scale"]["domain"]
    assert low == min(sure["ci_low"].min(), sure["value"].min())
    assert high == max(sure["ci_high"].max(), sure["value"].max())
    drawn = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert drawn["shown"].between(low, high).all()


def test_text_on_the_map_and_charts_passes_wcag_aa(sample_model: wb.JourneyModel) -> None:
    """Workshop rooms have projectors: every text colour the map and charts use reads at
    4.5:1 or more on what it is written on, touchpoints on the darkest comparison fill too."""
    assert contrast(HIGHLIGHT, "#ffffff") >= 4.5  # a highlighted variant's labels
    assert contrast(MANUAL, "#ffffff") >= 4.5  # causes added by hand on the fishbone
    for fill in ("#ffffff", "#98c1d9", "#ffd166", "#c1121f", "#1d4e89", "#e0fbfc"):
        assert contrast(ink(fill), fill) >= 4.5, fill
    view = wb.journey_graph(sample_model, 60, 30)
    cmp = wb.compare_segment(sample_model, "device", "android")
    dot = journey_map_dot(view, comparison=cmp)
    nodes = re.findall(r'fillcolor="(#[0-9a-f]{6})", fontcolor="(#[0-9a-f]{6})"', dot)
    assert nodes and all(contrast(text, fill) >= 4.5 for fill, text in nodes)
    svg = wb.charts.journey_map_svg(view)
    texts = set(re.findall(r'<text[^>]*fill="(#[0-9a-f]{6})"', svg))
    assert texts and all(contrast(t, "#ffffff") >= 4.5 for t in texts)
    # axes, legends and titles of every chart handed out, whatever theme draws them
    made = [name for name in wb.charts.__all__ if name.endswith("_chart")]
    assert made and all(hasattr(getattr(wb.charts, n), "__wrapped__") for n in made)
    for chart in (
        wb.charts.variants_chart(sample_model.variants),
        wb.charts.dwell_chart(sample_model.touchpoints),
        wb.charts.journey_map_chart(view),
        wb.charts.readable(alt.Chart(pd.DataFrame({"x": [1]})).mark_point()),
    ):
        config = chart.to_dict()["config"]
        for part in ("axis", "legend", "header", "title"):
            colours = [v for k, v in config[part].items() if k.endswith(("Color", "color"))]
            assert colours and all(contrast(c, "#ffffff") >= 4.5 for c in colours), part
    assert wb.charts.journey_map_chart(view).to_dict()["config"]["view"]["stroke"] is None


def test_the_map_ranks_any_graph_with_end_last(sample_model: wb.JourneyModel) -> None:
    """Loops, moves back, a focus that leaves touchpoints no journey reaches from Start: every
    touchpoint gets a rank, Start first and End last, and the report draws every edge."""
    for view in (
        wb.journey_graph(sample_model, 100, 100),
        wb.journey_graph(sample_model, 40, 30, focus="Billing call"),
    ):
        ranks = wb.charts.map_ranks(view).set_index("node")["rank"]
        assert set(view.nodes["touchpoint"]) <= set(ranks.index)
        assert ranks["Start"] == 0 and ranks["End"] == ranks.max()
        assert wb.charts.journey_map_svg(view).count('class="edge"') == len(view.edges)
