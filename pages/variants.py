"""Variants: the most frequent journey paths, their share and coverage; highlight one on the map."""

from __future__ import annotations

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.present.charts import variant_label

ds, whole = shell.page("Variants")
period = views.date_range(cached.journey_dates(ds), "var_range")
model = guarded(lambda: cached.model_of(ds, period))
if model is None:
    st.stop()
views.range_sentence(
    period,
    f"{model.n_journeys:,} of the log's {whole.n_journeys:,} journeys start in this range; "
    f"they follow {len(model.variants):,} variants.",
)
variants = model.variants
c1, c2, c3 = st.columns(3)
c1.metric("Variants", f"{len(variants):,}")
c2.metric("Journeys", f"{model.n_journeys:,}")
top10 = float(variants["cumulative_share"].iloc[min(9, len(variants) - 1)]) if len(variants) else 0
c3.metric("Covered by the top 10", f"{100 * top10:.1f} %")

max_top = min(100, max(5, len(variants)))
state.default("var_top", min(15, max_top))
st.session_state["var_top"] = min(st.session_state["var_top"], max_top)
# five variants or fewer: all of them, no slider to move
top = st.slider("Variants to show", 5, max_top, key="var_top") if max_top > 5 else max_top
options = variants["variant"].head(top).tolist()
if st.session_state.get("var_pick") not in options:
    st.session_state["var_pick"] = options[0]
pick = st.selectbox(
    "Variant to highlight",
    options,
    key="var_pick",
    format_func=lambda v: (
        f"#{v}  " + variant_label(list(variants.loc[variants["variant"] == v, "path"].iloc[0]), 90)
    ),
)
if st.button("Show on the journey map", key="var_show", type="primary"):
    st.session_state["jm_variant"] = str(pick)
    # a variant's rank is counted in this date range: the map shows the same range
    st.session_state["jm_range"] = st.session_state["var_range"]
    st.switch_page("pages/journey_map.py")

views.chart(
    wb.charts.variants_chart(variants, top=top, highlight=int(pick)),
    "variants",
    "var_chart",
    title="Most frequent journey variants",
)
views.show_variants_table(variants, top, key="var")
views.chart(
    wb.charts.coverage_chart(variants), "coverage", "var_coverage", title="Variant coverage"
)
