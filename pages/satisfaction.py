"""Satisfaction: do journeys or single touchpoints go with loyalty and value? Measured on this
data, with intervals; plus loyalty against value, what drags journeys down, and teams."""

from __future__ import annotations

import streamlit as st

import workbench as wb
from ui import cached, shell, state, views
from ui.errors import guarded

ds, model = shell.page("Satisfaction")
if not model.log.has_surveys:
    st.info(
        "Load survey responses (NPS, CSAT, CES) on the Data page to compare journey and "
        "touchpoint measures."
    )
    st.stop()

outcomes = {"nps": "NPS (0-10)", "detractor": "NPS detractor (0-6)"}
if model.log.has_customers:
    outcomes |= {"churn": "Churn", "revenue": "Monthly revenue"}
state.default("sat_outcome", "nps")
state.default("sat_survey_days", float(st.session_state.get("kpi_survey_days", 7.0)))
c1, c2 = st.columns([2, 1])
c1.selectbox("Outcome", list(outcomes), format_func=lambda k: outcomes[k], key="sat_outcome")
c2.number_input("Survey window (days)", 0.5, 60.0, step=0.5, key="sat_survey_days")
days = float(st.session_state["sat_survey_days"])

result = guarded(lambda: cached.levels(ds, st.session_state["sat_outcome"], days))
if result is not None:
    box = {"journey": st.success, "touchpoint": st.warning, "undecided": st.info}[result.verdict]
    box(result.headline())
    views.chart(
        wb.charts.levels_chart(result),
        "journey_vs_touchpoint",
        "sat_levels",
        title=f"Journey vs touchpoint: {result.verdict}",
    )
    with st.expander("Details: how this was measured"):
        st.markdown(result.sentence())
        st.markdown(
            f"- **{result.metric}**: how well the measures predict the outcome for customers "
            "they were not fitted on (5-fold cross-validation). "
            + (
                "R² is the share of the differences between customers explained (0: none, 1: all)."
                if "R²" in result.metric
                else "AUC is how often a customer with the outcome is ranked above one "
                "without (0.5: a coin, 1: always)."
            )
            + "\n- **Intervals** (95 %): from a paired bootstrap, so the difference between "
            "the two levels has its own interval; when it holds zero the verdict is "
            "*undecided*.\n- **Journey level**: contacts, duration, channel switches, loops, "
            "repeat contacts, waiting, reaching a goal, journey CSAT. **Touchpoint level**: "
            "CSAT and CES of single interactions (mean, last, worst).\n"
            f"- **Population**: {result.params['population']}."
        )
        views.chart(
            wb.charts.correlations_chart(result.measures),
            "correlations",
            "sat_corr",
            title="Each measure's correlation with the outcome (Spearman, 95 % interval)",
        )

st.subheader("Loyalty and value")
lv = guarded(lambda: cached.loyalty(ds, days))
if lv is not None:
    st.markdown(lv.sentence())
    a, b = st.columns(2)
    if model.log.has_customers:
        views.chart(wb.charts.loyalty_chart(lv, "revenue"), "loyalty_revenue", "sat_rev", where=a)
        views.chart(wb.charts.loyalty_chart(lv, "churn"), "loyalty_churn", "sat_churn", where=b)
    else:
        views.chart(wb.charts.loyalty_chart(lv, "contacts"), "loyalty_contacts", "sat_con", where=a)
    views.table(lv.groups, "loyalty_groups", "sat_groups", title="Loyalty and value")

st.subheader("What drags journey satisfaction down")
drivers = guarded(lambda: cached.drivers(ds, days))
if drivers is not None and not drivers.empty:
    views.chart(
        wb.charts.drivers_chart(drivers),
        "drivers",
        "sat_drivers",
        title="What drags journey satisfaction down",
    )
    views.table(drivers.head(20), "drivers", "sat_drivers_table", title="Drivers")
elif drivers is not None:
    st.info("Too few journeys are rated as a whole (journey CSAT) to compare touchpoints.")

st.subheader("Teams and agents")
attrs = [a for a in model.log.attributes if model.log.attributes[a] == "VARCHAR"]
default_attr = "team" if "team" in attrs else (attrs[0] if attrs else None)
if default_attr is None:
    st.info("The log has no team or agent column.")
    st.stop()
state.default("sat_team_attr", default_attr)
st.selectbox("Who handled the contact", attrs, key="sat_team_attr")
teams = guarded(lambda: cached.teams(ds, st.session_state["sat_team_attr"]))
if teams is not None:
    views.table(teams, "teams", "sat_teams", title="Customer outcomes by team or agent")
    st.caption(
        "Resolution, first-contact resolution, repeat contacts and CSAT of each one's "
        "contacts, and the NPS of the customers each one served, so feedback can go back "
        "to the people who owned the interactions."
    )
