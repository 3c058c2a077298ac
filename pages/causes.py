"""Causes: a fishbone built from the data for one effect, with the evidence for every cause."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import workbench as wb
from ui import cached, reasons, shell, state, views
from ui.errors import guarded
from workbench.analyses.attributes import BONES, classify
from workbench.analyses.causes import effects_for
from workbench.analyses.friction import DEFAULT_WEIGHTS, LABELS, MECHANISMS
from workbench.analyses.outcomes import OUTCOMES

ds, model = shell.page("Causes")

# the effects on offer: the friction points found with the Friction page's settings, then the
# outcomes the data has
goals = tuple(st.session_state.get("fr_goals") or cached.goals_guess(ds))
wait = float(st.session_state.get("fr_wait", 5.0))
repeat = float(st.session_state.get("fr_repeat", 7.0))
weights = tuple(
    (s, float(st.session_state.get(f"fr_w_{s}", DEFAULT_WEIGHTS.get(s, 1.0)))) for s in MECHANISMS
)
with cached.progress_bar("Ranking friction points:") as progress:
    ranking = guarded(
        lambda: cached.friction(ds, goals, wait, repeat, None, weights, _progress=progress)
    )
effects: dict[str, str] = {}
if ranking is not None:
    for key in effects_for(ranking):
        if key.startswith("friction:"):
            _, sig, point = key.split(":", 2)
            effects[key] = f"{LABELS.get(sig, sig)} at {point}"
    for outcome in ("low_csat", "detractor", "churned"):
        if outcome in ranking.outcomes.available:
            effects[outcome] = OUTCOMES[outcome][0].upper() + OUTCOMES[outcome][1:]
for goal in goals:
    effects[f"no_goal:{goal}"] = f"Journeys heading to {goal} that do not reach it"
    effects[f"not_reached:{goal}"] = f"Journeys that never reach {goal} (of all journeys)"
# any touchpoint as an effect is offered on request: on a large log it would bury the rest
wanted = st.session_state.get("ca_effect")
if str(wanted or "").startswith("has:"):
    st.session_state["ca_any_touchpoint"] = True
if st.toggle(
    "Also offer any touchpoint (the journeys that pass it)",
    key="ca_any_touchpoint",
    help="Who goes through a step at all, e.g. who ends up calling.",
):
    for tp in model.touchpoints["touchpoint"]:
        effects[f"has:{tp}"] = f"Journeys that pass {tp}"
# what customers wrote: each reason (the Voice page's names) as an effect, on request too
if str(wanted or "").startswith("reason:"):
    st.session_state["ca_reasons"] = True
columns = st.session_state.get("voice_columns")  # the Voice page's choice, if made
text_columns = None if columns is None else tuple(columns)
edits = None
if st.toggle(
    "Also read what customers wrote",
    key="ca_reasons",
    help="Each reason their texts were grouped into is offered as an effect, and counts as "
    "evidence on the Policy & information bone (the share of the units whose customers wrote "
    "it).",
):
    kept = edits = reasons.load(ds)
    voice = guarded(lambda: cached.voice_edited(ds, text_columns, kept))
    for label in dict.fromkeys(voice.reasons["label"] if voice is not None else []):
        effects[f"reason:{label}"] = f"Journeys whose customers wrote “{label}”"
if wanted not in effects:
    st.session_state["ca_effect"] = next(iter(effects))
effect = st.selectbox(
    "Effect to explain", list(effects), format_func=lambda k: effects[k], key="ca_effect"
)


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


# the period: the whole log unless chosen here, or handed over in the link (?period_from=
# 2026-05-04&period_to=2026-06-28, as the Friction page may send an incident's weeks)
weeks = cached.weekly_events(ds)["week"]
whole = (weeks.min().date(), (weeks.max() + pd.Timedelta(days=6)).date())
link_from, link_to = (
    _day(st.query_params.get("period_from")),
    _day(st.query_params.get("period_to")),
)
if (
    link_from
    and link_to
    and link_from <= link_to
    and (link_from, link_to) != st.session_state.get("_ca_period_linked")
):
    st.session_state["_ca_period_linked"] = (link_from, link_to)
    st.session_state["ca_period"] = (max(link_from, whole[0]), min(link_to, whole[1]))
chosen = st.session_state.get("ca_period")
if not (isinstance(chosen, tuple) and all(whole[0] <= d <= whole[1] for d in chosen)):
    st.session_state["ca_period"] = whole  # first visit, or another dataset
days = st.date_input(
    "Period",
    min_value=whole[0],
    max_value=whole[1],
    key="ca_period",
    help="Only the contacts, journeys or customers of this period count, affected or not: "
    "what goes with the effect during it. A journey counts by the day it starts.",
)
if not isinstance(days, tuple) or len(days) != 2:
    st.info("Choose the period's last day too.")
    st.stop()
period = None if days == whole else (days[0], days[1])

roles = classify(model.log)
defaults = dict(roles.bones)
state.default("ca_bones", {})
with st.expander("Which bone each attribute sits on", expanded=False):
    moved: dict[str, str] = st.session_state["ca_bones"]
    table = pd.DataFrame(
        {"attribute": list(defaults), "bone": [moved.get(a, b) for a, b in defaults.items()]}
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        key="bones_editor",
        disabled=["attribute"],
        column_config={
            "bone": st.column_config.SelectboxColumn(options=list(BONES), required=True)
        },
    )
    st.session_state["ca_bones"] = {
        a: b
        for a, b in zip(edited["attribute"], edited["bone"], strict=True)
        if defaults.get(a) != b
    }
    st.caption(
        "Attributes sit on a bone by their name; move one by choosing another bone. "
        "The choice is kept with this view."
    )
bones = tuple(sorted(st.session_state["ca_bones"].items()))

if period is None:
    fishbone = guarded(
        lambda: cached.causes(ds, effect, bones, goals, wait, repeat, text_columns, edits)
    )
else:
    # the model keeps each effect's counts per period (its cache door), so a second look, a
    # bone moved or a floor changed reads no event again
    with st.spinner("Grouping causes…"):
        fishbone = guarded(
            lambda: wb.group_causes(
                model,
                effect,
                bones=dict(bones),
                goals=list(goals),
                long_wait=wait * 60,
                repeat_window=repeat * 86400,
                period=period,
                voice=cached.said_voice(ds, effect, text_columns, edits),
            )
        )
if fishbone is None:
    st.stop()

manual: dict[str, list[tuple[str, str]]] = st.session_state.setdefault("ca_manual", {})
for bone, text in manual.get(effect, []):
    fishbone = fishbone.with_manual(bone, text)

st.markdown(f"**{fishbone.summary()}** · {fishbone.caveat}")
if not (~fishbone.causes["manual"].astype(bool)).any():
    st.info(
        f"Nothing in the data stands out among these {fishbone.unit}: the effect is spread "
        "evenly over teams, times, channels and customers"
        + (
            ", so it belongs to the point as a whole."
            if fishbone.elsewhere_rate is not None
            else "."
        )
    )
if period is not None:
    st.caption(
        f"Only the {fishbone.unit} from {period[0]} to {period[1]} are counted, affected or "
        "not: these are the causes that went with the effect during this period."
    )
if not fishbone.causes.empty:  # an empty fishbone draws bare bones
    views.chart(
        wb.charts.fishbone_chart(fishbone, width="container"),
        "fishbone",
        "ca_chart",
        title=f"Fishbone: {fishbone.title}",
    )

st.markdown("**Add a cause from the workshop** (marked as such, with no numbers)")
a1, a2, a3 = st.columns([2, 5, 1], vertical_alignment="bottom")
a1.selectbox("Bone", BONES, key="ca_add_bone")
a2.text_input("Cause", key="ca_add_text", placeholder="e.g. Scripts are outdated")


def _add_cause() -> None:
    text = str(st.session_state.get("ca_add_text", "")).strip()
    if text:
        manual.setdefault(effect, []).append((st.session_state["ca_add_bone"], text))
        st.session_state["ca_add_text"] = ""


a3.button("Add", key="ca_add", on_click=_add_cause)
if manual.get(effect) and st.button("Remove the workshop causes", key="ca_clear"):
    manual.pop(effect, None)
    st.rerun()

if not fishbone.causes.empty:  # "nothing stands out" above has said it already
    views.show_fishbone_table(fishbone, key="ca_table")
left = ", ".join(f"{b}: {n}" for b, n in fishbone.left_out.items() if n)
if left:
    st.caption(
        f"Left out (below the support floor of {fishbone.params['min_support']} "
        f"{fishbone.unit}, not significant, or beyond the top 5): {left}."
    )
