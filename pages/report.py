"""Report: the pinned findings, the current view as a file, and the whole analysis as one
offline HTML file."""

from __future__ import annotations

import json

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.journeys.changes import PeriodComparison
from workbench.journeys.graph import SegmentComparison

ds, model = shell.page("Report and findings")

st.subheader("Findings")
found = state.findings()
if not found:
    st.info(
        "Nothing pinned yet. Every chart and table has a **Pin** button: pin what the team "
        "wants to keep, with a note; pinned findings go into the report."
    )
for i, finding in enumerate(found):
    with st.container(border=True):
        c1, c2 = st.columns([8, 1])
        c1.markdown(f"**{finding.title}** · {finding.created}")
        if finding.note:
            c1.markdown(finding.note)
        c2.button("Remove", key=f"rep_remove_{i}", on_click=state.remove_finding, args=(i,))
        if finding.chart is not None:
            st.altair_chart(finding.chart, width="stretch", key=f"rep_chart_{i}")
        if finding.table is not None:
            st.dataframe(
                views.for_people(finding.table),
                hide_index=True,
                width="stretch",
                key=f"rep_table_{i}",
            )

st.subheader("The report")
st.caption(
    "One HTML file that opens offline in any browser: data and row accounting, KPIs with "
    "trends, the journey map and variants, the top friction points, the fishbone, the "
    "journey-versus-touchpoint verdict and the findings above. It uses the goals, effect and "
    "outcome chosen on the other pages; its journey map is the Journey map page's (date range, "
    "sliders, label, layout and comparison), and says which range and comparison it shows."
)
title = st.text_input("Title", value=f"Customer journeys: {ds.name}", key="rep_title")
goals = st.session_state.get("fr_goals") or None
effect = st.session_state.get("ca_effect") or None
outcome = st.session_state.get("sat_outcome") or None
st.button(
    "Make the report",
    type="primary",
    key="rep_make",
    on_click=lambda: st.session_state.update(rep_requested=True),
)
if st.session_state.pop("rep_requested", False):
    with st.status("Making the report…", expanded=True) as status:
        st.write("Ranking friction points…")
        with cached.progress_bar("Ranking friction points:") as progress:
            ranking = guarded(
                lambda: cached.friction(
                    ds,
                    tuple(goals) if goals else None,
                    float(st.session_state.get("fr_wait", 5.0)),
                    float(st.session_state.get("fr_repeat", 7.0)),
                    None,
                    (),
                    _progress=progress,
                )
            )
        st.write("Building the sections…")
        # the map as the Journey map page shows it: sliders, layout, label, range, comparison
        shown = state.map_settings(cached.journey_dates(ds))
        comparison: SegmentComparison | PeriodComparison | None = None
        if shown.periods is not None:
            comparison = guarded(lambda: cached.period_comparison(ds, *shown.periods))
        if comparison is None and shown.segment is not None:
            comparison = guarded(lambda: cached.comparison(ds, *shown.segment, shown.period))
        report = guarded(
            lambda: wb.build_report(
                model,
                title=title,
                # the goals the Journey map draws: the Friction page's, or the same guess
                goals=list(goals or cached.goals_guess(ds)) or None,
                effect=effect,
                outcome=outcome,
                findings=found,
                ranking=ranking,
                touchpoints_pct=shown.touchpoints_pct,
                paths_pct=shown.paths_pct,
                rankdir=shown.rankdir,
                measure=shown.measure,
                period=shown.period,
                comparison=comparison,
            )
        )
        if report is not None:
            state.keep_report(report.html())
            left = [s.title for s in report.sections if s.left_out]
            status.update(
                label=f"Report ready: {len(report.sections)} sections, {report.n_charts} charts"
                + (f"; left out: {', '.join(left)}" if left else ""),
                state="complete",
                expanded=False,
            )
html = state.report_html()  # the one made on this dataset, if any
if html is not None:
    st.download_button(
        "Download the report (HTML)",
        html.encode(),
        file_name="journey_report.html",
        mime="text/html",
        key="rep_download",
        type="primary",
    )

st.subheader("This view as a file")
st.caption(
    "Save the settings of every page (sliders, filters, goals, effect, segment, outcome) to a "
    "small JSON file and load it later or on another machine with the same data. The link in "
    "the address bar holds them too."
)
v1, v2 = st.columns(2)
v1.download_button(
    "Save the view (JSON)",
    json.dumps(state.view_settings(), indent=2, default=str).encode(),
    file_name="journey_view.json",
    mime="application/json",
    key="rep_view_save",
)
loaded = v2.file_uploader("Load a view", type=["json"], key="rep_view_load")
if loaded is not None and st.session_state.get("rep_view_applied") != loaded.file_id:
    try:
        settings = json.loads(loaded.getvalue().decode("utf-8"))
        applied = state.apply_view(settings)
    except (ValueError, UnicodeDecodeError) as exc:
        st.error(f"**Not a view file**  \n{loaded.name} is not a saved view: {exc}", icon="⚠️")
    else:
        st.session_state["rep_view_applied"] = loaded.file_id
        st.success(f"Loaded {applied} settings from {loaded.name}.")
