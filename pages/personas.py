"""Personas: define two groups of customers by their attributes and compare them side by side."""

from __future__ import annotations

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded
from workbench.analyses.personas import OPERATORS, Persona, parse_persona
from workbench.journeys.segments import segment_attributes

ds, model = shell.page("Personas")
log = model.log
attrs = sorted(log.attributes) + sorted(
    log.customer_report.attribute_types if log.customer_report else []
)
st.caption(
    "A persona is the customers who meet every condition. A condition on an event attribute "
    "holds when any of the customer's events meets it (device = android: the customer used "
    "Android); `<`, `<=`, `>`, `>=` compare numbers, `in` takes a comma-separated list."
)
#: Conditions per persona.
ROWS = 3
NONE = "—"
guess = next(iter(segment_attributes(model)), None)
state.default("pe_a_name", "Everyone")
state.default("pe_b_name", "Persona B")
if guess:
    values = cached.segment_values(ds, guess)
    state.default("pe_b_attr_0", guess)
    state.default("pe_b_val_0", values[0] if values else "")
state.default("pe_touchpoints", 50)


def _conditions(side: str) -> list[str]:
    """The side's condition rows as widgets; the filled ones as ``attribute op value``."""
    rules = []
    for i in range(ROWS):
        c1, c2, c3 = st.columns([3, 1, 3])
        if st.session_state.get(f"pe_{side}_attr_{i}") not in (NONE, *attrs):
            st.session_state[f"pe_{side}_attr_{i}"] = NONE  # another dataset's attribute
        attr = c1.selectbox(
            "Attribute", [NONE, *attrs], key=f"pe_{side}_attr_{i}", label_visibility="collapsed"
        )
        op = c2.selectbox(
            "Operator", OPERATORS, key=f"pe_{side}_op_{i}", label_visibility="collapsed"
        )
        value = c3.text_input(
            "Value",
            key=f"pe_{side}_val_{i}",
            label_visibility="collapsed",
            placeholder="value (a list for in: a, b)",
        )
        if attr != NONE and str(value).strip():
            rules.append(f"{attr} {op} {str(value).strip()}")
    return rules


cols = st.columns(2)
personas: list[Persona | None] = []
for side, col in zip(("a", "b"), cols, strict=True):
    with col:
        st.text_input("Name", key=f"pe_{side}_name")
        st.markdown("**Conditions** (all must hold; none: every customer)")
        rules = _conditions(side)
        name = str(st.session_state[f"pe_{side}_name"]).strip() or f"Persona {side.upper()}"
        persona = guarded(lambda n=name, r=rules: parse_persona(f"{n}: " + ", ".join(r)))
        # counting its customers checks every condition: a persona that cannot be counted is
        # shown as one error here, and nothing below is computed for it
        size = None if persona is None else guarded(lambda p=persona: cached.persona_size(ds, p))
        personas.append(persona if size is not None else None)
        if persona is not None and size is not None:
            st.caption(f"{persona.describe()} — {size:,} customers")

if any(p is None for p in personas):
    st.stop()
a, b = personas
assert a is not None and b is not None
models = [guarded(lambda p=p: cached.persona_model(ds, p)) for p in (a, b)]
goals = tuple(st.session_state.get("fr_goals") or cached.goals_guess(ds))
results = [guarded(lambda p=p: cached.persona_results(ds, p, goals)) for p in (a, b)]
if any(m is None for m in models) or any(r is None for r in results):
    st.stop()

# against everyone, a group is inside it by design; two defined groups may overlap unawares
both = (
    guarded(lambda: cached.persona_size(ds, Persona("both", a.conditions + b.conditions)))
    if a.conditions and b.conditions
    else None
)
if both:
    sizes = [guarded(lambda p=p: cached.persona_size(ds, p)) or 0 for p in (a, b)]
    shares = ", ".join(
        f"{both / n:.0%} of {p.name}" for p, n in zip((a, b), sizes, strict=True) if n
    )
    st.warning(
        f"The groups overlap: {both:,} customers are in both ({shares}). The differences "
        "below are smaller than between two separate groups."
    )

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
views.table(views.kpis_side_by_side(tables), "persona_kpis", "pe_kpis", title="KPIs by persona")
st.caption(
    "Each figure with its 95 % interval and the number of journeys, answers or contacts "
    "behind it; conversion is to the goals the other pages use."
)

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
for persona, m in zip((a, b), models, strict=True):
    assert m is not None
    view = wb.journey_graph(m, float(st.session_state["pe_touchpoints"]), 30.0)
    st.markdown(f"**{persona.name}** — {view.caption}")
    views.graph(wb.charts.journey_map_dot(view), f"{persona.name}: {wb.charts.map_summary(view)}")
