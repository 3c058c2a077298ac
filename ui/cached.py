"""Every Streamlit cache of the app lives here.

Loaded logs and journey models hold DuckDB connections, so they are cached as resources (shared,
never mutated: analyses open their own cursors); plain results are cached as data.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import in_cached_function

import workbench as wb
from ui import state
from ui.state import Dataset
from workbench.analyses.causes import Fishbone
from workbench.analyses.contacts import Contacts
from workbench.analyses.friction import FrictionRanking
from workbench.analyses.funnel import Funnel
from workbench.analyses.kpis import KpiTable
from workbench.analyses.personas import Persona
from workbench.analyses.satisfaction import LevelComparison, LoyaltyValue
from workbench.analyses.voice import VoiceOfCustomer, links
from workbench.analyses.voice.edits import ReasonEdits, apply_edits
from workbench.analyses.voice.links import Said
from workbench.core.progress import Progress
from workbench.ingest.load import SourceInfo
from workbench.journeys import periods
from workbench.journeys.changes import PeriodComparison, compare_periods
from workbench.journeys.graph import GraphView, SegmentComparison

T = TypeVar("T")


@contextmanager
def progress_bar(title: str) -> Iterator[Progress]:
    """A progress bar where this is called, for a cached computation's ``_progress``: it says
    ``title`` and the stage under way, and is removed when the block ends (also when the
    computation fails). It appears only when the computation runs; a cache hit shows nothing.

    A cached function replays the elements it wrote when its answer comes from the cache; this
    bar lives outside it, so its updates are kept out of that record (a replay would not find
    the bar).
    """
    slot = st.empty()

    def report(done: float, what: str) -> None:
        token = in_cached_function.set(False)
        try:
            more = "…" if done < 1 else ""
            slot.progress(min(max(done, 0.0), 1.0), text=f"{title} {what}{more}")
        finally:
            in_cached_function.reset(token)

    try:
        yield report
    finally:
        slot.empty()


@dataclass
class _UnderWay:
    """The shared computations under way in this server, each with how far it is; one for
    the whole process (see :func:`_under_way`)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    progress: dict[tuple[str, Dataset], tuple[float, str]] = field(default_factory=dict)


@st.cache_resource(show_spinner=False)
def _under_way() -> _UnderWay:
    return _UnderWay()


def shared(what: str, ds: Dataset, title: str, compute: Callable[[Progress], T]) -> T:
    """``compute(progress)`` (a call of a cached resource such as :func:`event_log`) for
    ``ds``, with a progress bar titled ``title`` in every session that waits for it.

    Sessions that arrive together (a workshop opening one link) share the first import: the
    resource's own lock lets one of them compute it and the others take its answer. Here the
    one computing also posts how far it is, and the others show that progress while they wait
    instead of a page that looks stuck; a cache hit shows nothing.
    """
    board = _under_way()
    key = (what, ds)
    while True:
        with board.lock:
            mine = key not in board.progress
            if mine:
                board.progress[key] = (0.0, "starting")
        if mine:
            try:
                with progress_bar(title) as bar:

                    def report(done: float, stage: str) -> None:
                        board.progress[key] = (done, stage)
                        bar(done, stage)

                    return compute(report)
            finally:
                with board.lock:
                    board.progress.pop(key, None)
        slot = st.empty()
        while (now := board.progress.get(key)) is not None:
            done, stage = now
            more = "…" if done < 1 else ""
            slot.progress(
                min(max(done, 0.0), 1.0),
                text=f"{title} {stage}{more} (started by another session: shared with it)",
            )
            time.sleep(0.5)
        slot.empty()  # the answer is in the cache now (or the other session failed: try here)


@st.cache_resource(show_spinner="Opening the dataset…", max_entries=8)
def event_log(ds: Dataset, _progress: Progress | None = None) -> wb.EventLog:
    """The dataset's DuckDB file under the data folder: imported once, then reopened;
    ``_progress`` (not part of the cache key) sees the stages of an import."""
    return wb.dataset(
        ds.path,
        folder=state.DATASETS_DIR,
        mapping=dict(ds.mapping),
        time_format=ds.time_format,
        dayfirst=ds.dayfirst,
        delimiter=ds.delimiter,
        encoding=ds.encoding,
        name=ds.name if not ds.is_sample else None,
        surveys=ds.surveys,
        customers=ds.customers,
        pseudonymise=ds.pseudonymise,
        progress=_progress,
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def journey_model(ds: Dataset, _progress: Progress | None = None) -> wb.JourneyModel:
    """The dataset's journeys; ``_progress`` (not part of the cache key) sees the stages of a
    build (the app passes a progress bar: :func:`progress_bar`)."""
    return wb.build_journeys(event_log(ds), ds.session_gap, progress=_progress)


@st.cache_data(show_spinner="Checking data quality…", max_entries=8)
def problems(ds: Dataset) -> pd.DataFrame:
    return wb.validate(event_log(ds)).table


@st.cache_data(show_spinner=False, max_entries=8)
def weekly_events(ds: Dataset) -> pd.DataFrame:
    return event_log(ds).weekly_events()


@st.cache_data(show_spinner="Reading the file…", max_entries=16)
def inspect(
    path: str, delimiter: str | None, encoding: str | None, dayfirst: bool | None
) -> SourceInfo:
    return wb.inspect_source(path, delimiter=delimiter, encoding=encoding, dayfirst=dayfirst)


@st.cache_data(show_spinner=False, max_entries=32)
def graph_view(
    ds: Dataset,
    touchpoints_pct: float,
    paths_pct: float,
    focus: str | None,
    variant: int | None,
    period: tuple[date, date] | None = None,
    keep: tuple[str, ...] = (),
) -> GraphView:
    return wb.journey_graph(
        model_of(ds, period), touchpoints_pct, paths_pct, focus=focus, variant=variant, keep=keep
    )


@st.cache_data(show_spinner=False, max_entries=16)  # callers show a progress bar
def friction(
    ds: Dataset,
    goals: tuple[str, ...] | None,
    long_wait_minutes: float,
    repeat_days: float,
    segment: str | None,
    weights: tuple[tuple[str, float], ...],
    period: tuple[date, date] | None = None,
    _progress: Progress | None = None,
) -> FrictionRanking:
    return wb.rank_friction(
        model_of(ds, period),
        goals=list(goals) if goals is not None else None,
        long_wait=long_wait_minutes * 60,
        repeat_window=repeat_days * 86400,
        segment=segment,
        weights=dict(weights),
        progress=_progress,
        contacts=ds.contacts,
    )


@st.cache_data(show_spinner="Grouping causes…", max_entries=32)
def causes(
    ds: Dataset,
    effect: str,
    bones: tuple[tuple[str, str], ...],
    goals: tuple[str, ...] | None,
    long_wait_minutes: float,
    repeat_days: float,
    text_columns: tuple[str, ...] | None = None,
    edits: ReasonEdits | None = None,
) -> Fishbone:
    """The fishbone of ``effect``; with ``edits`` (or for a ``reason:`` effect) what customers
    wrote counts too, read as the user's reasons of the texts in ``text_columns`` (None: found
    by their look)."""
    return wb.group_causes(
        journey_model(ds),
        effect,
        bones=dict(bones),
        goals=list(goals) if goals is not None else None,
        long_wait=long_wait_minutes * 60,
        repeat_window=repeat_days * 86400,
        contacts=ds.contacts,
        voice=said_voice(ds, effect, text_columns, edits),
    )


def said_voice(
    ds: Dataset, effect: str, columns: tuple[str, ...] | None, edits: ReasonEdits | None
) -> VoiceOfCustomer | None:
    """The user's reasons (``edits``) that a fishbone reads: what customers wrote, as evidence,
    and a ``reason:`` effect's journeys. None when no edits are given for another effect: the
    texts are then not read."""
    if edits is None and not effect.startswith("reason:"):
        return None
    return voice_edited(ds, columns, edits or ReasonEdits())


@st.cache_data(show_spinner=False, max_entries=16)
def segment_attributes(ds: Dataset) -> list[str]:
    from workbench.journeys.segments import segment_attributes as attrs

    return attrs(journey_model(ds))


@st.cache_data(show_spinner=False, max_entries=64)
def segment_values(ds: Dataset, attribute: str) -> list[str]:
    from workbench.core.db import quote_ident

    log = event_log(ds)
    table = "events" if attribute in log.attributes else "customers"
    rows = (
        log.cursor()
        .execute(
            f"select cast({quote_ident(attribute)} as varchar), count(*) from {table} "
            f"where {quote_ident(attribute)} is not null group by 1 order by 2 desc"
        )
        .fetchall()
    )
    return [str(r[0]) for r in rows]


@st.cache_data(show_spinner="Comparing the segment…", max_entries=16)
def comparison(
    ds: Dataset, attribute: str, value: str, period: tuple[date, date] | None = None
) -> SegmentComparison:
    return wb.compare_segment(model_of(ds, period), attribute, value)


@st.cache_data(show_spinner=False, max_entries=8)
def goals_guess(ds: Dataset) -> list[str]:
    from workbench.analyses.outcomes import guess_goals

    return guess_goals(journey_model(ds), contact_classes(ds))


@st.cache_data(show_spinner=False, max_entries=8)
def contact_classes(ds: Dataset) -> Contacts:
    """Which channels (or touchpoints) of the dataset count as contacts: ``ds.contacts``, or
    guessed from their names."""
    from workbench.analyses.contacts import classify_contacts

    return classify_contacts(event_log(ds), ds.contacts)


@st.cache_data(show_spinner="Computing the KPIs…", max_entries=32)
def kpi_table(
    ds: Dataset,
    by: str | None,
    min_n: int,
    survey_days: float,
    repeat_days: float,
    goals: tuple[str, ...] | None = None,
    period: tuple[date, date] | None = None,
) -> KpiTable:
    return wb.kpis(
        model_of(ds, period),
        by=by,
        min_n=min_n,
        survey_window=f"{survey_days}d",
        repeat_window=repeat_days * 86400,
        goals=list(goals) if goals is not None else None,
        contacts=ds.contacts,
    )


@st.cache_data(show_spinner="Comparing journey and touchpoint measures…", max_entries=16)
def levels(ds: Dataset, outcome: str, survey_days: float) -> LevelComparison:
    return wb.compare_levels(
        journey_model(ds), outcome, survey_window=f"{survey_days}d", contacts=ds.contacts
    )


@st.cache_data(show_spinner=False, max_entries=8)
def loyalty(ds: Dataset, survey_days: float) -> LoyaltyValue:
    return wb.loyalty_value(
        journey_model(ds), survey_window=f"{survey_days}d", contacts=ds.contacts
    )


@st.cache_data(show_spinner=False, max_entries=8)
def drivers(ds: Dataset, survey_days: float) -> pd.DataFrame:
    return wb.journey_drivers(journey_model(ds), survey_window=f"{survey_days}d")


@st.cache_data(show_spinner=False, max_entries=16)
def teams(ds: Dataset, attribute: str) -> pd.DataFrame:
    return wb.team_view(journey_model(ds), attribute, contacts=ds.contacts)


@st.cache_resource(
    show_spinner="Loading the persona's customers and rebuilding their journeys…", max_entries=16
)
def persona_model(ds: Dataset, persona: Persona) -> wb.JourneyModel:
    from workbench.analyses.personas import persona_log

    return wb.build_journeys(persona_log(event_log(ds), persona), ds.session_gap)


@st.cache_data(show_spinner=False, max_entries=64)
def persona_size(ds: Dataset, persona: Persona) -> int:
    from workbench.analyses.personas import persona_size as size

    return size(event_log(ds), persona)


@st.cache_data(show_spinner="Computing the persona's KPIs and friction…", max_entries=16)
def persona_results(
    ds: Dataset, persona: Persona, goals: tuple[str, ...]
) -> tuple[KpiTable, FrictionRanking]:
    """A persona's KPIs and friction, measured to the dataset's goals (not goals guessed from
    the persona's own journeys), so that both personas' conversion is to the same goals."""
    model = persona_model(ds, persona)
    return (
        wb.kpis(model, contacts=ds.contacts, goals=list(goals) or None),
        wb.rank_friction(model, contacts=ds.contacts, goals=list(goals) or None),
    )


@st.cache_data(show_spinner="Counting the funnel…", max_entries=32)
def funnel(
    ds: Dataset,
    steps: tuple[str, ...],
    by: str | None,
    period: str | None,
    within: str | None,
    start: date | None,
    end: date | None,
) -> Funnel:
    from workbench.analyses.funnel import funnel as count

    return count(
        journey_model(ds), steps, by=by, period=period, within=within, start=start, end=end
    )


@st.cache_data(show_spinner=False, max_entries=8)
def funnel_defaults(ds: Dataset) -> tuple[list[str], date, date]:
    """The default funnel steps (the most common path to a goal) and the dates the journeys
    start between."""
    from workbench.analyses.funnel import default_steps, journey_dates

    model = journey_model(ds)
    return default_steps(model), *journey_dates(model)


@st.cache_data(show_spinner="Reading what customers wrote…", max_entries=8)
def voice(ds: Dataset, columns: tuple[str, ...] | None) -> VoiceOfCustomer:
    """Contact reasons and sentiment of the dataset's texts; ``columns`` the free-text event
    attributes (None: found by their look)."""
    return wb.reasons(journey_model(ds), None if columns is None else list(columns))


@st.cache_data(show_spinner=False, max_entries=8)
def voice_edited(
    ds: Dataset, columns: tuple[str, ...] | None, edits: ReasonEdits
) -> VoiceOfCustomer:
    """:func:`voice` with the user's names, merges and splits of its reasons applied."""
    return apply_edits(voice(ds, columns), edits)


@st.cache_data(show_spinner="Reading what customers wrote…", max_entries=16)
def said_at(
    ds: Dataset,
    point: str,
    period: tuple[date, date] | None,
    columns: tuple[str, ...] | None,
    edits: ReasonEdits,
) -> Said:
    """What customers wrote about the journeys through ``point`` (starting in ``period``), read
    with the user's reasons."""
    voice = voice_edited(ds, columns, edits)
    return links.said_at(journey_model(ds), point, period, voice=voice)


@st.cache_data(show_spinner=False, max_entries=8)
def text_columns(ds: Dataset) -> list[str]:
    """The event attributes that look like free text."""
    from workbench.analyses.voice.texts import text_columns as found

    return found(journey_model(ds))


# -- periods: the journeys that start in a date range, and two periods compared ---------------


@st.cache_data(show_spinner=False, max_entries=8)
def journey_dates(ds: Dataset) -> tuple[date, date]:
    """The days the dataset's first and last journeys start on (a date range's bounds)."""
    return periods.journey_dates(journey_model(ds))


@st.cache_resource(show_spinner="Rebuilding the journeys of the date range…", max_entries=8)
def period_model(ds: Dataset, period: tuple[date, date]) -> wb.JourneyModel:
    """The journeys that start in ``period`` (first and last day), as a model of their own."""
    return periods.journeys_between(journey_model(ds), period)


def model_of(ds: Dataset, period: tuple[date, date] | None) -> wb.JourneyModel:
    """The dataset's journeys (``period`` None: the whole log, the one cached model) or those
    that start in ``period``."""
    return journey_model(ds) if period is None else period_model(ds, period)


@st.cache_data(show_spinner=False, max_entries=8)
def default_periods(
    ds: Dataset, period: tuple[date, date] | None = None
) -> tuple[tuple[date, date], tuple[date, date]]:
    """Periods A and B to compare first: the last four weeks and the four before (or halves),
    of the whole log or of the journeys that start in ``period``."""
    return periods.default_periods(model_of(ds, period))


@st.cache_data(show_spinner="Comparing the two periods…", max_entries=16)
def period_comparison(ds: Dataset, a: tuple[date, date], b: tuple[date, date]) -> PeriodComparison:
    return compare_periods(journey_model(ds), a, b)
