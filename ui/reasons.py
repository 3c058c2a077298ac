"""The user's names, merges and splits of contact reasons, kept on disk per dataset.

A dataset's edits (:class:`~workbench.analyses.voice.edits.ReasonEdits`) are a small JSON file
in ``.workbench/reasons/``, named after the dataset's file, mapping and attached surveys: the
same file opened again finds its names; another mapping of it (other journeys, ADR 0017) has
its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from ui.errors import show_error
from ui.state import Dataset
from workbench.analyses.voice import VoiceOfCustomer
from workbench.analyses.voice.edits import ReasonEdits, unknown
from workbench.core.errors import WorkbenchError

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
    """Rename, merge and split the reasons; each change is kept and the page drawn again.

    The buttons save in their ``on_click`` callbacks, which run before the next script run
    starts: a click is kept even when that run is started again before it reaches the button
    (a page opened on its own reruns inside the app, and a rerun forgets a button's click).
    """
    labels = dict(zip(voice.reasons["reason"], voice.reasons["label"], strict=True))
    if not labels:
        return
    with st.expander("Rename, merge or split reasons (kept with this dataset)"):
        failed = st.session_state.pop(f"{key}_failed", None)
        if isinstance(failed, WorkbenchError):
            show_error(failed)
        gone = unknown(voice, edits)
        if gone:
            st.caption(f"Edits of reasons no longer found are skipped: {', '.join(gone)}.")
        rename, merge, split = st.tabs(["Rename", "Merge", "Split"])
        args = (ds, edits, key)
        with rename:
            st.selectbox("Reason", list(labels), format_func=labels.get, key=f"{key}_rn")
            st.text_input("New name", key=f"{key}_rn_name")
            st.button("Rename", key=f"{key}_rn_go", on_click=_rename, args=args)
        with merge:
            st.multiselect("Reasons", list(labels), format_func=labels.get, key=f"{key}_m")
            st.selectbox("Into", list(labels), format_func=labels.get, key=f"{key}_m_to")
            st.button("Merge", key=f"{key}_m_go", on_click=_merge, args=args)
        with split:
            st.selectbox("Reason", list(labels), format_func=labels.get, key=f"{key}_s")
            st.text_input("Texts holding the word", key=f"{key}_s_word")
            st.text_input("Name of the new reason", key=f"{key}_s_name")
            st.button("Split", key=f"{key}_s_go", on_click=_split, args=args)
        if edits != ReasonEdits():
            st.button("Forget my edits", key=f"{key}_reset", on_click=_forget, args=(ds, key))


def _rename(ds: Dataset, edits: ReasonEdits, key: str) -> None:
    reason = st.session_state.get(f"{key}_rn")
    if reason:
        _keep(ds, key, lambda: edits.rename(reason, st.session_state.get(f"{key}_rn_name", "")))


def _merge(ds: Dataset, edits: ReasonEdits, key: str) -> None:
    these, into = st.session_state.get(f"{key}_m"), st.session_state.get(f"{key}_m_to")
    if these and into:
        _keep(ds, key, lambda: edits.merge(list(these), into))


def _split(ds: Dataset, edits: ReasonEdits, key: str) -> None:
    whole = st.session_state.get(f"{key}_s")
    word, label = (st.session_state.get(f"{key}_s_{x}", "") for x in ("word", "name"))
    if whole:
        _keep(ds, key, lambda: edits.split(whole, word, label))


def _forget(ds: Dataset, key: str) -> None:
    _keep(ds, key, ReasonEdits)


def _keep(ds: Dataset, key: str, edited: Callable[[], ReasonEdits]) -> None:
    """Keep the edits ``edited`` makes; a bad edit (an empty name) is shown on the next run.
    The click's own rerun then draws the page with them."""
    try:
        save(ds, edited())
    except WorkbenchError as exc:
        st.session_state[f"{key}_failed"] = exc
