"""Every Streamlit cache of the app lives here.

Loaded logs and journey models hold DuckDB connections, so they are cached as resources (shared,
never mutated: analyses open their own cursors); plain results are cached as data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import workbench as wb
from ui.state import Dataset


@st.cache_resource(show_spinner="Loading events into DuckDB…", max_entries=8)
def event_log(ds: Dataset) -> wb.EventLog:
    return wb.load_events(
        ds.path,
        dict(ds.mapping),
        time_format=ds.time_format,
        dayfirst=ds.dayfirst,
        delimiter=ds.delimiter,
        encoding=ds.encoding,
        name=ds.name if not ds.is_sample else None,
    )


@st.cache_resource(show_spinner="Rebuilding journeys…", max_entries=8)
def journey_model(ds: Dataset) -> wb.JourneyModel:
    return wb.build_journeys(event_log(ds), ds.session_gap)


@st.cache_data(show_spinner="Checking data quality…", max_entries=8)
def problems(ds: Dataset) -> pd.DataFrame:
    return wb.validate(event_log(ds)).table


@st.cache_data(show_spinner=False, max_entries=8)
def weekly_events(ds: Dataset) -> pd.DataFrame:
    return event_log(ds).weekly_events()


@st.cache_data(show_spinner="Reading the file…", max_entries=16)
def inspect(
    path: str, delimiter: str | None, encoding: str | None, dayfirst: bool | None
) -> wb.SourceInfo:
    return wb.inspect_source(path, delimiter=delimiter, encoding=encoding, dayfirst=dayfirst)


@st.cache_data(show_spinner=False, max_entries=32)
def graph_view(
    ds: Dataset, touchpoints_pct: float, paths_pct: float, focus: str | None, variant: int | None
) -> wb.GraphView:
    return wb.journey_graph(
        journey_model(ds), touchpoints_pct, paths_pct, focus=focus, variant=variant
    )
