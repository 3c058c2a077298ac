"""The user's names, merges and splits of contact reasons, kept on disk per dataset.

A dataset's edits (:class:`~workbench.analyses.voice.edits.ReasonEdits`) are a small JSON file
in ``.workbench/reasons/``, named after the dataset's file, mapping and attached surveys: the
same file opened again finds its names; another mapping of it (other journeys, ADR 0017) has
its own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from ui.state import Dataset
from workbench.analyses.voice import VoiceOfCustomer
from workbench.analyses.voice.edits import ReasonEdits, unknown

FOLDER = Path(".workbench") / "reasons"


def edits_path(ds: Dataset, folder: Path = FOLDER) -> Path:
    """Where the dataset's reason edits are kept."""
    key = repr((str(Path(ds.path).resolve()), ds.mapping, ds.surveys, ds.session_gap))
    return folder / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.json"


def load(ds: Dataset, folder: Path = FOLDER) -> ReasonEdits:
    """The dataset's edits (none when it has none)."""
    path = edits_path(ds, folder)
    return ReasonEdits.from_json(path.read_text("utf-8")) if path.exists() else ReasonEdits()


def save(ds: Dataset, edits: ReasonEdits, folder: Path = FOLDER) -> None:
    """Keep the dataset's edits, replacing the ones kept before."""
    path = edits_path(ds, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(edits.to_json(), "utf-8")


def edit_controls(ds: Dataset, voice: VoiceOfCustomer, edits: ReasonEdits, key: str) -> None:
    """Rename, merge and split the reasons; each change is kept and the page drawn again."""
    labels = dict(zip(voice.reasons["reason"], voice.reasons["label"], strict=True))
    if not labels:
        return
    with st.expander("Rename, merge or split reasons (kept with this dataset)"):
        gone = unknown(voice, edits)
        if gone:
            st.caption(f"Edits of reasons no longer found are skipped: {', '.join(gone)}.")
        rename, merge, split = st.tabs(["Rename", "Merge", "Split"])
        with rename:
            reason = st.selectbox("Reason", list(labels), format_func=labels.get, key=f"{key}_rn")
            name = st.text_input("New name", key=f"{key}_rn_name")
            if st.button("Rename", key=f"{key}_rn_go") and reason:
                _keep(ds, edits.rename(reason, name))
        with merge:
            these = st.multiselect("Reasons", list(labels), format_func=labels.get, key=f"{key}_m")
            into = st.selectbox("Into", list(labels), format_func=labels.get, key=f"{key}_m_to")
            if st.button("Merge", key=f"{key}_m_go") and these and into:
                _keep(ds, edits.merge(these, into))
        with split:
            whole = st.selectbox("Reason", list(labels), format_func=labels.get, key=f"{key}_s")
            word = st.text_input("Texts holding the word", key=f"{key}_s_word")
            label = st.text_input("Name of the new reason", key=f"{key}_s_name")
            if st.button("Split", key=f"{key}_s_go") and whole:
                _keep(ds, edits.split(whole, word, label))
        if edits != ReasonEdits() and st.button("Forget my edits", key=f"{key}_reset"):
            _keep(ds, ReasonEdits())


def _keep(ds: Dataset, edits: ReasonEdits) -> None:
    save(ds, edits)
    st.rerun()
