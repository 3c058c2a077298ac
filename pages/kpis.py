"""KPIs: NPS, CSAT, CES, first-contact resolution, repeat contacts and resolution, with the
number behind every figure, its interval, and a warning when it is too small to trust."""

from __future__ import annotations

import math

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.analyses.kpis import KPI_LABELS, TYPICAL_QA_SHARE

ds, model = shell.page("KPIs")

state.default("kpi_by", "month")
state.default("kpi_min_n", 30)
state.default("kpi_survey_days", 7.0)
state.default("kpi_trend", "nps")
attrs = cached.segment_attributes(ds)
c1, c2, c3 = st.columns(3)
c1.selectbox("Split by", ["channel", "month", "week", *attrs], key="kpi_by")
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

overall = guarded(lambda: cached.kpi_table(ds, None, min_n, days, repeat))
if overall is None:
    st.stop()
if not model.log.has_surveys:
    st.info(
        "No surveys are loaded: NPS, CSAT and CES need them (Data page). The contact KPIs "
        "below come from the event log alone."
    )
figures = overall.table[overall.table["group"] == "all"]
cols = st.columns(4)
for i, fig in enumerate(figures.to_dict(orient="records")):
    unit = "" if fig["unit"] in ("points", "mean") else " %"
    digits = 2 if fig["unit"] == "mean" else 1
    ci = (
        ""
        if math.isnan(fig["ci_low"])
        else f"95 % CI {fig['ci_low']:.{digits}f}–{fig['ci_high']:.{digits}f} · "
    )
    cols[i % 4].metric(
        fig["label"], f"{fig['value']:.{digits}f}{unit}", help=f"{ci}n = {fig['n']:,}", border=True
    )
    note = f"{ci}n = {fig['n']:,}"
    if fig["warning"]:
        note += f" · ⚠ {fig['warning']}"
    cols[i % 4].caption(note)
coverage = figures[figures["kpi"] == "analysed"]
if not coverage.empty:
    n = int(coverage["n"].iloc[0])
    st.success(
        f"Every one of the {n:,} interactions in the log is in a journey and analysed; "
        f"quality teams typically sample about {100 * TYPICAL_QA_SHARE:.0f} % of "
        "contacts."
    )

by = str(st.session_state["kpi_by"])
split = guarded(lambda: cached.kpi_table(ds, by, min_n, days, repeat))
if split is not None:
    if by in ("month", "week"):
        kpis_present = [k for k in KPI_LABELS if k in set(split.table["kpi"]) and k != "analysed"]
        if st.session_state["kpi_trend"] not in kpis_present and kpis_present:
            st.session_state["kpi_trend"] = kpis_present[0]
        st.selectbox(
            "Trend of", kpis_present, format_func=lambda k: KPI_LABELS[k][0], key="kpi_trend"
        )
        views.chart(
            wb.charts.kpi_trend_chart(split, st.session_state["kpi_trend"]),
            f"{st.session_state['kpi_trend']}_by_{by}",
            "kpi_trend_chart",
            title=f"{KPI_LABELS[st.session_state['kpi_trend']][0]} by {by}",
        )
        st.caption("Shaded: 95 % interval. Hollow points rest on too few answers to trust.")
    table = split.table.copy()
    table["figure"] = [
        f"{v:.2f}" if u == "mean" else f"{v:.1f}"
        for v, u in zip(table["value"], table["unit"], strict=True)
    ]
    table["95 % CI"] = [
        "" if math.isnan(lo) else f"{lo:.1f} – {hi:.1f}"
        for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
    ]
    st.subheader(f"KPIs by {by}")
    views.table(
        table[["group", "label", "figure", "95 % CI", "n", "unit", "warning"]],
        f"kpis_by_{by}",
        "kpi_table",
        title=f"KPIs by {by}",
    )
