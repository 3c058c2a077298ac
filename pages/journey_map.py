"""Journey map: the journey graph with Touchpoints % and Paths % filters, focus and highlight."""

from __future__ import annotations

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.core.durations import format_duration

ds, whole = shell.page("Journey map")
period = views.date_range(cached.journey_dates(ds), "jm_range")
model = guarded(lambda: cached.model_of(ds, period))
if model is None:
    st.stop()
views.range_sentence(
    period, f"{model.n_journeys:,} of the log's {whole.n_journeys:,} journeys start in this range."
)

for key, value in (
    ("jm_touchpoints", 70),
    ("jm_paths", 30),
    ("jm_measure", "frequency"),
    ("jm_layout", "automatic"),
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
layout = c4.radio(
    "Layout",
    ["automatic", "left to right", "top to bottom"],
    key="jm_layout",
    help="Automatic: left to right when the map fits the page's width that way, else top to "
    "bottom, so that the labels keep a size you can read.",
)

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
# a variant is named by its path (shortened in the middle), not by its bare rank
top_variants = model.variants.head(50)
paths = dict(zip(top_variants["variant"].astype(str), top_variants["path"], strict=True))
variant_pick = f2.selectbox(
    "Highlight a variant",
    variant_options,
    key="jm_variant",
    format_func=lambda v: (
        v if v == "(none)" else f"#{v} {wb.charts.variant_label(list(paths[v]), 60)}"
    ),
    help="Pick one here or on the Variants page.",
)
variant = None if variant_pick == "(none)" else int(variant_pick)

# a comparison in use stays in sight: its section opens whenever one is chosen
state.default("jm_cmp_attr", "(none)")
state.default("jm_periods", False)
with st.expander(
    "Compare a segment with the rest", expanded=st.session_state["jm_cmp_attr"] != "(none)"
):
    s1, s2 = st.columns(2)
    attrs = ["(none)", *cached.segment_attributes(ds)]
    if st.session_state["jm_cmp_attr"] not in attrs:
        st.session_state["jm_cmp_attr"] = "(none)"
    cmp_attr = s1.selectbox(
        "Attribute",
        attrs,
        key="jm_cmp_attr",
        help="A journey's value is the most common among its steps.",
    )
    cmp_value = None
    if cmp_attr != "(none)":
        values = cached.segment_values(ds, cmp_attr)
        if st.session_state.get("jm_cmp_value") not in values:
            st.session_state["jm_cmp_value"] = values[0]
        cmp_value = s2.selectbox("Segment", values, key="jm_cmp_value")
with st.expander("Compare two periods", expanded=bool(st.session_state["jm_periods"])):
    periods_on = st.toggle(
        "Colour the map by what changed from period A to period B",
        key="jm_periods",
        help="Journeys count in the period they start in. Only changes beyond chance are "
        "coloured (false-discovery rate 5 %).",
    )
    picked = None
    if periods_on:
        # both periods lie in the date range, so the map drawn holds their journeys
        defaults = guarded(lambda: cached.default_periods(ds, period))
        if defaults is not None:
            bounds = period or cached.journey_dates(ds)
            picked = views.period_pickers(bounds, defaults, "jm_period")
period_cmp = None
if picked is not None:
    period_cmp = guarded(lambda: cached.period_comparison(ds, *picked))
comparison = None
if period_cmp is None and cmp_attr != "(none)" and cmp_value is not None:
    comparison = guarded(lambda: cached.comparison(ds, cmp_attr, cmp_value, period))

# the goals (the Friction page's, or the guess) are drawn whatever Touchpoints % says
goals = tuple(st.session_state.get("fr_goals") or cached.goals_guess(ds))
view = guarded(
    lambda: cached.graph_view(ds, float(tp_pct), float(paths_pct), focus, variant, period, goals)
)
if view is None:
    st.stop()
if period_cmp is not None:
    st.markdown(period_cmp.sentence)
views.show_journey_map(
    view,
    measure,
    {"top to bottom": "TB", "left to right": "LR"}.get(layout, "auto"),
    key="jm",
    comparison=period_cmp or comparison,
)
if period_cmp is not None:
    st.caption(
        f"Period B against period A — {period_cmp.caption}. Red: significantly more of B's "
        "journeys make the move (or visit the touchpoint) than of A's; blue: significantly "
        "fewer; grey arrows and white touchpoints: no change beyond chance. Labels: the change "
        "in percentage points of each period's journeys."
        + (" The segment comparison is off while periods are compared." if cmp_value else "")
    )
elif comparison is not None:
    st.caption(
        f"Segment vs rest — {comparison.caption}. Red: the segment's journeys make the "
        "move (or visit the touchpoint) more often than the rest's, blue: less; labels in "
        "percentage points of journeys."
    )
st.caption(
    "Node colour: how many events. Double outline: the touchpoint also has flows to or from "
    "touchpoints not shown (hover for the numbers). Red: the highlighted variant; dashed where "
    "the filters would hide it. Use the chart's full-screen button for a closer look."
)
st.caption(
    f"{model.n_journeys:,} journeys · {model.n_customers:,} {model.customer_noun} · "
    f"{model.n_transitions:,} transitions · arcs from Start and to End are drawn for the "
    "touchpoints shown and not counted as edges."
    + (f" Goals, always shown: {', '.join(goals)}." if goals else "")
)

tabs = st.tabs(
    ["Edges drawn", "Focus flows", "Touchpoints", "Segment differences", "Period changes"]
)
with tabs[0]:
    views.table(views.edges_table(view), "journey_map_edges", "jm_edges", title="Edges drawn")
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
            views.table(
                flow,
                f"{key}_{focus}",
                f"jm_{key}",
                title=title,
                where=column,
                column_config={"share": st.column_config.NumberColumn(format="percent")},
            )
with tabs[2]:
    tps = model.touchpoints.copy()
    for col in ("median_dwell_seconds", "p90_dwell_seconds", "mean_dwell_seconds"):
        tps[col.replace("_seconds", "")] = tps[col].map(format_duration)
    views.table(
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
        "touchpoints",
        "jm_touchpoint_table",
        title="Touchpoints",
    )
with tabs[3]:
    if comparison is None:
        st.info(
            "Compare a segment with the rest (above the map) to see where their journeys "
            "differ most."
        )
    else:
        diff = comparison.edges.assign(
            move=lambda d: d["source"] + " → " + d["target"], gap=lambda d: d["difference"].abs()
        ).sort_values("gap", ascending=False)
        views.table(
            diff[
                [
                    "move",
                    "segment_journeys",
                    "rest_journeys",
                    "segment_rate",
                    "rest_rate",
                    "difference",
                    "lift",
                ]
            ].head(30),
            "segment_differences",
            "jm_diff",
            title=f"Segment vs rest: {comparison.caption}",
            column_config={
                c: st.column_config.NumberColumn(format="percent")
                for c in ("segment_rate", "rest_rate", "difference")
            },
        )
with tabs[4]:
    if period_cmp is None:
        st.info(
            "Compare two periods (above the map) to see which moves and touchpoints changed "
            "most, with the journeys behind each change."
        )
    else:
        views.show_period_changes(period_cmp, key="jm_pchg")
