"""A workshop's start in a real browser: everyone opens the shared link at once on a server that
has just started and has imported nothing yet.

Each session must get the app's own sidebar (its title and its navigation, not Streamlit's bare
list of page files) while the first import of the sample is still under way, and then its page.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .test_browser import _serve, browser  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.browser

LINKS = ["/journey_map"] * 4 + ["/friction", "/"]
# What a person sees once the page itself is drawn (after the import and the journeys).
DRAWN = {
    "/journey_map": '[data-testid="stGraphVizChart"] svg g.node',
    "/friction": '[data-testid="stVegaLiteChart"]',
    "/": '[data-testid="stMetric"]',
}
APP_PAGES = {"Data", "Journey map", "Variants", "Friction", "Report"}
SHELL_BOUND = 90.0  # seconds: about 10 on a quiet machine, under 50 on one loaded 10 times over
PAGE_BOUND = 240.0


def _nav_links(page) -> set[str]:  # type: ignore[no-untyped-def]
    links = page.locator('[data-testid="stSidebarNav"] a')
    return {t.strip() for t in links.all_inner_texts()}


def _has_shell(page) -> bool:  # type: ignore[no-untyped-def]
    """The app's sidebar: its title and its own navigation (titled pages, no page files)."""
    links = _nav_links(page)
    title = page.locator('[data-testid="stSidebar"]').get_by_text("Journey Workbench")
    return links >= APP_PAGES and "app" not in links and title.count() > 0


def _open_together(chromium, url: str, shots: Path, round_: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Open every link at once, each in its own browser context; when each shows the app's
    shell and its drawn page (seconds from the first link opened), and whether the wait
    showed progress."""
    contexts = [chromium.new_context(viewport={"width": 1300, "height": 900}) for _ in LINKS]
    pages = [c.new_page() for c in contexts]
    start = time.monotonic()
    for page, link in zip(pages, LINKS, strict=True):
        page.goto(url + link, wait_until="commit", timeout=60_000)
    shell: dict[int, float] = {}
    drawn: dict[int, float] = {}
    progress_seen = False
    shared: set[int] = set()  # sessions that showed another session's import under way
    while len(drawn) < len(pages) and time.monotonic() - start < PAGE_BOUND:
        for i, (page, link) in enumerate(zip(pages, LINKS, strict=True)):
            now = time.monotonic() - start
            if i not in shell and _has_shell(page):
                shell[i] = now
            if i not in drawn and page.locator(DRAWN[link]).count():
                drawn[i] = now
            if i in shell and i not in drawn:
                bars = page.locator('[data-testid="stProgress"]')
                progress_seen = progress_seen or bars.count() > 0
                if i not in shared and bars.filter(has_text="another session").count():
                    shared.add(i)
                    page.screenshot(path=str(shots / f"{round_}_session{i}_waiting.png"))
        time.sleep(0.25)
    for i, page in enumerate(pages):
        page.screenshot(path=str(shots / f"{round_}_session{i}.png"))
    for context in contexts:
        context.close()
    times = [
        (link, round(shell.get(i, -1), 1), round(drawn.get(i, -1), 1))
        for i, link in enumerate(LINKS)
    ]
    print(f"\n{round_}: link, seconds to the app's sidebar, seconds to the drawn page: {times}")
    print(f"{round_}: sessions that showed the shared import's progress: {len(shared)}")
    return {"shell": shell, "drawn": drawn, "times": times, "progress": progress_seen}


def test_sessions_opened_together_on_a_cold_server_each_get_the_shell(
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with _serve(data_dir, tmp_path / "server.log") as url:
        seen = _open_together(browser, url, tmp_path, "cold")
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    shell, drawn, times = seen["shell"], seen["drawn"], seen["times"]
    assert isinstance(shell, dict) and isinstance(drawn, dict)
    assert len(shell) == len(LINKS) and max(shell.values()) < SHELL_BOUND, times
    assert len(drawn) == len(LINKS), times
    # The shell comes first: nobody waits for the import without the app around them, and the
    # wait shows how far the import is.
    assert all(shell[i] <= drawn[i] for i in shell), times
    assert seen["progress"], times
