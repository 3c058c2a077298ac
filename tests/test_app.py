"""Every page of the app, driven through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import workbench as wb
from ui.state import Dataset, sample_dataset
from workbench.present.charts.palette import HIGHLIGHT

from .conftest import DATA, ROOT


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def _dot(at: AppTest) -> str:
    return at.get("graphviz_chart")[0].proto.spec


def _form(widgets, name: str):  # type: ignore[no-untyped-def]
    """The mapping form's widget ``name`` (its key also names the file it maps)."""
    return next(w for w in widgets if str(w.key).split("@")[0] == name)


def _own(at: AppTest) -> dict:
    """What the session made on its current dataset (findings, report)."""
    return at.session_state["_by_dataset"][at.session_state["dataset"]]


def test_data_page_accounts_for_every_row(sample_truth: dict) -> None:
    at = _app()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    n = f"{sample_truth['rows']['events']:,}"
    assert metrics == {"Rows read": n, "Loaded": n, "Rejected": "0"}
    assert any("rows read = loaded + rejected" in c.value for c in at.caption)
    assert _form(at.selectbox, "map_customer").value == "customer_id"
    assert _form(at.selectbox, "map_journey").value == "journey_id"
    assert any("ISO 8601" in m.value for m in at.markdown)
    # the sample is imported as a dataset, which keeps the journey model for the next start
    assert any("model kept in the dataset" in c.value for c in at.sidebar.caption)


def test_data_page_shows_rejections_and_problems() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    bad = DATA / "bad_inputs" / "bad_timestamps.csv"
    at.session_state["dataset"] = Dataset(str(bad), bad.name)
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Rows read": "5", "Loaded": "2", "Rejected": "3"}
    frames = [d.value for d in at.dataframe]
    problems = next(f for f in frames if "severity" in f.columns)
    assert problems.iloc[0]["check"] == "Rows rejected"
    rejected = next(f for f in frames if "reason" in f.columns)
    assert rejected["line"].tolist() == [3, 5, 6]


def test_data_page_titles_an_unreadable_file() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    bad = DATA / "bad_inputs" / "ambiguous_dates.csv"
    at.session_state["dataset"] = Dataset(str(bad), bad.name)
    at.run()
    assert not at.exception
    assert any("Ambiguous dates" in e.value for e in at.error)
    assert any("Ambiguous dates" in w.value for w in at.warning)  # shown next to the form


def test_changing_the_split_rebuilds_journeys() -> None:
    at = _app()
    _form(at.radio, "map_split").set_value("inactivity gap")
    _form(at.text_input, "map_gap").set_value("2h")
    at.button[0].click().run()  # the form's Load button
    ds = at.session_state["dataset"]
    assert ds.session_gap == "2h"
    at.switch_page("pages/journey_map.py").run()
    gap_model = wb.build_journeys(wb.load_events(ds.path), "2h")
    assert any(c.value.startswith(f"{gap_model.n_journeys:,} journeys") for c in at.caption)
    # (AppTest drops sidebar elements on reruns under st.navigation, so check the page.)


def test_journey_map_sliders_change_the_graph() -> None:
    at = _app()
    at.switch_page("pages/journey_map.py").run()
    assert not at.exception
    before = _dot(at)
    caption = next(m.value for m in at.markdown if m.value.startswith("**showing"))
    at.slider(key="jm_paths").set_value(100).run()
    after = _dot(at)
    assert after.count(" -> ") > before.count(" -> ")
    caption2 = next(m.value for m in at.markdown if m.value.startswith("**showing"))
    assert caption2 != caption
    edges_table = next(d.value for d in at.dataframe if "kind" in d.value.columns)
    assert len(edges_table) == after.count(" -> ")  # the table is what is drawn


def test_journey_map_focus_and_performance_labels() -> None:
    at = _app()
    at.switch_page("pages/journey_map.py").run()
    at.selectbox(key="jm_focus").set_value("Billing call").run()
    at.radio(key="jm_measure").set_value("p90").run()
    dot = _dot(at)
    assert '"Billing call" [' in dot and "p90 " in dot
    frames = [d.value for d in at.dataframe]
    assert any("share" in f.columns and "source" in f.columns for f in frames)


def test_journey_map_compares_a_segment_and_switches_value() -> None:
    at = _app()
    at.switch_page("pages/journey_map.py").run()

    def section() -> bool:
        found = next(e for e in at.expander if e.label == "Compare a segment with the rest")
        return bool(found.proto.expanded)

    assert not section()  # closed while no comparison is chosen
    at.selectbox(key="jm_cmp_attr").set_value("device").run()
    at.selectbox(key="jm_cmp_value").set_value("android").run()
    assert not at.exception
    assert section()  # a comparison in use stays in sight
    first = next(c.value for c in at.caption if c.value.startswith("Segment vs rest"))
    assert "device = android" in first and " pp" in _dot(at)
    at.selectbox(key="jm_cmp_value").set_value("ios").run()
    second = next(c.value for c in at.caption if c.value.startswith("Segment vs rest"))
    assert "device = ios" in second and second != first


def test_friction_weights_reorder_the_ranking() -> None:
    at = _app()
    at.switch_page("pages/friction.py").run()
    at.slider(key="fr_w_long_wait").set_value(0.0).run()
    assert not at.exception
    table = next(
        d.value for d in at.dataframe if "signal" in d.value.columns and "score" in d.value.columns
    )
    # long waits led at the default weight; weighted 0 they leave the top
    assert not any("long wait" in str(signal) for signal in table["signal"].head(5))
    assert table["point"].iloc[0] != "Billing call"


def test_variants_page_offers_a_highlight() -> None:
    at = _app()
    at.switch_page("pages/variants.py").run()
    assert not at.exception
    assert {m.label for m in at.metric} == {"Variants", "Journeys", "Covered by the top 10"}
    at.selectbox(key="var_pick").set_value(3).run()
    chart = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert chart
    assert at.button(key="var_show")  # it switches page: the browser test follows it


def test_journey_map_highlights_the_chosen_variant() -> None:
    at = _app()
    at.session_state["jm_variant"] = "3"
    at.switch_page("pages/journey_map.py").run()
    assert at.selectbox(key="jm_variant").value == "3"
    assert HIGHLIGHT in _dot(at)  # the highlight colour
    # the picker names each variant by its path, not by a bare number
    shown = at.selectbox(key="jm_variant").options
    assert shown[0] == "(none)" and shown[3].startswith("#3 ") and " → " in shown[3]


def test_map_settings_survive_a_visit_to_another_page() -> None:
    at = _app()
    at.switch_page("pages/journey_map.py").run()
    at.slider(key="jm_paths").set_value(55).run()
    at.switch_page("pages/variants.py").run()
    at.switch_page("pages/journey_map.py").run()
    assert at.slider(key="jm_paths").value == 55


@pytest.mark.parametrize(
    "page", ["pages/data.py", "pages/journey_map.py", "pages/variants.py", "pages/report.py"]
)
def test_every_page_runs_without_exceptions(page: str) -> None:
    at = _app()
    at.switch_page(page).run()
    assert not at.exception


def test_uploads_are_stored_on_disk_by_content(tmp_path: Path, monkeypatch) -> None:
    from ui import state

    monkeypatch.setattr(state, "UPLOADS_DIR", tmp_path / "uploads")
    first = state.save_upload("my log.csv", b"a,b\n1,2\n")
    again = state.save_upload("my log.csv", b"a,b\n1,2\n")
    assert first == again and first.read_bytes() == b"a,b\n1,2\n"
    assert first.name == "my_log.csv" and tmp_path in first.parents
    assert not list(tmp_path.rglob("*.part"))
    assert state.uploads() == [first]
    state.delete_upload(first)
    assert state.uploads() == [] and not first.parent.exists()
    assert sample_dataset().is_sample


def test_friction_page_ranks_and_explains() -> None:
    at = _app()
    at.switch_page("pages/friction.py").run()
    assert not at.exception
    table = next(
        d.value for d in at.dataframe if "signal" in d.value.columns and "score" in d.value.columns
    )
    # one sentence answers first, and adds to what follows instead of repeating it: how many
    # findings of each kind, and what the first costs
    lead = at.markdown[0].value
    assert lead.startswith("**In short:** 1 incident, 4 segment findings and 19 chronic"), lead
    assert "the biggest is the unusual move at " in lead and " journeys more than " in lead
    said = [m.value for m in at.markdown] + [i.value for i in at.info]
    for sentence in said:  # no sentence of the page said twice
        assert sum(sentence.split("** ")[-1] in other for other in said) == 1, sentence
    # what changed leads: the planted transfer crisis, with its sentence and its weekly chart
    assert any(m.value.startswith("**What changed:**") for m in at.markdown)
    changes = next(
        d.value
        for d in at.dataframe
        if "finding" in d.value.columns
        and "period" in d.value.columns
        and "signal" not in d.value.columns
    )
    assert "incident" in set(changes["finding"]) and "segment" in set(changes["finding"])
    # then the friction against the other points, led by the long billing queue
    assert table["point"].iloc[0] == "Billing call"
    assert any("long wait" in s for s in table["signal"].head(1))
    at.selectbox(key="fr_pick").set_value(int(table["rank"].iloc[0])).run()
    assert any(i.value.startswith(f"{round(100 * table['rate'].iloc[0])} %") for i in at.info)
    at.selectbox(key="fr_pick").set_value(4).run()
    assert not at.exception
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) >= 2


def test_causes_page_draws_a_fishbone_and_takes_workshop_causes() -> None:
    at = _app()
    at.session_state["ca_effect"] = "friction:unresolved:Support call"
    at.switch_page("pages/causes.py").run()
    assert not at.exception
    table = next(
        d.value for d in at.dataframe if "bone" in d.value.columns and "cause" in d.value.columns
    )
    people = table[table["bone"] == "People"]
    assert people["cause"].iloc[0] == "team = Tech Support B"
    at.text_input(key="ca_add_text").set_value("Fibre scripts are outdated")
    at.selectbox(key="ca_add_bone").set_value("Policy & information")
    next(b for b in at.button if b.label == "Add").click().run()
    table = next(
        d.value for d in at.dataframe if "bone" in d.value.columns and "cause" in d.value.columns
    )
    assert "Fibre scripts are outdated (workshop)" in set(table["cause"])


def test_kpis_page_shows_figures_with_their_numbers() -> None:
    at = _app()
    at.switch_page("pages/kpis.py").run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert {"NPS", "CSAT (interactions)", "First-contact resolution"} <= set(labels)
    assert any(c.value.startswith("95 % CI") and "n = " in c.value for c in at.caption)
    at.selectbox(key="kpi_by").set_value("team").run()
    table = next(d.value for d in at.dataframe if "warning" in d.value.columns)
    assert "Tech Support B" in set(table["group"])


def test_satisfaction_page_gives_a_verdict() -> None:
    at = _app()
    at.switch_page("pages/satisfaction.py").run()
    assert not at.exception
    # plain words first; the statistics behind Details
    assert any(s.value.startswith("Whole journeys explain NPS better") for s in at.success)
    assert not any("R²" in s.value for s in at.success)
    assert any("R²" in m.value for m in at.expander[0].markdown)
    at.selectbox(key="sat_outcome").set_value("churn").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    assert any("nps_served" in f.columns for f in frames)


def test_data_page_lists_and_deletes_stored_data() -> None:
    from ui import state

    at = _app()
    stored = next(d.value for d in at.dataframe if "MB" in d.value.columns)
    row = stored[stored["name"] == "events.csv"]
    assert len(row) >= 1 and set(row["kind"]) == {"dataset"} and set(row["events"]) == {30_051}
    files = sorted(state.DATASETS_DIR.glob("*.duckdb"))
    assert files and all(f.stat().st_size > 0 for f in files)
    before = {f: f.stat().st_mtime_ns for f in files}
    at.button(key="data_delete").click().run()
    assert not at.exception
    assert any("Deleted" in s.value for s in at.success)
    # The sample is in use, so the page imported it again into a fresh file.
    after = sorted(state.DATASETS_DIR.glob("*.duckdb"))
    assert after and all(f not in before or f.stat().st_mtime_ns != before[f] for f in after)


def test_data_page_pseudonymises_ids_on_request() -> None:
    at = _app()
    _form(at.checkbox, "map_pseudo").check()
    _form(at.text_input, "map_salt").set_value("workshop-salt")
    at.button[0].click().run()
    assert not at.exception
    ds = at.session_state["dataset"]
    assert ds.pseudonymise == "workshop-salt"
    preview = next(d.value for d in at.dataframe if "customer_id" in d.value.columns)
    assert preview["customer_id"].str.fullmatch(r"P[0-9a-f]{16}").all()
    assert any("pseudonymised" in str(n.value) for n in [*at.caption, *at.markdown, *at.info])


def test_a_file_on_this_computer_is_read_in_place(tmp_path: Path) -> None:
    at = _app()
    assert "A file on this computer" in at.radio(key="data_source").options
    at.radio(key="data_source").set_value("A file on this computer").run()
    at.text_input(key="data_local_events").set_value(str(tmp_path / "nope.csv")).run()
    assert any("No such file" in e.value for e in at.error)
    bad = DATA / "bad_inputs" / "bad_timestamps.csv"
    at.text_input(key="data_local_events").set_value(str(bad)).run()
    at.button[0].click().run()  # the form's Load button
    assert not at.exception
    assert at.session_state["dataset"].path == str(bad.resolve())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Rows read": "5", "Loaded": "2", "Rejected": "3"}
    assert any("MB upload limit" in c.value for c in at.caption)


def test_pinned_findings_go_into_the_report() -> None:
    at = _app()
    at.switch_page("pages/friction.py").run()
    assert not at.exception
    at.text_area(key="fr_chart_pin_note").set_value("Billing line: staff Mondays")
    at.button(key="fr_chart_pin").click().run()
    assert not at.exception
    assert len(_own(at)["findings"]) == 1
    at.switch_page("pages/report.py").run()
    assert any("Billing line: staff Mondays" in m.value for m in at.markdown)
    at.button(key="rep_make").click().run()
    assert not at.exception
    page = _own(at)["report"]
    assert "Billing line: staff Mondays" in page and "Friction points" in page
    assert page.count('class="chart"') >= 10  # the report's charts and the pinned one


def test_a_link_restores_the_view_and_follows_changes() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["jm_touchpoints"] = "40"
    at.query_params["jm_paths"] = "12"
    at.query_params["data_source"] = '"Upload a file"'  # which file is loaded is not a view
    at.query_params["jm_nonsense_png"] = "1"
    at.run()
    assert at.radio(key="data_source").value == "Sample data"
    at.switch_page("pages/journey_map.py").run()
    assert not at.exception
    assert at.slider(key="jm_touchpoints").value == 40
    assert at.slider(key="jm_paths").value == 12
    at.slider(key="jm_paths").set_value(25).run()
    assert at.query_params["jm_paths"] == ["25"] or at.query_params["jm_paths"] == "25"


def test_view_settings_are_plain_and_filtered() -> None:
    from ui import state

    with pytest.raises(ValueError):
        state.apply_view([1, 2])
    at = _app()
    at.switch_page("pages/friction.py").run()
    assert not at.exception
    keys = set(at.query_params.keys()) if hasattr(at.query_params, "keys") else set()
    assert "fr_goals" in keys and "fr_wait" in keys
    assert not any(k.startswith("data_") or k.endswith(("_png", "_pin")) for k in keys)


def test_personas_page_compares_two_groups() -> None:
    at = _app()
    at.switch_page("pages/personas.py").run()
    assert not at.exception
    at.text_input(key="pe_b_name").set_value("Youth")
    at.selectbox(key="pe_b_attr_0").set_value("segment")
    at.text_input(key="pe_b_val_0").set_value("Youth").run()
    assert not at.exception
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Everyone: customers"] == "2,857"
    youth = int(metrics["Youth: customers"].replace(",", ""))
    assert 0 < youth < 2857
    kpis = next(d.value for d in at.dataframe if "Youth: n" in d.value.columns)
    assert {"Everyone", "Youth"} <= set(kpis.columns)
    # conversion among the KPIs, first, in words: "38.2 %", not 0.382 or 38.2
    assert kpis["KPI"].iloc[0].startswith("Conversion to")
    assert kpis["Everyone"].iloc[0].endswith(" %") and "–" in kpis["Everyone: 95 % CI"].iloc[0]
    assert len(at.get("graphviz_chart")) == 2
    assert not at.warning  # a group against everyone is inside it by design
    # two defined groups that overlap are flagged
    at.selectbox(key="pe_a_attr_0").set_value("segment")
    at.text_input(key="pe_a_val_0").set_value("Youth").run()
    assert any("in both" in w.value and "100% of Youth" in w.value for w in at.warning)
    # a number compared with text is one error, once
    at.selectbox(key="pe_b_attr_1").set_value("tenure_months")
    at.selectbox(key="pe_b_op_1").set_value("<")
    at.text_input(key="pe_b_val_1").set_value("three").run()
    assert not at.exception and len(at.error) == 1


def test_running_out_of_memory_is_shown_with_the_cap_to_raise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    st.cache_resource.clear()  # the sample loaded by earlier tests, under the default cap
    st.cache_data.clear()
    monkeypatch.setenv("WORKBENCH_MEMORY_LIMIT", "8MB")
    try:
        at = _app()
        assert not at.exception
        shown = " ".join(e.value for e in at.error)
        assert "Out of memory" in shown and "WORKBENCH_MEMORY_LIMIT" in shown
    finally:  # what was loaded under the tiny cap must not serve the next test in this process
        st.cache_resource.clear()
        st.cache_data.clear()


def _progress_script() -> None:
    import streamlit as st

    from ui import cached

    @st.cache_data
    def doubled(n: int, _progress=None) -> int:  # type: ignore[no-untyped-def]
        _progress(0.5, "Halfway")
        _progress(1.0, "Done")
        return n * 2

    report = cached.progress_bar("Working:").__enter__()  # left open: the bar stays to be seen
    st.markdown(f"answer {doubled(21, _progress=report)}")


def test_progress_bar_shows_a_computation_and_not_a_cache_hit() -> None:
    """A cached computation reports to a bar outside it: the bar shows its stages, and the next
    run, answered from the cache, neither shows a bar nor fails replaying the cached elements."""
    at = AppTest.from_function(_progress_script, default_timeout=60).run()
    assert not at.exception
    bars = at.get("progress")
    assert len(bars) == 1
    assert bars[0].proto.text == "Working: Done" and bars[0].proto.value == 100
    assert at.markdown[0].value == "answer 42"
    at.run()
    assert not at.exception
    assert at.get("progress") == []
    assert at.markdown[0].value == "answer 42"


def test_a_case_only_log_loads_and_says_it_counts_cases() -> None:
    at = _app()
    at.radio(key="data_source").set_value("A file on this computer").run()
    at.text_input(key="data_local_events").set_value(str(DATA / "xes_tickets.csv")).run()
    at.button[0].click().run()  # the form's Load button
    assert not at.exception
    assert _form(at.selectbox, "map_journey").value == "case:concept:name"
    summary = " ".join(c.value for c in at.sidebar.caption)
    assert "30 journeys · 30 cases" in summary and "customers" not in summary
    for page in ("pages/journey_map.py", "pages/variants.py", "pages/friction.py"):
        at.switch_page(page).run()
        assert not at.exception, page


# --- date ranges and two periods ---------------------------------------------------------------

MAY = (date(2026, 5, 1), date(2026, 5, 31))


def test_journey_map_compares_two_periods() -> None:
    at = _app()
    at.switch_page("pages/journey_map.py").run()
    whole = _dot(at)
    at.toggle(key="jm_periods").set_value(True).run()
    assert not at.exception
    # the defaults: the log's last four weeks against the four before
    assert at.date_input(key="jm_period_b").value == (date(2026, 7, 24), date(2026, 8, 20))
    assert at.date_input(key="jm_period_a").value == (date(2026, 6, 26), date(2026, 7, 23))
    sentence = next(m.value for m in at.markdown if m.value.startswith("From "))
    assert "24 Jul to 20 Aug 2026" in sentence
    legend = next(c.value for c in at.caption if c.value.startswith("Period B against period A"))
    assert "Red: significantly more" in legend and "blue: significantly fewer" in legend
    assert " pp" in _dot(at) and _dot(at) != whole
    changes = next(d.value for d in at.dataframe if "95 % CI (pp)" in d.value.columns)
    assert len(changes) > 0 and {"journeys A", "journeys B"} <= set(changes.columns)
    at.date_input(key="jm_period_a").set_value(MAY).run()
    assert not at.exception
    assert any(
        "(1 May to 31 May 2026)" in m.value for m in at.markdown if m.value.startswith("From")
    )
    # with a date range, both periods lie in it: B falls back to the range's last four weeks
    at.date_input(key="jm_range").set_value((date(2026, 5, 1), date(2026, 6, 30))).run()
    assert not at.exception
    assert at.date_input(key="jm_period_b").value == (date(2026, 6, 3), date(2026, 6, 30))
    assert at.date_input(key="jm_period_a").value == MAY


def test_variants_and_friction_take_a_date_range(sample_model: wb.JourneyModel) -> None:
    may = sample_model.journeys()
    may = may[may["start_ts"].dt.month == 5]
    at = _app()
    at.switch_page("pages/variants.py").run()
    assert not any(m.value.startswith("**From") for m in at.markdown)  # the whole log, as ever
    at.date_input(key="var_range").set_value(MAY).run()
    assert not at.exception
    first = next(m.value for m in at.markdown if m.value.startswith("**From"))
    assert first.startswith(f"**From 1 May to 31 May 2026:** {len(may):,} of the log's")
    assert next(m.value for m in at.metric if m.label == "Journeys") == f"{len(may):,}"
    at.switch_page("pages/friction.py").run()
    at.date_input(key="fr_range").set_value(MAY).run()
    assert not at.exception
    assert any(m.value.startswith("**From 1 May to 31 May 2026:**") for m in at.markdown)
    assert any("score" in d.value.columns for d in at.dataframe)
    at.date_input(key="fr_range").set_value((date(2026, 3, 2), date(2026, 8, 20))).run()
    assert not any(m.value.startswith("**From") for m in at.markdown)  # the whole log again
    at.switch_page("pages/variants.py").run()
    assert at.date_input(key="var_range").value == MAY  # kept while another page was shown


def test_kpis_take_a_date_range(sample_model: wb.JourneyModel) -> None:
    may = sample_model.journeys()
    may = may[may["start_ts"].dt.month == 5]
    at = _app()
    at.switch_page("pages/kpis.py").run()
    whole = [m.value for m in at.metric]
    at.date_input(key="kpi_range").set_value(MAY).run()
    assert not at.exception
    first = next(m.value for m in at.markdown if m.value.startswith("**From"))
    assert first.startswith(f"**From 1 May to 31 May 2026:** {len(may):,} of the log's")
    assert [m.value for m in at.metric] != whole  # the figures are May's


# -- logs this project did not make: a web shop's clickstream, a Swedish contact centre ----------


@pytest.fixture(scope="module", params=["clickstream", "contact_centre"])
def foreign_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated world's events (no surveys), loaded as the app loads a file: no mapping."""
    from tests.worlds import generate

    out = tmp_path_factory.mktemp(request.param)
    generate(request.param, out, seed=1)
    return out / "events.csv"


def _on(events: Path, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["dataset"] = Dataset(str(events), events.parent.name)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_the_kpis_page_opens_on_a_foreign_log(foreign_world: Path) -> None:
    at = _on(foreign_world, "pages/kpis.py")
    labels = {m.label for m in at.metric}
    assert {"Journey length, median", "Customers with more than one journey"} <= labels
    assert any(label.startswith("Conversion to ") for label in labels)
    assert any("NPS, CSAT and CES need them" in i.value for i in at.info)
    for by in ("week", "month"):  # the trend offers only KPIs this log has
        at.selectbox(key="kpi_by").set_value(by).run()
        assert not at.exception, at.exception
        offered = at.selectbox(key="kpi_trend").options
        assert offered and not any("NPS" in o for o in offered)
    assert "First-contact resolution" in labels  # chat, telefon, chatt, e-post are contacts


def test_the_satisfaction_page_opens_on_a_foreign_log(foreign_world: Path) -> None:
    at = _on(foreign_world, "pages/satisfaction.py")
    assert any("Load survey responses" in i.value for i in at.info)


def test_the_data_page_shows_and_changes_the_contact_channels(tmp_path: Path) -> None:
    from tests.worlds import generate

    generate("contact_centre", tmp_path, seed=1)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["dataset"] = Dataset(str(tmp_path / "events.csv"), "kontaktcenter")
    at.run()
    assert not at.exception, at.exception
    said = next(m.value for m in at.markdown if "Contacts with the company" in m.value)
    assert "butik, chatt, e-post, telefon" in said and "guessed" in said
    picker = next(w for w in at.multiselect if w.label.endswith("count as contacts"))
    picker.set_value(["telefon"])
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception, at.exception
    assert at.session_state["dataset"].contacts == ("telefon",)
    said = next(m.value for m in at.markdown if "Contacts with the company" in m.value)
    assert "chosen" in said and "Not contacts: app, butik, chatt, e-post, webb" in said
    next(b for b in at.button if b.label == "Use the guess").click().run()
    assert at.session_state["dataset"].contacts is None


def test_the_report_map_follows_the_journey_map_page() -> None:
    """The date range, label and segment comparison set on the Journey map page are the
    report's, and the report says which range and comparison its map shows."""
    at = _app()
    at.switch_page("pages/journey_map.py").run()
    first, last = at.date_input(key="jm_range").value
    at.date_input(key="jm_range").set_value((first + (last - first) / 2, last)).run()
    at.radio(key="jm_measure").set_value("p90").run()
    at.selectbox(key="jm_cmp_attr").set_value("device").run()
    assert not at.exception
    value = at.selectbox(key="jm_cmp_value").value
    caption = next(c.value for c in at.caption if c.value.startswith("Segment vs rest"))
    at.switch_page("pages/report.py").run()
    at.button(key="rep_make").click().run()
    assert not at.exception
    page = _own(at)["report"]
    assert "Journeys that start from " in page
    assert f"device = {value}" in page and caption.split(". ")[0] in page
    assert re.search(r'paint-order="stroke">[+-]\d+ pp<', page)
