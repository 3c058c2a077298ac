"""Make every page run inside the app's own navigation, even on a first, deep-linked visit.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until
``st.navigation`` has run once in the server process: a first visit straight to
``/journey_map`` would run that page alone, without ``app.py`` (no sidebar, the wrong menu).
``app.py`` runs its pages through :func:`run`, which marks the run; each page calls
:func:`ensure_app` (or :func:`page`) first, and a page running without that mark switches the
process to ``st.navigation`` and reruns, so ``app.py`` runs and shows the page that was asked
for. The mark, not the process-wide switch, decides: when several sessions arrive together on
a fresh server, all of them start the old way before the first one flips the switch.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import workbench as wb
from ui import cached, state
from ui.errors import guarded

# True while app.py runs the page of this script run (each run has its own thread, so its own
# context); not kept in the session, so no earlier run can leave it behind.
_IN_APP: ContextVar[bool] = ContextVar("in_app", default=False)


def run(nav: Any) -> None:
    """Run the page chosen in ``app.py``'s navigation (``nav``), marked as inside the app."""
    token = _IN_APP.set(True)
    try:
        nav.run()
    finally:
        _IN_APP.reset(token)


def ensure_app() -> None:
    """Rerun inside ``app.py`` when this page was started alone (old-style multipage app)."""
    if not _IN_APP.get():
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
