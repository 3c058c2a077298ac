"""Make every page run inside the app's own navigation, even on a first, deep-linked visit.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until
``st.navigation`` has run once in the server process: a first visit straight to
``/journey_map`` would run that page alone, without ``app.py`` (no sidebar, the wrong menu).
Each page calls :func:`ensure_app` (or :func:`page`) first; in that case it switches the process to
``st.navigation`` and reruns, so ``app.py`` runs and shows the page that was asked for.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import workbench as wb
from ui import cached, state
from ui.errors import guarded


def ensure_app() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page(title: str) -> tuple[state.Dataset, wb.JourneyModel]:
    """Start a page that needs journeys: run inside the app, show the title, get the model.

    Stops the page with a hint when there is no model (the Data page says why).
    """
    ensure_app()
    st.header(title)
    ds = state.current()
    model = guarded(lambda: cached.journey_model(ds))
    if model is None:
        st.info("Load an event log on the Data page first.")
        st.stop()
    return ds, model
