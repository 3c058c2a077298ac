"""Journey Workbench app: `streamlit run app.py` (or `make app`) serves it on 127.0.0.1:8501."""

from __future__ import annotations

import streamlit as st

from ui import cached, state, views
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

state.view_from_link()
state.keep_widget_values()
st.sidebar.title("Journey Workbench")
ds = state.current()
log = model = None
try:
    with cached.progress_bar("Importing the dataset (once):") as progress:
        log = cached.event_log(ds, _progress=progress)
    with cached.progress_bar("Rebuilding journeys:") as progress:
        model = cached.journey_model(ds, _progress=progress)
except WorkbenchError:
    pass  # the Data page shows the error and how to fix it
views.sidebar_summary(ds.name, log, model)
try:
    nav.run()
finally:
    state.view_to_link()  # the link (and a bookmark) reopens this view
