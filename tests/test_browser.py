"""Real browser: Debian's Chromium, driven by Playwright, against `streamlit run` on 127.0.0.1.

Looks at what a person sees: the drawn journey map, its caption, the row accounting.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

import workbench as wb

from .conftest import DATA, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER_LOG: dict[str, Path] = {}


@contextmanager
def _serve(data_dir: Path, log_path: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free loopback port with ``data_dir`` as its data folder."""
    port = _free_port()
    env = {**os.environ, "WORKBENCH_DATA_DIR": str(data_dir)}
    log_file = open(log_path, "wb")  # noqa: SIM115 - closed when the server stops
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail(f"streamlit did not start:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log_file.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("workbench-data")
    log_path = data_dir.parent / "server.log"
    SERVER_LOG["path"] = log_path
    with _serve(data_dir, log_path) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def _caption(page) -> str:  # type: ignore[no-untyped-def]
    return page.get_by_text(re.compile(r"^showing \d")).first.inner_text()


def test_journey_map_slider_changes_the_drawn_graph(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/journey_map", timeout=60_000)
    page.wait_for_selector('[data-testid="stGraphVizChart"] svg g.node', timeout=60_000)
    _settle(page)
    before_edges = page.locator('[data-testid="stGraphVizChart"] svg g.edge').count()
    before_caption = _caption(page)
    assert before_edges > 5
    assert re.match(r"showing \d+ of \d+ edges, [\d.]+ % of transitions", before_caption)
    page.screenshot(path=str(tmp_path / "journey_map_before.png"), full_page=True)

    slider = page.get_by_role("slider").nth(1)  # Touchpoints %, then Paths %
    slider.focus()
    slider.press("End")  # Paths % to 100
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stGraphVizChart\"] svg g.edge').length > n",
        arg=before_edges,
        timeout=60_000,
    )
    _settle(page)
    after_edges = page.locator('[data-testid="stGraphVizChart"] svg g.edge').count()
    after_caption = _caption(page)
    assert after_edges > before_edges
    assert after_caption != before_caption
    shown = int(re.match(r"showing (\d+)", after_caption).group(1))  # type: ignore[union-attr]
    # drawn = transitions counted in the caption + Start/End arcs (not counted as edges)
    assert after_edges >= shown
    shot = tmp_path / "journey_map_after.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    node_labels = page.locator(
        '[data-testid="stGraphVizChart"] svg g.node text'
    ).all_text_contents()
    assert "Support call" in node_labels and "Start" in node_labels
    page.close()


def test_upload_shows_row_accounting(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server, timeout=60_000)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    _settle(page)
    page.get_by_text("Upload a file").click()
    _settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(DATA / "bad_inputs" / "bad_timestamps.csv")
    )
    page.get_by_role("button", name="Load", exact=True).wait_for(timeout=60_000)
    _settle(page)
    page.get_by_role("button", name="Load", exact=True).click()
    page.get_by_text("rows read = loaded + rejected: 5 = 2 + 3").wait_for(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(tmp_path / "data_upload.png"), full_page=True)
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics[:3] == ["5", "2", "3"]
    assert page.get_by_text(re.compile(r"^errors: 2 · warnings: \d+ · notes: \d+$")).is_visible()
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2  # problems, rejected rows
    page.close()


def test_a_process_mining_export_loads_through_the_data_page(
    server: str, browser, tmp_path: Path
) -> None:
    """An XES export with start and complete events, uploaded as it is: no mapping asked for,
    the start events set aside and said, and the sidebar counting cases, not customers."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(server, timeout=60_000)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    _settle(page)
    page.get_by_text("Upload a file").click()
    _settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(DATA / "xes" / "lifecycle.xes")
    )
    page.get_by_role("button", name="Load", exact=True).wait_for(timeout=60_000)
    _settle(page)
    page.get_by_role("button", name="Load", exact=True).click()
    page.get_by_text("What is loaded now: lifecycle.xes").wait_for(timeout=60_000)
    _settle(page)
    body = page.inner_text("body")
    assert "set aside" in body and "complete events" in body
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert re.search(r"\d+ journeys · \d+ cases", sidebar), sidebar
    page.screenshot(path=str(tmp_path / "xes_loaded.png"))
    page.close()


def test_variant_button_highlights_it_on_the_map(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/variants", timeout=60_000)
    page.get_by_role("button", name="Show on the journey map").wait_for(timeout=60_000)
    _settle(page)
    page.get_by_role("button", name="Show on the journey map").click()
    page.wait_for_url(re.compile(r"/journey_map(\?|$)"), timeout=60_000)
    highlighted = '[data-testid="stGraphVizChart"] svg g.edge path[stroke="#c23b50"]'
    page.wait_for_selector(highlighted, timeout=60_000)
    _settle(page)
    assert page.locator(highlighted).count() >= 3  # Start arc, steps, End arc
    page.screenshot(path=str(tmp_path / "variant_highlight.png"))
    page.close()


def test_friction_and_fishbone_pages_draw(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(server + "/friction", timeout=60_000)
    page.get_by_text(re.compile(r"of contacts at Billing call wait longer than")).first.wait_for(
        timeout=90_000
    )
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
        timeout=60_000,
    )
    _settle(page)
    page.screenshot(path=str(tmp_path / "friction.png"))
    page.get_by_role("button", name="Why? Show its causes").click()
    page.wait_for_url(re.compile(r"/causes(\?|$)"), timeout=60_000)
    page.get_by_text(re.compile(r"^Long waits \(friction at Billing call\):")).wait_for(
        timeout=90_000
    )
    # the whole billing line waits: nothing within it stands out, and the page says so
    page.get_by_text(re.compile(r"^Nothing in the data stands out")).wait_for(timeout=60_000)
    # unresolved support calls have a cause (a team): their fishbone is drawn
    page.goto(server + "/causes?ca_effect=" + quote("friction:unresolved:Support call"))
    page.get_by_text(re.compile(r"^Unresolved contacts \(friction at Support call\):")).wait_for(
        timeout=90_000
    )
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for(timeout=60_000)
    _settle(page)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 800 and box["height"] > 400
    shot = tmp_path / "fishbone.png"
    chart.screenshot(path=str(shot))
    assert shot.stat().st_size > 30_000  # a drawn fishbone, not an empty frame
    page.close()


def test_satisfaction_and_kpi_pages(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(server + "/satisfaction", timeout=60_000)
    page.get_by_text(re.compile(r"^Whole journeys explain NPS better")).wait_for(timeout=120_000)
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
        timeout=60_000,
    )
    _settle(page)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 3
    page.screenshot(path=str(tmp_path / "satisfaction.png"), full_page=True)
    page.goto(server + "/kpis", timeout=60_000)
    page.get_by_text("NPS", exact=True).first.wait_for(timeout=60_000)
    _settle(page)
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert len(values) >= 8 and all(v.strip() for v in values)
    assert page.get_by_text(re.compile(r"^95 % CI .* n = ")).first.is_visible()
    shot = tmp_path / "kpis.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    page.close()


SESSIONS = 4


def _session_file(folder: Path, i: int) -> tuple[Path, int]:
    """A small log only session ``i`` has: its own ids, touchpoints and row count."""
    rows = 6 + 3 * i
    lines = ["customer_id,touchpoint,timestamp"] + [
        f"SECRET{i}-{k % 3},Step{i}-{k % 4},2026-03-0{1 + k % 5} 10:{k:02d}:00" for k in range(rows)
    ]
    path = folder / f"session{i}.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, rows


def test_sessions_at_once_keep_their_own_data(server: str, browser, tmp_path: Path) -> None:
    """Several people on one server at the same time: each sees only the data they loaded,
    nothing fails, the browser talks to nothing but the server, and the server log holds
    nothing from the data."""
    requests: list[str] = []
    files = [_session_file(tmp_path, i) for i in range(SESSIONS)]
    contexts = [browser.new_context(viewport={"width": 1300, "height": 900}) for _ in files]
    pages = [c.new_page() for c in contexts]
    for page in pages:
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server, timeout=60_000)
    for page in pages:
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        _settle(page)
        page.get_by_text("Upload a file").click()
    for page, (path, _) in zip(pages, files, strict=True):
        _settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    for page in pages:  # every session presses Load before any is checked
        page.get_by_role("button", name="Load", exact=True).wait_for(timeout=60_000)
        _settle(page)
        page.get_by_role("button", name="Load", exact=True).click()
    for page, (_, rows) in zip(pages, files, strict=True):
        page.get_by_text(f"rows read = loaded + rejected: {rows} = {rows} + 0").wait_for(
            timeout=60_000
        )
    for page in pages:
        page.get_by_role("link", name="Journey map").click()
    for i, page in enumerate(pages):
        page.wait_for_selector('[data-testid="stGraphVizChart"] svg g.node', timeout=60_000)
        _settle(page)
        labels = set(
            page.locator('[data-testid="stGraphVizChart"] svg g.node text').all_text_contents()
        )
        steps = {label for label in labels if label.startswith("Step")}
        assert steps and all(label.startswith(f"Step{i}-") for label in steps), (i, labels)
        assert not page.locator('[data-testid="stException"]').count()
    pages[-1].screenshot(path=str(tmp_path / "last_session_map.png"))
    for context in contexts:
        context.close()
    outside = [u for u in requests if not u.startswith((server, "data:", "blob:", "about:"))]
    assert requests and not outside, outside[:5]
    log = SERVER_LOG["path"].read_text(errors="replace")
    assert "Traceback" not in log and "SECRET" not in log and "Step0-" not in log


def test_report_opens_offline_from_disk_with_every_chart_drawn(
    browser, tmp_path: Path, sample_full_model
) -> None:
    import workbench as wb

    path = wb.build_report(sample_full_model).save(tmp_path / "report.html")
    context = browser.new_context(offline=True, viewport={"width": 1300, "height": 900})
    asked: list[str] = []

    def block(route) -> None:  # type: ignore[no-untyped-def]
        asked.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    charts = page.locator(".chart")
    n = charts.count()
    assert n >= 9
    page.wait_for_function(
        "document.querySelectorAll('.chart[data-drawn]').length === "
        "document.querySelectorAll('.chart').length",
        timeout=60_000,
    )
    drawn = page.eval_on_selector_all(
        ".chart",
        "els => els.map(e => [e.dataset.drawn, e.querySelectorAll('svg path, svg text').length,"
        " e.getBoundingClientRect().width])",
    )
    assert all(state == "yes" and marks > 10 and width > 200 for state, marks, width in drawn)
    assert not errors
    assert all(u.startswith("file:") for u in asked)
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 200_000
    context.close()


def test_a_link_reopens_the_view(server: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/journey_map?jm_touchpoints=40&jm_paths=100&jm_focus=%22Support%20call%22")
    page.wait_for_selector('[data-testid="stGraphVizChart"] svg g.node', timeout=60_000)
    _settle(page)
    sliders = page.get_by_role("slider")
    values = page.locator('[data-testid="stSliderThumbValue"]').all_inner_texts()
    assert [re.sub(r"\D", "", v) for v in values[:2]] == ["40", "100"], values
    page.get_by_role("tab", name="Focus flows").click()
    page.get_by_text("Into Support call").wait_for(timeout=30_000)  # the focus came back too
    caption = _caption(page)
    assert re.search(r"of \d+ touchpoints", caption)
    # The link follows what the person changes, so copying it shares the view.
    sliders.nth(1).focus()
    sliders.nth(1).press("Home")
    page.wait_for_url(re.compile(r"jm_paths=(?!100)\d+"), timeout=60_000)
    _settle(page)
    shared = page.url
    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    other.goto(shared)
    other.wait_for_selector('[data-testid="stGraphVizChart"] svg g.node', timeout=60_000)
    _settle(other)
    assert _caption(other) == _caption(page)
    page.close()
    other.close()


def test_a_restarted_app_reopens_the_journey_model_its_dataset_keeps(
    browser, tmp_path: Path
) -> None:
    """The first start imports the sample and keeps its journey model in the dataset; after a
    restart the app reopens both, and the map and the friction page draw from them."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    kept = "model kept in the dataset: it reopens at once"
    records = []
    for start in ("first", "second"):
        with _serve(data_dir, tmp_path / f"{start}.log") as url:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "/journey_map", timeout=60_000)
            page.wait_for_selector('[data-testid="stGraphVizChart"] svg g.node', timeout=90_000)
            _settle(page)
            assert page.get_by_text(kept).is_visible()
            assert re.match(r"showing \d+ of \d+ edges", _caption(page))
            page.goto(url + "/friction", timeout=60_000)
            page.get_by_text(
                re.compile(r"of contacts at Billing call wait longer than")
            ).first.wait_for(timeout=120_000)
            _settle(page)
            page.screenshot(path=str(tmp_path / f"friction_{start}.png"), full_page=True)
            page.close()
        # the server is stopped: the dataset can be read here
        datasets = list((data_dir / "datasets").glob("*.duckdb"))
        assert len(datasets) == 1  # the second start reopened the first one's import
        log = wb.open_dataset(datasets[0], read_only=True)
        records.append(wb.kept_models.list_models(log).to_dict("records"))
        log.con.close()
    # one model, kept by the first start and reopened, not built again, by the second
    assert len(records[0]) == 1 and records[0][0]["split_by"] == "journey column"
    assert records[1] == records[0]
