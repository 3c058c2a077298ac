"""Journey Workbench app: `streamlit run app.py` (or `make app`) serves it on 127.0.0.1:8501."""

from __future__ import annotations

import streamlit as st

from ui import cached, shell, state, views
from workbench.core.errors import WorkbenchError

st.set_page_config(page_title="Journey Workbench", layout="wide")

# No page icons: emoji need a colour-emoji font and Material icons are fetched from the internet.
PAGES = [
    st.Page("pages/data.py", title="Data", default=True),
    st.Page("pages/journey_map.py", title="Journey map"),
    st.Page("pages/variants.py", title="Variants"),
    st.Page("pages/funnel.py", title="Funnel"),
    st.Page("pages/friction.py", title="Friction"),
    st.Page("pages/causes.py", title="Causes"),
    st.Page("pages/satisfaction.py", title="Satisfaction"),
    st.Page("pages/voice.py", title="Voice of the customer"),
    st.Page("pages/kpis.py", title="KPIs"),
    st.Page("pages/personas.py", title="Personas"),
    st.Page("pages/report.py", title="Report"),
]
nav = st.navigation(PAGES)

# The shell (title and navigation) first, then the dataset: a person waiting for an import sees
# the app around the progress bar, and sessions arriving together share one import.
state.view_from_link()
state.keep_widget_values()
st.sidebar.title("Journey Workbench")
ds = state.current()
log = model = None
try:
    log = cached.shared(
        "import",
        ds,
        "Importing the dataset (once):",
        lambda progress: cached.event_log(ds, _progress=progress),
    )
    model = cached.shared(
        "journeys",
        ds,
        "Rebuilding journeys:",
        lambda progress: cached.journey_model(ds, _progress=progress),
    )
except WorkbenchError:
    pass  # the Data page shows the error and how to fix it
views.sidebar_summary(ds.name, log, model)
try:
    shell.run(nav)
finally:
    state.view_to_link()  # the link (and a bookmark) reopens this view
