"""Voice of the customer: what customers wrote, grouped into contact reasons, with sentiment
and the reasons that are rising."""

from __future__ import annotations

import streamlit as st

from ui import cached, shell, views
from ui.errors import guarded

ds, model = shell.page("Voice of the customer")
found = guarded(lambda: cached.text_columns(ds)) or []
attrs = [a for a, t in model.log.attributes.items() if t == "VARCHAR"]
chosen = st.multiselect(
    "Event columns holding free text (found by their look: long, varied strings)",
    attrs,
    default=[a for a in found if a in attrs],
    key="voice_columns",
)
voice = guarded(lambda: cached.voice(ds, tuple(chosen)))
if voice is None:
    st.stop()
if voice.texts.empty:
    st.info("No customer texts here: load surveys with comments, or choose a free-text column.")
    st.stop()
st.markdown(voice.sentence())
views.show_voice(voice, "voice")
