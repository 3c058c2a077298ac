"""Personas: define two groups of customers by their attributes and compare them side by side."""

from __future__ import annotations

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.analyses.personas import Persona, compare_kpis, parse_persona
from workbench.journeys.segments import segment_attributes

ds, model = shell.page("Personas")
log = model.log
attrs = sorted(log.attributes) + sorted(
    log.customer_report.attribute_types if log.customer_report else []
)
st.caption(
    "A persona is the customers who meet every condition, one per line: `attribute op value` "
    "with `=`, `!=`, `<`, `<=`, `>`, `>=` or `in` (a comma-separated list). A condition on an "
    "event attribute holds when any of the customer's events meets it. Attributes: "
    + ", ".join(f"`{a}`" for a in attrs)
    + "."
)
guess = next(iter(segment_attributes(model)), None)
second = ""
if guess:
    values = cached.segment_values(ds, guess)
    second = f"{guess} = {values[0]}" if values else ""
state.default("pe_a_name", "Everyone")
state.default("pe_a_rules", "")
state.default("pe_b_name", "Persona B")
state.default("pe_b_rules", second)
state.default("pe_touchpoints", 50)


def _persona(side: str) -> Persona | None:
    name = str(st.session_state[f"pe_{side}_name"]).strip() or f"Persona {side.upper()}"
    rules = [r.strip() for r in str(st.session_state[f"pe_{side}_rules"]).splitlines()]
    text = f"{name}: " + ", ".join(r for r in rules if r)
    return guarded(lambda: parse_persona(text))


cols = st.columns(2)
personas: list[Persona | None] = []
for side, col in zip(("a", "b"), cols, strict=True):
    with col:
        st.text_input("Name", key=f"pe_{side}_name")
        st.text_area(
            "Conditions (one per line)",
            key=f"pe_{side}_rules",
            placeholder="device = android\ntenure_months < 3",
            height=100,
        )
        persona = _persona(side)
        personas.append(persona)
        if persona is not None:
            size = guarded(lambda p=persona: cached.persona_size(ds, p))
            if size is not None:
                st.caption(f"{persona.describe()} — {size:,} customers")

if any(p is None for p in personas):
    st.stop()
a, b = personas
assert a is not None and b is not None
models = [guarded(lambda p=p: cached.persona_model(ds, p)) for p in (a, b)]
results = [guarded(lambda p=p: cached.persona_results(ds, p)) for p in (a, b)]
if any(m is None for m in models) or any(r is None for r in results):
    st.stop()

st.subheader("Who they are")
for (persona, m), col in zip(zip((a, b), models, strict=True), st.columns(2), strict=True):
    assert m is not None
    c1, c2, c3 = col.columns(3)
    c1.metric(f"{persona.name}: customers", f"{m.n_customers:,}")
    c2.metric("journeys", f"{m.n_journeys:,}")
    c3.metric("events", f"{m.n_events:,}")

st.subheader("KPIs side by side")
tables = [(p.name, r[0].table) for p, r in zip((a, b), results, strict=True) if r is not None]
if a.name == b.name:
    tables = [(f"{a.name} (A)", tables[0][1]), (f"{b.name} (B)", tables[1][1])]
views.table(compare_kpis(tables).round(2), "persona_kpis", "pe_kpis", title="KPIs by persona")
st.caption("Each value with its 95 % interval (low, high) and the number of answers behind it.")

st.subheader("Top friction points")
for (persona, r), col in zip(zip((a, b), results, strict=True), st.columns(2), strict=True):
    assert r is not None
    col.markdown(f"**{persona.name}**")
    top = r[1].top(5)
    if top.empty:
        col.info("No friction point passes the support floors for this persona.")
    else:
        for sentence in top["explanation"]:
            col.markdown(f"- {sentence}")

st.subheader("Journey maps")
st.slider("Touchpoints %", 10, 100, step=5, key="pe_touchpoints")
for (persona, m), col in zip(zip((a, b), models, strict=True), st.columns(2), strict=True):
    assert m is not None
    view = wb.journey_graph(m, float(st.session_state["pe_touchpoints"]), 30.0)
    col.markdown(f"**{persona.name}** — {view.caption}")
    col.graphviz_chart(wb.charts.journey_map_dot(view, rankdir="LR"), width="stretch")
