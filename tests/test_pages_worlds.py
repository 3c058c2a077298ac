"""Every page of the app opened on logs this project did not shape its pages around: each
generated world (tests/worlds) and a null twin, through Streamlit's AppTest.

A page may say that a view cannot be made for a log (no surveys, no channel); it may not stop
with a traceback or an error box.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.worlds import feedback, generate
from ui.state import Dataset

from .conftest import ROOT

#: The mapping each world needs beyond what is detected.
MAPPINGS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "clickstream": (),
    "contact_centre": (("customer", "kundnr"),),
    "tickets": (),  # a case-only log: each case counts as its customer
    "feedback": (),
}
#: (world, with its stories?) opened on every page.
OPENED = [
    ("clickstream", True),
    ("contact_centre", True),
    ("tickets", True),
    ("feedback", True),
    ("clickstream", False),
]


def _pages() -> list[str]:
    """Every page the app's navigation lists, in its order."""
    return re.findall(r'st\.Page\("(pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text())


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Dataset]:
    made = {}
    for name, stories in OPENED:
        out: Path = tmp_path_factory.mktemp(f"{name}-{stories}")
        if name == "feedback":  # events with free text, and surveys with comments
            feedback.generate(out, seed=3, stories=stories)
        else:
            generate(name, out, seed=3, stories=stories)
        label = f"{name} ({'stories' if stories else 'null twin'})"
        surveys = out / "surveys.csv"
        made[(name, stories)] = Dataset(
            str(out / "events.csv"),
            label,
            mapping=MAPPINGS[name],
            surveys=str(surveys) if surveys.exists() else None,
        )
    return made


def test_the_app_lists_the_pages_opened_here() -> None:
    pages = _pages()
    assert "pages/data.py" in pages and "pages/friction.py" in pages
    assert all((ROOT / p).exists() for p in pages)


@pytest.mark.parametrize("page", _pages())
@pytest.mark.parametrize(("world", "stories"), OPENED)
def test_every_page_opens_on_every_world(
    worlds: dict[tuple[str, bool], Dataset], world: str, stories: bool, page: str
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["dataset"] = worlds[(world, stories)]
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert not errors, errors
    # the page is about this log: it shows its own heading, not the Data page's hint to load one
    assert not any("Load an event log" in i.value for i in at.info), page


def test_the_web_shop_s_map_shows_its_goal_at_the_default_sliders(
    worlds: dict[tuple[str, bool], Dataset],
) -> None:
    """Purchase is among the rarer pages of the shop, below the default Touchpoints %, yet the
    map draws it: the goal is the step that matters most."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["dataset"] = worlds[("clickstream", True)]
    at.run()
    at.switch_page("pages/journey_map.py").run()
    assert not at.exception
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"purchase"' in dot or "purchase" in dot
    assert any("Goals, always shown: purchase" in c.value for c in at.caption)
