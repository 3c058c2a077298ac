"""Readable in a workshop room: every page at 1440×900, on the sample and on a log this project
did not shape its pages around (the web shop world), looked at as a CX lead would on a
projector: map labels of at least 11 px, the goal on the map at the default sliders, tables
without long decimals or raw seconds, and a report whose map is the page's.

Screenshots go to ``$WORKBENCH_SHOTS`` when it is set (to look at them), else to a temp folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.worlds import generate
from workbench.present.charts.palette import contrast

from .conftest import ROOT
from .test_browser import _serve, browser  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.browser

#: Every page the app's navigation lists, by title, in its order.
PAGES = re.findall(r'st\.Page\("pages/[a-z_]+\.py", title="([^"]+)"', (ROOT / "app.py").read_text())
#: Smallest label on the map a room can read from the back, in screen pixels.
SMALLEST_PX = 11.0

#: Each label's size as drawn: its computed font size times the scale the SVG is drawn at.
_LABEL_PX = """() => Array.from(
  document.querySelectorAll('[data-testid="stGraphVizChart"] svg text')
).map(t => {
  const m = t.getScreenCTM();
  return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
})"""
#: Every table's column headers and the cells it shows (the grid's accessible table).
_TABLES = """() => Array.from(
  document.querySelectorAll('[data-testid="stDataFrame"] table')
).map(t => [
  Array.from(t.querySelectorAll('th')).map(h => h.textContent),
  Array.from(t.querySelectorAll('tbody tr')).map(
    r => Array.from(r.querySelectorAll('td')).map(c => c.textContent))
])"""

#: What a page shows once it has finished, where Streamlit shows no spinner meanwhile.
_READY = {
    "Journey map": '[data-testid="stGraphVizChart"] svg g.node',
    "Personas": '[data-testid="stGraphVizChart"] svg g.node',
}

_MANY_DECIMALS = re.compile(r"^-?\d[\d,]*\.\d{5,}$")
_TIME_WORDS = ("second", "duration", "dwell", "wait", "time")


_BUSY = '[data-testid="stStatusWidget"], [data-testid="stProgress"], [data-testid="stSpinner"]'


def _settle(page: Any, timeout: int = 300_000) -> None:
    """Wait until the script has finished and no progress bar or spinner is left, twice over
    (a page may run again once after drawing)."""
    for _ in range(2):
        page.wait_for_timeout(800)
        page.wait_for_function(
            f"() => !document.querySelector('{_BUSY}')", timeout=timeout, polling=500
        )


#: Scroll the app's main pane one screen on; true while there was more to see.
_SCROLL = """() => {
  const pane = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
  const before = pane.scrollTop;
  pane.scrollBy(0, 820);
  return pane.scrollTop > before;
}"""


def _shoot(page: Any, stem: Path, screens: int = 5) -> None:
    """The page at 1440×900 as a person sees it, then one screen further down at a time
    (Streamlit scrolls inside the app, so a full-page shot holds only the first screen)."""
    page.screenshot(path=f"{stem}.png")
    for i in range(1, screens):
        if not page.evaluate(_SCROLL):
            break
        page.wait_for_timeout(400)
        page.screenshot(path=f"{stem}_{i}.png")
    page.evaluate(
        "() => (document.querySelector('[data-testid=\"stMain\"]') || "
        "document.scrollingElement).scrollTo(0, 0)"
    )


def unreadable_cells(tables: list[list[list[Any]]]) -> list[str]:
    """Cells a person should not have to read: more than 4 decimals, or seconds over an hour
    (a column about time holding a bare number above 3,600), and headings in seconds."""
    found = []
    for headers, body in tables:
        for i, head in enumerate(headers):
            timed = any(w in head.lower() for w in _TIME_WORDS)
            if "second" in head.lower():
                found.append(f"heading in seconds: {head}")
            for row in body:
                cell = row[i] if i < len(row) else ""
                if _MANY_DECIMALS.match(cell):
                    found.append(f"{head}: {cell}")
                elif (
                    timed
                    and re.fullmatch(r"\d[\d,]*(\.\d+)?", cell)
                    and float(cell.replace(",", "")) > 3600
                ):
                    found.append(f"{head}: {cell} (seconds)")
    return found


def test_unreadable_cells_are_found() -> None:
    """The check above can fail: it finds each kind of cell it is meant to."""
    bad = [
        (["share", "median_seconds", "wait"], [["0.15974162", "12", "158713"]]),
        (["p value", "path"], [["0.000000000009", "a → b"]]),
    ]
    assert len(unreadable_cells(bad)) == 4
    good = [(["share", "median", "path"], [["0.1597", "1.8 d", "a → b"]])]
    assert unreadable_cells(good) == []


@pytest.fixture(scope="module")
def web_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web-shop")
    generate("clickstream", out, seed=3)
    return out / "events.csv"


def _open(page: Any, url: str, log: Path | None) -> None:
    page.goto(url, timeout=120_000)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=180_000)
    _settle(page)
    if log is None:
        return
    page.get_by_text("A file on this computer").click()
    _settle(page)
    page.get_by_label("Event log path").fill(str(log))
    page.keyboard.press("Enter")
    _settle(page)
    page.get_by_role("button", name="Load", exact=True).click()
    page.get_by_text(f"What is loaded now: {log.name}").wait_for(timeout=180_000)
    _settle(page)


def _check_map(page: Any) -> int:
    """Labels of at least 11 px and every goal drawn; returns the edges drawn."""
    page.wait_for_selector('[data-testid="stGraphVizChart"] svg g.node', timeout=120_000)
    sizes = page.evaluate(_LABEL_PX)
    small = [(text, round(px, 1)) for text, px in sizes if px < SMALLEST_PX]
    assert sizes and not small, small[:5]
    caption = page.get_by_text(re.compile(r"Goals, always shown: ")).first.inner_text()
    goals = re.search(r"Goals, always shown: (.+)\.$", caption).group(1).split(", ")  # type: ignore[union-attr]
    labels = set(
        page.locator('[data-testid="stGraphVizChart"] svg g.node text').all_text_contents()
    )
    assert goals and set(goals) <= labels, (goals, labels)
    return int(page.locator('[data-testid="stGraphVizChart"] svg g.edge').count())


def _report_edges(page: Any, chromium: Any, folder: Path) -> int:
    """Make the report on the Report page, download it and count its map's edges."""
    page.get_by_role("button", name="Make the report").click()
    download = page.get_by_role("button", name="Download the report (HTML)")
    download.wait_for(timeout=300_000)
    _settle(page)
    with page.expect_download() as got:
        download.click()
    path = folder / "report.html"
    got.value.save_as(path)
    report = chromium.new_page(viewport={"width": 1440, "height": 900})
    report.goto(path.as_uri())
    drawn = report.locator('[data-section="journey-map"] svg g.edge')
    drawn.first.wait_for(timeout=60_000)
    report.screenshot(path=str(folder / "report_map.png"), full_page=True)
    count = int(drawn.count())
    report.close()
    return count


@pytest.mark.parametrize("world", ["sample", "web shop"])
def test_every_page_reads_in_a_workshop_room(
    world: str,
    browser,  # noqa: F811 - the fixture
    web_shop: Path,
    tmp_path: Path,
) -> None:
    shots = Path(os.environ.get("WORKBENCH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    tag = world.replace(" ", "_")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    problems: dict[str, list[str]] = {}
    with _serve(data_dir, tmp_path / "server.log") as url:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        _open(page, url, web_shop if world == "web shop" else None)
        map_edges = report_edges = -1
        for name in PAGES:
            page.get_by_role("link", name=name, exact=True).click()
            _settle(page)
            if name in _READY:  # computes for a while with nothing busy on screen
                page.locator(_READY[name]).first.wait_for(timeout=300_000)
                _settle(page)
            _shoot(page, shots / f"{tag}_{name.replace(' ', '_')}")
            assert not page.locator('[data-testid="stException"]').count(), name
            if name == "Journey map":
                map_edges = _check_map(page)
            if name == "Report":
                report_edges = _report_edges(page, browser, tmp_path)
                page.screenshot(path=str(shots / f"{tag}_Report_made.png"))
            found = unreadable_cells(page.evaluate(_TABLES))
            if found:
                problems[name] = found[:5]
        context.close()
    assert not problems, problems
    assert map_edges > 5 and report_edges == map_edges


#: What has the keyboard's focus: its tag, accessible label, and the text of the widget it is in.
_FOCUSED = """() => { const e = document.activeElement;
  const w = e.closest('[data-testid]');
  const text = w ? w.innerText.replace(/\\s+/g, ' ').trim() : '';
  return [e.tagName, e.getAttribute('aria-label') || '', text.slice(0, 80)]; }"""
#: The colours the charts' axis labels and titles, and legends, are written in.
_AXIS_FILLS = """() => Array.from(document.querySelectorAll(
  '[data-testid="stVegaLiteChart"] svg :is(.role-axis-label, .role-axis-title, .role-legend) text'
)).map(t => getComputedStyle(t).fill)"""


def _tab_to(page: Any, reached: Any, limit: int = 60) -> list[str]:
    """Press Tab until ``reached(tag, label, widget)`` holds; fails when it never does."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if reached(*focused):
            return list(focused)
        seen.append(focused)
    raise AssertionError(f"not reached with {limit} presses of Tab: {seen}")


def _hex(rgb: str) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in re.findall(r"\d+", rgb)[:3])


def test_the_map_and_friction_pages_work_from_the_keyboard(
    browser,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    """Tab reaches the main controls, arrows and Enter work them, the map has a text
    alternative that says what it shows, chart axes read at 4.5:1 or more, and the report
    draws the map as the keyboard left it."""
    with _serve(tmp_path / "data", tmp_path / "server.log") as url:
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        page.goto(url + "/journey_map", timeout=120_000)
        page.wait_for_selector(_READY["Journey map"], timeout=300_000)
        _settle(page)
        about = page.get_by_role("img", name=re.compile(r"^Journey map, showing \d+ of \d+ edges"))
        assert about.count() == 1
        caption = page.get_by_text(re.compile(r"^showing \d+ of \d+ edges")).first.inner_text()
        assert caption in about.get_attribute("aria-label")  # type: ignore[operator]

        _tab_to(page, lambda tag, label, _: label == "Touchpoints %")
        page.keyboard.press("ArrowRight")  # 70 % -> 75 %
        _settle(page)
        assert page.get_by_text(re.compile(r"^showing")).first.inner_text() != caption
        _tab_to(page, lambda tag, label, widget: tag == "INPUT" and widget == "frequency")
        page.keyboard.press("ArrowDown")  # Label: frequency -> median
        _settle(page)
        edges = page.locator('[data-testid="stGraphVizChart"] svg g.edge text').all_text_contents()
        assert any(re.search(r"\d (s|min|h|d)$", e.strip()) for e in edges), edges[:5]
        _tab_to(page, lambda tag, label, widget: tag == "SUMMARY" and "Compare a segment" in widget)
        page.keyboard.press("Enter")
        page.get_by_role("combobox", name="Attribute").wait_for(timeout=30_000)
        _tab_to(page, lambda tag, label, _: label == "Attribute")
        page.keyboard.press("ArrowDown")  # opens the list
        page.wait_for_timeout(300)
        page.keyboard.type("device")
        page.get_by_role("option", name="device", exact=True).wait_for(timeout=30_000)
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_text(re.compile(r"^Segment vs rest — device = ")).wait_for(timeout=120_000)
        map_edges = page.locator('[data-testid="stGraphVizChart"] svg g.edge').count()

        page.get_by_role("link", name="Friction", exact=True).click()  # the same session
        page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=300_000)
        _settle(page)
        fills = page.evaluate(_AXIS_FILLS)
        assert fills and all(contrast(_hex(f), "#ffffff") >= 4.5 for f in fills), set(fills)
        _tab_to(page, lambda tag, label, widget: tag == "SUMMARY" and "Goals, thr" in widget)
        page.keyboard.press("Enter")
        _tab_to(page, lambda tag, label, _: label == "Long wait (minutes)")
        page.keyboard.press("ArrowUp")  # 5 -> 5.5 minutes
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_text("a long wait is over 5.5 min").wait_for(timeout=120_000)

        # the report draws the map as it was left: 75 %, median labels, the segment compared
        page.get_by_role("link", name="Report", exact=True).click()
        _settle(page)
        assert _report_edges(page, browser, tmp_path) == map_edges
        report = (tmp_path / "report.html").read_text()
        assert "Segment vs rest — device = " in report
        page.context.close()
