"""The HTML report: every section with its numbers, offline, and honest about what is missing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench.analyses.causes import effects_for
from workbench.core.periods import describe_period
from workbench.journeys.periods import default_periods, journeys_between
from workbench.present.report import Finding, build_report

from .conftest import DATA, ROOT, SAMPLE


@pytest.fixture(scope="module")
def report_html(sample_full_model: wb.JourneyModel) -> str:
    ranking = wb.rank_friction(sample_full_model)
    pinned = Finding(
        "Billing line waits",
        "Ask the billing team about staffing on Mondays.",
        table=ranking.top(1)[["point", "rate", "explanation"]],
    )
    report = build_report(sample_full_model, ranking=ranking, findings=[pinned])
    assert [s.title for s in report.sections] == [
        "Data",
        "KPIs",
        "Journey map",
        "Friction points",
        "Causes",
        "Journey versus touchpoint",
        "Voice of the customer",
        "Findings",
    ]
    assert all(s.left_out is None for s in report.sections)
    return report.html()


def _specs(page: str) -> list[dict]:
    found = re.search(r"const specs = (\[.*?\]);\n", page, re.S)
    assert found
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_report_is_one_offline_file(report_html: str) -> None:
    assert "vegaEmbed" in report_html and "window.vega" in report_html  # libraries inlined
    assert not re.search(r"""(src|href)=["']https?://""", report_html)
    assert "cdn." not in report_html.lower()
    specs = _specs(report_html)
    assert len(specs) == report_html.count('class="chart"') >= 9
    assert all(s.get("width") != "container" for s in specs)


def test_report_carries_the_numbers(
    report_html: str, sample_truth: dict, sample_full_model: wb.JourneyModel
) -> None:
    n = sample_truth["rows"]["events"]
    assert f"rows read = loaded + rejected ({n:,} = {n:,} + 0)" in report_html
    assert "Billing call" in report_html  # the planted long-wait line heads the friction
    # the fishbone is the one of the top friction point, with the leader the page would show
    effect = effects_for(wb.rank_friction(sample_full_model))[0]
    fishbone = wb.group_causes(sample_full_model, effect)
    assert fishbone.summary() in report_html
    leader = fishbone.leader("People")
    assert leader is None or leader["label"] in report_html
    # the sample plants journey-level drivers of NPS (truth.json "driver")
    assert f"Verdict: {sample_truth['driver']}." in report_html
    assert "Ask the billing team about staffing on Mondays." in report_html
    tables = _tables(report_html)
    accounting = tables["Row accounting"]
    assert accounting[0] == ["table", "source", "rows read", "loaded", "rejected"]
    for row in accounting[1:]:
        read, loaded, rejected = (int(c.replace(",", "")) for c in row[2:5])
        assert read == loaded + rejected
    kpis = {row[0] for row in tables["KPIs over the whole period"][1:]}
    assert {"NPS", "First-contact resolution", "Interactions analysed"} <= kpis


def _tables(page: str) -> dict[str, list[list[str]]]:
    """Each table of the page by its caption: header row, then the rows, as text."""
    from html.parser import HTMLParser

    tables: dict[str, list[list[str]]] = {}

    class Parser(HTMLParser):
        caption = ""
        row: list[str] | None = None
        cell: list[str] | None = None
        in_caption = False

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag == "caption":
                self.in_caption, self.caption = True, ""
            elif tag == "tr":
                self.row = []
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag == "caption":
                self.in_caption = False
                tables[self.caption] = []
            elif tag in ("td", "th") and self.row is not None and self.cell is not None:
                self.row.append("".join(self.cell).strip())
                self.cell = None
            elif tag == "tr" and self.row is not None:
                tables[self.caption].append(self.row)
                self.row = None

        def handle_data(self, data: str) -> None:
            if self.in_caption:
                self.caption += data
            elif self.cell is not None:
                self.cell.append(data)

    Parser().feed(page)
    return tables


def test_sections_the_data_cannot_support_are_left_out_with_the_reason() -> None:
    model = wb.build_journeys(wb.load_events(SAMPLE / "events.csv"))  # no surveys, no customers
    report = build_report(model)
    levels = next(s for s in report.sections if s.title == "Journey versus touchpoint")
    assert levels.left_out and not levels.charts
    page = report.html()
    assert "Left out — " in page
    friction = next(s for s in report.sections if s.title == "Friction points")
    assert friction.left_out is None and friction.charts


def test_report_escapes_what_comes_from_the_data(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["c1", "c1", "c2", "c2"],
            "touchpoint": ["<script>alert(1)</script>", "Pay", "<script>alert(1)</script>", "Pay"],
            "timestamp": pd.to_datetime(
                ["2026-01-01 10:00", "2026-01-01 10:05", "2026-01-02 10:00", "2026-01-02 10:09"]
            ),
        }
    )
    page = build_report(wb.build_journeys(wb.load_events(frame))).html()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "<\\/script>alert" in page


def test_cli_report_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "report",
            "--events",
            str(DATA / "tiny_journeys.csv"),
            "--title",
            "Tiny <log>",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    assert "<h1>Tiny &lt;log&gt;</h1>" in page and "Journey map" in page


def test_tables_and_charts_are_written_for_people(report_html: str) -> None:
    """Shares as percentages, no underscores in headings, durations in human units, and every
    chart fitting the page's width with its labels."""
    variants = report_html[report_html.index("most frequent variants") :]
    variants = variants[: variants.index("</table>")]
    assert "cumulative share" in variants and "median duration" in variants
    assert "_" not in re.sub(r"<[^>]+>", "", variants.split("</thead>")[0])
    assert re.search(r"<td>\d+ %</td>", variants)  # a share, not 0.16
    assert not re.search(r"<td>0\.\d+</td>", variants)
    for spec in _specs(report_html):
        if spec.get("autosize"):
            assert spec["autosize"]["type"] == "fit-x" and spec["width"] <= 1100


def test_the_report_map_follows_the_page_s_sliders_and_keeps_the_goals(
    sample_full_model: wb.JourneyModel,
) -> None:
    names = sample_full_model.touchpoints["touchpoint"].tolist()
    rare = names[-1]
    report = build_report(sample_full_model, touchpoints_pct=10, paths_pct=30, goals=[rare])
    section = next(s for s in report.sections if s.title == "Journey map")
    drawn = section.figures[0]
    assert f"<title>{rare}: " in drawn  # a goal is drawn whatever Touchpoints % says
    assert (
        section.text[0].startswith("showing") and f"of {len(names)} touchpoints" in section.text[0]
    )
    assert names[len(names) // 2] not in drawn  # 10 % of touchpoints: the middle ones are not


def test_the_report_says_what_customers_wrote_and_the_verdict_in_plain_words(
    report_html: str,
) -> None:
    assert "Whole journeys explain NPS better" in report_html
    voice = report_html[report_html.index('id="voice-of-the-customer"') :]
    assert "Contact reasons" in voice and "agree" in voice


def test_the_report_map_is_the_page_s_map(sample_full_model: wb.JourneyModel) -> None:
    """The report draws the view the page draws, with the page's layout: one arrow for each
    edge the page draws, every touchpoint, and no count written over another."""
    goals = ["Order confirmation"]
    view = wb.journey_graph(sample_full_model, 70, 30, keep=goals)
    report = build_report(
        sample_full_model, touchpoints_pct=70, paths_pct=30, rankdir="LR", goals=goals
    )
    section = next(s for s in report.sections if s.title == "Journey map")
    svg = section.figures[0]
    assert (
        svg.count('<g class="edge">')
        == len(view.edges)
        == svg.count("marker-end=") + (view.edges["kind"] == "start").sum()
    )
    assert svg.count('<g class="node">') == len(view.nodes) + 2  # and Start and End
    spots = [
        (float(x), float(y), len(t))
        for x, y, t in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)"[^>]*paint-order[^>]*>([^<]+)<', svg
        )
    ]
    assert len(spots) == len(view.edges)
    for i, (x, y, n) in enumerate(spots):  # counts written apart
        for x2, y2, n2 in spots[:i]:
            assert abs(x - x2) * 2 >= 0.56 * 9 * (n + n2) or abs(y - y2) >= 11, (x, y, x2, y2)


def test_the_report_map_follows_the_page_s_range_label_and_comparison(
    sample_full_model: wb.JourneyModel,
) -> None:
    """The Journey map page's date range, label measure and segment comparison: the report
    draws the range's map with the page's labels and colours, its variants beside it, and
    says which range and comparison it shows."""
    _, last_weeks = default_periods(sample_full_model)
    shown = journeys_between(sample_full_model, last_weeks)
    assert shown.n_journeys < sample_full_model.n_journeys
    view = wb.journey_graph(shown, 70, 30, keep=["Order confirmation"])
    kwargs = {"goals": ["Order confirmation"], "period": last_weeks, "touchpoints_pct": 70}
    timed = build_report(sample_full_model, measure="median", **kwargs)  # type: ignore[arg-type]
    section = next(s for s in timed.sections if s.title == "Journey map")
    svg = section.figures[0]
    assert section.text[0].startswith(f"Journeys that start from {describe_period(*last_weeks)}")
    assert f"{shown.n_journeys:,} of the log's {sample_full_model.n_journeys:,}" in section.text[0]
    assert svg.count('<g class="edge">') == len(view.edges)
    assert view.caption in " ".join(section.text)
    moves = view.edges[view.edges["kind"] == "transition"]
    labels = re.findall(r'paint-order="stroke">([^<]+)<', svg)
    assert set(moves["median_seconds"].map(wb.charts.format_duration)) <= set(labels)
    top = shown.variants.head(10)["journeys"].map(lambda n: f"<td>{n:,}</td>")
    assert all(cell in timed.html() for cell in top)  # the range's variants, not the log's

    segment = wb.compare_segment(shown, "device", "android")
    compared = build_report(sample_full_model, comparison=segment, **kwargs)  # type: ignore[arg-type]
    section = next(s for s in compared.sections if s.title == "Journey map")
    assert any(t.startswith(f"Segment vs rest — {segment.caption}") for t in section.text)
    svg = section.figures[0]
    assert re.search(r'paint-order="stroke">[+-]\d+ pp<', svg)
    assert "#c1121f" in svg or re.search(r'stroke="#[c-f][0-9a-f]{5}"', svg)  # red: more often
    assert f'aria-label="Journey map, {view.caption}; coloured by segment' in svg
