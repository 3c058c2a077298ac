"""Journey map: the journey graph with Touchpoints % and Paths % filters, focus and highlight."""

from __future__ import annotations

import streamlit as st

from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.charts import format_duration

ds, model = shell.page("Journey map")

for key, value in (
    ("jm_touchpoints", 70),
    ("jm_paths", 30),
    ("jm_measure", "frequency"),
    ("jm_layout", "left to right"),
    ("jm_focus", "(none)"),
    ("jm_variant", "(none)"),
):
    state.default(key, value)
c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
tp_pct = c1.slider(
    "Touchpoints %",
    0,
    100,
    step=5,
    key="jm_touchpoints",
    help="Keep this share of touchpoints, most frequent first.",
)
paths_pct = c2.slider(
    "Paths %",
    0,
    100,
    step=5,
    key="jm_paths",
    help="Keep this share of the edges between kept touchpoints, most frequent "
    "first. Every touchpoint keeps its strongest way in and out.",
)
measure = c3.radio(
    "Label",
    ["frequency", "median", "p90", "mean"],
    key="jm_measure",
    horizontal=False,
    help="Counts, or times between steps (performance view).",
)
layout = c4.radio("Layout", ["left to right", "top to bottom"], key="jm_layout")

f1, f2 = st.columns([3, 3])
touchpoints = model.touchpoints["touchpoint"].tolist()
if st.session_state["jm_focus"] not in ("(none)", *touchpoints):
    st.session_state["jm_focus"] = "(none)"
focus_pick = f1.selectbox(
    "Focus on a touchpoint",
    ["(none)", *touchpoints],
    key="jm_focus",
    help="Show all flows into and out of one touchpoint.",
)
focus = None if focus_pick == "(none)" else focus_pick
variant_options = ["(none)", *[str(v) for v in model.variants["variant"].head(50)]]
if st.session_state["jm_variant"] not in variant_options:
    st.session_state["jm_variant"] = "(none)"  # e.g. set on the Variants page for a rank > 50
variant_pick = f2.selectbox(
    "Highlight a variant",
    variant_options,
    key="jm_variant",
    help="Pick one here or on the Variants page.",
)
variant = None if variant_pick == "(none)" else int(variant_pick)

view = guarded(lambda: cached.graph_view(ds, float(tp_pct), float(paths_pct), focus, variant))
if view is None:
    st.stop()
views.show_journey_map(view, measure, "TB" if layout == "top to bottom" else "LR", key="jm")
st.caption(
    "Node colour: how many events. Double outline: the touchpoint also has flows to or from "
    "touchpoints not shown (hover for the numbers). Red: the highlighted variant; dashed where "
    "the filters would hide it. Use the chart's full-screen button for a closer look."
)
st.caption(
    f"{model.n_journeys:,} journeys · {model.n_customers:,} customers · "
    f"{model.n_transitions:,} transitions · arcs from Start and to End are drawn for the "
    "touchpoints shown and not counted as edges."
)

tabs = st.tabs(["Edges drawn", "Focus flows", "Touchpoints"])
with tabs[0]:
    st.dataframe(views.edges_table(view), hide_index=True, width="stretch", key="jm_edges")
with tabs[1]:
    if focus is None:
        st.info("Pick a touchpoint to focus on to see where its customers come from and go.")
    else:
        for column, title, flow, key in zip(
            st.columns(2),
            (f"Into {focus}", f"Out of {focus}"),
            view.flows(),
            ("in", "out"),
            strict=True,
        ):
            column.markdown(f"**{title}**")
            column.dataframe(
                flow,
                hide_index=True,
                width="stretch",
                key=f"jm_{key}",
                column_config={"share": st.column_config.NumberColumn(format="percent")},
            )
with tabs[2]:
    tps = model.touchpoints.copy()
    for col in ("median_dwell_seconds", "p90_dwell_seconds", "mean_dwell_seconds"):
        tps[col.replace("_seconds", "")] = tps[col].map(format_duration)
    st.dataframe(
        tps[
            [
                "touchpoint",
                "channel",
                "events",
                "journeys",
                "customers",
                "starts",
                "ends",
                "median_dwell",
                "p90_dwell",
                "mean_dwell",
            ]
        ],
        hide_index=True,
        width="stretch",
        key="jm_touchpoint_table",
    )
