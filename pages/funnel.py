"""Funnel: how many journeys reach a few touchpoints in order, and where they stop."""

from __future__ import annotations

import streamlit as st

from ui import cached, shell, views
from ui.errors import guarded

ds, model = shell.page("Funnel")
defaults = guarded(lambda: cached.funnel_defaults(ds))
if defaults is None:
    st.stop()
default_steps, first_day, last_day = defaults
sentence = st.empty()  # the answer goes first; it is known once the controls are read

# Widgets forget their values when another page is shown: keep them, per dataset, under a key
# of their own and give them back when the page returns.
saved = st.session_state.setdefault("_funnel_saved", {}).setdefault(ds, {})
for name, value in saved.items():
    st.session_state.setdefault(name, value)
touchpoints = model.touchpoints.sort_values("journeys", ascending=False)["touchpoint"].tolist()
splits = ["none", "week", "month", *cached.segment_attributes(ds)]
st.session_state.setdefault("fu_steps", default_steps)
st.session_state["fu_steps"] = [s for s in st.session_state["fu_steps"] if s in touchpoints]
if st.session_state.get("fu_split") not in splits:
    st.session_state["fu_split"] = "none"
st.session_state.setdefault("fu_dates", (first_day, last_day))
c1, c2, c3, c4 = st.columns([5, 2, 3, 2])
steps = c1.multiselect(
    "Steps, in order",
    touchpoints,
    key="fu_steps",
    max_selections=10,
    help="Pick the touchpoints in the order journeys should reach them. The first suggestion "
    "is the most common path to a goal.",
)
split = c2.selectbox("Split by", splits, key="fu_split")
dates = c3.date_input(
    "Journeys starting",
    min_value=first_day,
    max_value=last_day,
    key="fu_dates",
)
within = c4.text_input(
    "Each step within", key="fu_within", placeholder="no limit (e.g. 1d)", help="e.g. 30min, 2h, 1d"
)
saved.update({k: st.session_state[k] for k in ("fu_steps", "fu_split", "fu_dates", "fu_within")})

if len(steps) < 2:
    st.info("Pick at least two touchpoints, in the order journeys should reach them.")
    st.stop()
picked = tuple(dates) if isinstance(dates, (tuple, list)) else (dates,)
start = picked[0] if picked and picked[0] != first_day else None
end = picked[1] if len(picked) > 1 and picked[1] != last_day else None
result = guarded(
    lambda: cached.funnel(
        ds,
        tuple(steps),
        None if split in ("none", "week", "month") else split,
        split if split in ("week", "month") else None,
        within.strip() or None,
        start,
        end,
    )
)
if result is None:
    st.stop()
sentence.markdown(f"**{result.sentence}**")
views.show_funnel(result, key="fu")
