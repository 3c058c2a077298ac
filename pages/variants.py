"""Variants: the most frequent journey paths, their share and coverage; highlight one on the map."""

from __future__ import annotations

import streamlit as st

import workbench as wb
from ui import cached, state, views
from ui.errors import guarded
from workbench.charts import variant_label

st.header("Variants")
ds = state.current()
model = guarded(lambda: cached.journey_model(ds))
if model is None:
    st.info("Load an event log on the Data page first.")
    st.stop()

variants = model.variants
c1, c2, c3 = st.columns(3)
c1.metric("Variants", f"{len(variants):,}")
c2.metric("Journeys", f"{model.n_journeys:,}")
top10 = float(variants["cumulative_share"].iloc[min(9, len(variants) - 1)]) if len(variants) else 0
c3.metric("Covered by the top 10", f"{100 * top10:.1f} %")

top = st.slider("Variants to show", 5, min(100, max(5, len(variants))), min(15, len(variants)),
                key="var_top")
pick = st.selectbox(
    "Variant to highlight", variants["variant"].head(top).tolist(), key="var_pick",
    format_func=lambda v: f"#{v}  " + variant_label(
        list(variants.loc[variants["variant"] == v, "path"].iloc[0]), 90))
if st.button("Show on the journey map", key="var_show", type="primary"):
    st.session_state["highlight_variant"] = int(pick)
    st.switch_page("pages/journey_map.py")

st.altair_chart(wb.charts.variants_chart(variants, top=top, highlight=int(pick)),
                width="stretch", key="var_chart")
views.show_variants_table(variants, top, key="var")
st.altair_chart(wb.charts.coverage_chart(variants), width="stretch", key="var_coverage")
