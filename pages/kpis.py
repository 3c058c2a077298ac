"""KPIs: conversion, journey length and duration and repeat visits for every log; first-contact
resolution and repeat contacts where there are contacts; NPS, CSAT and CES where there are
surveys -- with the number behind every figure, its interval, and a warning when it is too
small to trust."""

from __future__ import annotations

import math

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.analyses.kpis import TYPICAL_QA_SHARE

ds, whole = shell.page("KPIs")
period = views.date_range(cached.journey_dates(ds), "kpi_range")
model = guarded(lambda: cached.model_of(ds, period))
if model is None:
    st.stop()
views.range_sentence(
    period, f"{model.n_journeys:,} of the log's {whole.n_journeys:,} journeys start in this range."
)

state.default("kpi_by", "month")
state.default("kpi_min_n", 30)
state.default("kpi_survey_days", 7.0)
state.default("kpi_trend", "nps")
attrs = cached.segment_attributes(ds)
splits = (
    ["channel", "month", "week", *attrs] if model.log.has_channel else ["month", "week", *attrs]
)
if st.session_state["kpi_by"] not in splits:
    st.session_state["kpi_by"] = "month"
c1, c2, c3 = st.columns(3)
c1.selectbox("Split by", splits, key="kpi_by")
c2.number_input("Warn below this many answers", 5, 1000, step=5, key="kpi_min_n")
c3.number_input(
    "Survey window (days)",
    0.5,
    60.0,
    step=0.5,
    key="kpi_survey_days",
    help="A survey that names no journey or interaction counts for the customer's "
    "journey that ended at most this long before it.",
)
min_n = int(st.session_state["kpi_min_n"])
days = float(st.session_state["kpi_survey_days"])
repeat = float(st.session_state.get("fr_repeat", 7.0))
chosen = st.session_state.get("fr_goals")
goals = tuple(chosen) if chosen else None

overall = guarded(lambda: cached.kpi_table(ds, None, min_n, days, repeat, goals, period))
if overall is None:
    st.stop()
figures = overall.table[overall.table["group"] == "all"]
for line in overall.unavailable():
    st.info(line)
views.kpi_metrics(figures)
coverage = figures[figures["kpi"] == "analysed"]
if not coverage.empty:
    n = int(coverage["n"].iloc[0])
    st.success(
        f"Every one of the {n:,} interactions in the log is in a journey and analysed; "
        f"quality teams typically sample about {100 * TYPICAL_QA_SHARE:.0f} % of contacts."
    )

by = str(st.session_state["kpi_by"])
split = guarded(lambda: cached.kpi_table(ds, by, min_n, days, repeat, goals, period))
if split is None:
    st.stop()
if by in ("month", "week"):
    labels = dict(zip(split.table["kpi"], split.table["label"], strict=True))
    present = [k for k in dict.fromkeys(split.table["kpi"]) if k != "analysed"]
    if not present:
        st.info(f"No KPI has a figure for any {by}: there is nothing to trend.")
    else:
        if st.session_state["kpi_trend"] not in present:
            st.session_state["kpi_trend"] = present[0]
        st.selectbox("Trend of", present, format_func=lambda k: labels[k], key="kpi_trend")
        kpi = str(st.session_state["kpi_trend"])
        views.chart(
            wb.charts.kpi_trend_chart(split, kpi),
            f"{kpi.replace(':', '_')}_by_{by}",
            "kpi_trend_chart",
            title=f"{labels[kpi]} by {by}",
        )
        st.caption("Shaded: 95 % interval. Hollow points rest on too few answers to trust.")
table = split.table.copy()
texts = [views.kpi_text(fig) for fig in table.to_dict(orient="records")]
table["figure"] = [value for value, _ in texts]
table["95 % CI"] = [
    "" if math.isnan(lo) else ci.removeprefix("95 % CI ").removesuffix(" · ")
    for lo, (_, ci) in zip(table["ci_low"], texts, strict=True)
]
st.subheader(f"KPIs by {by}")
views.table(
    table[["group", "label", "figure", "95 % CI", "n", "unit", "warning"]],
    f"kpis_by_{by}",
    "kpi_table",
    title=f"KPIs by {by}",
)
