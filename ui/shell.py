"""Make every page run inside the app's own navigation, even on a first, deep-linked visit.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until
``st.navigation`` has run once in the server process: a first visit straight to
``/journey_map`` would run that page alone, without ``app.py`` (no sidebar, the wrong menu).
Each page calls :func:`ensure_app` first; in that case it switches the process to
``st.navigation`` and reruns, so ``app.py`` runs and shows the page that was asked for.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
