"""What a session makes belongs to the dataset it was made on: switching datasets in the app
never shows or exports another dataset's findings, report, views, attached files or mapping."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from .conftest import DATA, ROOT

TINY = DATA / "tiny_journeys.csv"
NOTE = "Billing line: staff Mondays"


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def _keyed(widgets, name: str):  # type: ignore[no-untyped-def]
    """The widget ``name`` (its key may carry the file it belongs to after an ``@``)."""
    return next(w for w in widgets if str(w.key).split("@")[0] == name)


def _upload(at: AppTest, path: Path, name: str | None = None) -> None:
    """Choose an event log on the Data page (not loaded until Load is pressed)."""
    if at.radio(key="data_source").value != "Upload a file":
        at.radio(key="data_source").set_value("Upload a file").run()
    at.file_uploader(key="data_upload").upload(name or path.name, path.read_bytes(), "text/csv")
    at.run()
    assert not at.exception


def _attach(at: AppTest, name: str, path: Path) -> None:
    _keyed(at.file_uploader, name).upload(path.name, path.read_bytes(), "text/csv")
    at.run()


def _load(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Load").click().run()
    assert not at.exception


def _to_sample(at: AppTest) -> None:
    at.switch_page("pages/data.py").run()
    at.radio(key="data_source").set_value("Sample data").run()
    assert at.session_state["dataset"].is_sample


def _downloads(at: AppTest) -> list[str]:
    return [e.proto.label for e in at.get("download_button")]


@pytest.fixture
def kanal_log(tmp_path: Path) -> Path:
    """The tiny log with its channel column named ``kanal`` (mapped by hand)."""
    path = tmp_path / "kanal.csv"
    path.write_text(TINY.read_text().replace(",channel,", ",kanal,", 1))
    return path


def test_pinned_findings_and_the_report_stay_with_their_dataset() -> None:
    at = _app()
    at.switch_page("pages/friction.py").run()
    at.text_area(key="fr_chart_pin_note").set_value(NOTE)
    at.button(key="fr_chart_pin").click().run()
    at.switch_page("pages/report.py").run()
    at.button(key="rep_make").click().run()
    assert "Download the report (HTML)" in _downloads(at)
    assert any(NOTE in m.value for m in at.markdown)

    at.switch_page("pages/data.py").run()
    _upload(at, TINY)
    _load(at)
    at.switch_page("pages/report.py").run()
    assert not at.exception
    assert not any(NOTE in m.value for m in at.markdown)  # not shown ...
    assert any("Nothing pinned yet" in i.value for i in at.info)
    assert "Download the report (HTML)" not in _downloads(at)  # ... nor exported
    at.button(key="rep_make").click().run()
    assert not at.exception
    assert "Download the report (HTML)" in _downloads(at)

    _to_sample(at)  # back on the sample: its finding and its report are there again
    at.switch_page("pages/report.py").run()
    assert any(NOTE in m.value for m in at.markdown)
    assert "Download the report (HTML)" in _downloads(at)
    at.button(key="rep_remove_0").click().run()
    assert any("Nothing pinned yet" in i.value for i in at.info)


def test_page_settings_stay_with_their_dataset() -> None:
    at = _app()
    at.switch_page("pages/journey_map.py").run()
    default = at.slider(key="jm_paths").value
    at.slider(key="jm_paths").set_value(55).run()
    at.switch_page("pages/data.py").run()
    _upload(at, TINY)
    _load(at)
    at.switch_page("pages/journey_map.py").run()
    assert not at.exception
    assert at.slider(key="jm_paths").value == default
    _to_sample(at)
    at.switch_page("pages/journey_map.py").run()
    assert at.slider(key="jm_paths").value == 55


def test_attached_files_do_not_follow_to_the_next_log(kanal_log: Path) -> None:
    at = _app()
    _upload(at, kanal_log)
    _attach(at, "data_surveys", DATA / "tiny_surveys.csv")
    _attach(at, "data_customers", DATA / "tiny_customers.csv")
    _keyed(at.selectbox, "map_channel").set_value("kanal")
    _load(at)
    ds = at.session_state["dataset"]
    assert ds.surveys and ds.customers and ("channel", "kanal") in ds.mapping
    assert any("tiny_surveys.csv" in c.value for c in at.caption)  # said, not silent

    _upload(at, TINY, "another.csv")
    assert _keyed(at.file_uploader, "data_surveys").value is None
    assert not any("tiny_surveys.csv" in c.value for c in at.caption)
    _load(at)
    ds = at.session_state["dataset"]
    assert ds.name == "another.csv"
    assert ds.surveys is None and ds.customers is None


def test_a_new_file_starts_with_its_own_detected_mapping(kanal_log: Path) -> None:
    at = _app()
    _upload(at, kanal_log)
    _keyed(at.selectbox, "map_channel").set_value("kanal")
    _load(at)
    assert ("channel", "kanal") in at.session_state["dataset"].mapping
    _upload(at, TINY, "another.csv")
    mapped = {role: _keyed(at.selectbox, f"map_{role}").value for role in ("customer", "channel")}
    assert mapped == {"customer": "customer", "channel": "channel"}
    _load(at)
    assert not at.error, [e.value for e in at.error]
    assert dict(at.session_state["dataset"].mapping)["channel"] == "channel"


def test_reading_options_and_what_was_loaded_follow_the_chosen_file(tmp_path: Path) -> None:
    piped = tmp_path / "piped.csv"
    piped.write_text(TINY.read_text().replace(",", "|"))
    at = _app()
    _upload(at, piped)
    _keyed(at.selectbox, "data_delim").set_value("|").run()
    assert any("pipe-separated" in c.value for c in at.caption)
    _load(at)
    assert any("What is loaded now: piped.csv" in h.value for h in at.subheader)

    _upload(at, TINY, "commas.csv")  # chosen, not loaded yet
    assert not at.error, [e.value for e in at.error]
    assert _keyed(at.selectbox, "data_delim").value == "detect"
    assert any("commas.csv: 5 columns · comma-separated" in c.value for c in at.caption)
    assert any("What is loaded now: piped.csv" in h.value for h in at.subheader)
    assert any("commas.csv is chosen above but not loaded" in w.value for w in at.warning)
    _load(at)
    assert any("What is loaded now: commas.csv" in h.value for h in at.subheader)
    assert not any("not loaded" in w.value for w in at.warning)


def test_a_shared_computation_runs_once_and_a_failure_hands_it_on() -> None:
    """Sessions asking together for one dataset's import share it; when the session computing
    it fails, a waiting one computes it instead of waiting for ever."""
    from ui import cached
    from ui.state import sample_dataset

    calls: list[str] = []
    fail_first = threading.Event()
    fail_first.set()

    @st.cache_resource(show_spinner=False)
    def slow(name: str) -> object:
        calls.append(name)
        time.sleep(0.5)
        if fail_first.is_set():
            fail_first.clear()
            raise RuntimeError("the first session stopped")
        return object()

    ds = sample_dataset()
    got: list[object] = []

    def session() -> None:
        try:
            got.append(cached.shared("test", ds, "Test:", lambda progress: slow("x")))
        except RuntimeError as exc:
            got.append(exc)

    threads = [threading.Thread(target=session) for _ in range(4)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join(timeout=30)
    answers = [g for g in got if not isinstance(g, RuntimeError)]
    assert len(got) == 4 and len(answers) == 3 and len({id(a) for a in answers}) == 1
    assert calls == ["x", "x"]  # the failed first try, then one shared success
    assert ("test", ds) not in cached._under_way().progress
