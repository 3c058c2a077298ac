"""In a real browser: the next file uploaded on the Data page starts from its own column mapping
and carries none of the last file's attachments (the browser holds widget values of its own,
which AppTest does not show)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import DATA
from .test_browser import _serve, _settle, browser  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.browser

TINY = DATA / "tiny_journeys.csv"


def _choose(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    page.get_by_text(re.compile(rf"^{re.escape(path.name)}: \d+ columns")).wait_for(timeout=60_000)
    _settle(page)


def _channel(page):  # type: ignore[no-untyped-def]
    return page.locator('[data-testid="stSelectbox"]').filter(has_text="Channel")


def _shown(box) -> str:  # type: ignore[no-untyped-def]
    """What a selectbox shows: its label and its value (text, or an input's value)."""
    values = [i.input_value() for i in box.locator("input").all()]
    return " ".join([box.inner_text(), *values])


def test_the_next_upload_starts_from_its_own_mapping(browser, tmp_path: Path) -> None:  # noqa: F811
    kanal = tmp_path / "kanal.csv"
    kanal.write_text(TINY.read_text().replace(",channel,", ",kanal,", 1))
    another = tmp_path / "another.csv"
    another.write_text(TINY.read_text())
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with _serve(data_dir, tmp_path / "server.log") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(url, timeout=60_000)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=90_000)
        _settle(page)
        page.get_by_text("Upload a file").click()
        _settle(page)
        _choose(page, kanal)
        _channel(page).click()
        page.get_by_role("option", name="kanal", exact=True).click()
        _settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(1).set_input_files(
            str(DATA / "tiny_surveys.csv")
        )
        page.get_by_text("Attached to kanal.csv: survey responses tiny_surveys.csv.").wait_for(
            timeout=60_000
        )
        _settle(page)
        page.get_by_role("button", name="Load", exact=True).click()
        page.get_by_text("What is loaded now: kanal.csv").wait_for(timeout=60_000)
        _settle(page)
        assert "kanal" in _shown(_channel(page))

        _choose(page, another)
        assert "another.csv is chosen above but not loaded" in page.inner_text("body")
        shown = _shown(_channel(page))
        assert re.search(r"Channel\s+channel", shown), shown
        assert page.get_by_text("Nothing attached to another.csv.").is_visible()
        page.get_by_role("button", name="Load", exact=True).click()
        page.get_by_text("What is loaded now: another.csv").wait_for(timeout=60_000)
        _settle(page)
        body = page.inner_text("body")
        page.screenshot(path=str(tmp_path / "another_loaded.png"), full_page=True)
        assert "Column not found" not in body
        assert "channel ← channel" in body
        assert not page.locator('[data-testid="stException"]').count()
        page.close()
