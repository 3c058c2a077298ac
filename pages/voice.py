"""Voice of the customer: what customers wrote, grouped into contact reasons, with sentiment
and the reasons that are rising; the user's names, merges and splits kept with the dataset."""

from __future__ import annotations

import streamlit as st

from ui import cached, reasons, shell, views
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
edits = reasons.load(ds)
edited = guarded(lambda: cached.voice_edited(ds, tuple(chosen), edits)) or voice
st.markdown(edited.sentence())
guarded(lambda: reasons.edit_controls(ds, voice, edits, "voice_edit"))
views.show_voice(edited, "voice")
