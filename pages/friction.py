"""Friction: where customers struggle, how many it costs, since when, and where it concentrates."""

from __future__ import annotations

from datetime import date

import streamlit as st

import workbench as wb
from ui import cached, reasons, shell, state, views
from ui.errors import guarded
from workbench.analyses.friction import DEFAULT_WEIGHTS, LABELS, MECHANISMS, VISIT_SIGNALS

ds, whole = shell.page("Friction")
period = views.date_range(cached.journey_dates(ds), "fr_range")
model = guarded(lambda: cached.model_of(ds, period))
if model is None:
    st.stop()
views.range_sentence(
    period,
    f"friction in the {model.n_journeys:,} journeys (of the log's {whole.n_journeys:,}) that "
    "start in this range, against their own baselines.",
)

guessed = cached.goals_guess(ds)
touchpoints = model.touchpoints["touchpoint"].tolist()
state.default("fr_goals", guessed)
state.default("fr_wait", 5.0)
state.default("fr_repeat", 7.0)
state.default("fr_segment", "(none)")
for sig in MECHANISMS:
    state.default(f"fr_w_{sig}", float(DEFAULT_WEIGHTS.get(sig, 1.0)))

lead = st.container()  # the answer in one sentence, written once the ranking is made
settings = st.expander("Goals, thresholds and weights", expanded=False)
with settings:
    st.multiselect(
        "Goal touchpoints (success)",
        touchpoints,
        key="fr_goals",
        help="Journeys that reach one of these got what they came for. Guessed from the data: "
        "touchpoints where at least half the visits end the journey.",
    )
    if sorted(st.session_state["fr_goals"]) == sorted(guessed):
        st.caption("These goals were guessed from the data; change them if they are wrong.")
    c1, c2, c3 = st.columns(3)
    c1.number_input("Long wait (minutes)", 0.5, 240.0, step=0.5, key="fr_wait")
    c2.number_input("Repeat contact within (days)", 0.5, 60.0, step=0.5, key="fr_repeat")
    segments = ["(none)", *cached.segment_attributes(ds)]
    c3.selectbox(
        "Rank within a segment",
        segments,
        key="fr_segment",
        help="Rank each value of an attribute separately (e.g. device).",
    )
    st.markdown("**Weights in the score**")
    wcols = st.columns(4)
    for i, sig in enumerate(MECHANISMS):
        wcols[i % 4].slider(LABELS[sig], 0.0, 2.0, step=0.05, key=f"fr_w_{sig}")

goals = tuple(st.session_state["fr_goals"])
segment = None if st.session_state["fr_segment"] == "(none)" else st.session_state["fr_segment"]
weights = tuple((sig, float(st.session_state[f"fr_w_{sig}"])) for sig in MECHANISMS)
with cached.progress_bar("Ranking friction points:") as progress:
    ranking = guarded(
        lambda: cached.friction(
            ds,
            goals,
            float(st.session_state["fr_wait"]),
            float(st.session_state["fr_repeat"]),
            segment,
            weights,
            period,
            _progress=progress,
        )
    )
if ranking is None:
    st.stop()
if ranking.table.empty:
    st.info("No friction point stands out above the support floors in this data.")
    st.stop()
lead.markdown(views.friction_lead(ranking))
lead.caption(  # the settings in one line (change them below)
    f"Goals: {', '.join(goals) or 'none'} · a long wait is over "
    f"{st.session_state['fr_wait']:g} min · a repeat contact comes within "
    f"{st.session_state['fr_repeat']:g} days"
    + (f" · ranked within each {segment}" if segment else "")
)
settings.caption(" · ".join(ranking.outcomes.describe()))

views.show_changes(ranking, key="fr")

st.subheader("Friction against the other points")
st.markdown(
    "Where a signal is higher than at the other points, all the time: chronic friction first, "
    "then patterns (back and forth that goes with no worse outcome, listed for completeness)."
)
with st.expander("Details: how these are scored"):
    st.markdown(
        f"**{ranking.formula}** — the customers who meet a friction beyond what is normal "
        "elsewhere. Every rate is compared with its base rate; only signals that clear the "
        "support floors and the false-discovery control (Benjamini-Hochberg, 5 %) count. "
        f"{ranking.candidates_below_floor:,} candidates were below the support floor, "
        f"{ranking.not_significant:,} not significant."
    )
points = ranking.table[ranking.table["finding"].isin(["chronic", "pattern"])]
views.chart(
    wb.charts.friction_chart(ranking, top=12), "friction", "fr_chart", title="Top friction points"
)
views.show_friction_table(ranking, key="fr", only=points)

st.subheader("One friction point")
options = ranking.table["rank"].tolist()
labels = {
    r: f"#{r}  {p} — {LABELS.get(k, k)}"
    for r, p, k in zip(
        ranking.table["rank"], ranking.table["point"], ranking.table["kind"], strict=True
    )
}
if st.session_state.get("fr_pick") not in options:
    # what changed has its charts above: the picker starts at the table just shown
    first = points["rank"].tolist() or options
    st.session_state["fr_pick"] = first[0]
pick = st.selectbox("Friction point", options, format_func=lambda r: labels[r], key="fr_pick")
row = ranking.table[ranking.table["rank"] == pick].iloc[0]
st.info(row["explanation"])
views.show_signals(row, key="fr_signals")
if not ranking.weekly[ranking.weekly["point_id"] == pick].empty:
    views.chart(
        wb.charts.friction_weekly_chart(ranking, int(pick)),
        f"friction_{pick}_weekly",
        "fr_weekly",
        title=f"{row['point']}: week by week",
    )
incident = (
    (date.fromisoformat(row["active_from"]), date.fromisoformat(row["active_to"]))
    if isinstance(row.get("active_from"), str) and isinstance(row.get("active_to"), str)
    else None
)
if st.toggle("What customers said about these journeys", key="fr_said"):
    columns = st.session_state.get("voice_columns")  # the Voice page's choice, if made
    said = guarded(
        lambda: cached.said_at(
            ds,
            str(row["point"]),
            incident or period,  # during an incident: what was said while it lasted
            None if columns is None else tuple(columns),
            reasons.load(ds),
        )
    )
    if said is not None:
        views.show_said(said, "fr_said")
effect = (
    f"friction:{row['kind']}:{row['point']}"
    if row["kind"] in (*VISIT_SIGNALS, "dropoff", "loop")
    else f"has:{row['target']}"
    if row["kind"] == "unusual move"
    else None
)
if effect and st.button("Why? Show its causes", key="fr_causes", type="primary"):
    st.session_state["ca_effect"] = effect
    if incident is not None:
        st.session_state["ca_period"] = incident  # an incident's causes are those of its period
    elif period is not None:
        st.session_state["ca_period"] = period  # the causes of what this range shows
    st.switch_page("pages/causes.py")
st.markdown("**Pin this friction point** (with a note, for the findings and the report)")
views.pin(
    f"Friction: {labels[pick]}",
    "fr_row",
    table=ranking.table[ranking.table["rank"] == pick][
        [
            "rank",
            "kind",
            "point",
            "score",
            "customers_affected",
            "rate",
            "base_rate",
            "lift",
            "explanation",
        ]
    ],
)

views.show_below_floor(ranking, key="fr")
