"""Journey Workbench: rebuild customer journeys from raw event logs and find what hurts.

A notebook session in a few calls::

    import workbench as wb
    log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv",
                         customers="sample_data/customers.csv")   # every row loaded or reported
    model = wb.build_journeys(log)                               # steps, graph, variants in DuckDB
    view = wb.journey_graph(model, touchpoints_pct=60, paths_pct=30)
    ranking = wb.rank_friction(model)                            # friction points, ranked
    fishbone = wb.group_causes(model, "friction:unresolved:Support call")
    voice = wb.reasons(model)                                    # contact reasons, sentiment
    wb.charts.fishbone_chart(fishbone)                           # an Altair chart value
    wb.build_report(model).save("report.html")                   # one offline HTML file

Import a large log once and reopen it in a moment: ``wb.dataset("events.csv", folder=...)``
or ``wb.load_events(..., database="log.duckdb")`` then ``wb.open_dataset("log.duckdb")``; a
dataset keeps the journey models built on it (``workbench.store.kept``), so the next session's
``build_journeys`` reopens them instead of reading every event again.

Result types live in their modules (``workbench.analyses.friction.FrictionRanking``,
``workbench.analyses.causes.Fishbone`` ...).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.analyses.causes import group_causes
    from workbench.analyses.friction import rank_friction
    from workbench.analyses.kpis import kpis
    from workbench.analyses.satisfaction import (
        compare_levels,
        journey_drivers,
        loyalty_value,
        team_view,
    )
    from workbench.analyses.voice import reasons
    from workbench.core.errors import LoadError, QueryError, ValidationError, WorkbenchError
    from workbench.ingest.load import EventLog, inspect_source
    from workbench.ingest.validate import validate
    from workbench.journeys.build import build_journeys
    from workbench.journeys.graph import compare_segment, journey_graph
    from workbench.journeys.model import JourneyModel
    from workbench.present import charts
    from workbench.present.report import Finding, build_report
    from workbench.store.datasets import dataset, load_events, open_dataset

# Each public name and the module it lives in. They are imported on first use, so
# ``import workbench`` (and the command line) do not pay for the statistics and chart libraries
# until an analysis needs them.
_HOME = {
    "kpis": "workbench.analyses.kpis",
    "validate": "workbench.ingest.validate",
    "group_causes": "workbench.analyses.causes",
    "dataset": "workbench.store.datasets",
    "open_dataset": "workbench.store.datasets",
    "LoadError": "workbench.core.errors",
    "QueryError": "workbench.core.errors",
    "ValidationError": "workbench.core.errors",
    "WorkbenchError": "workbench.core.errors",
    "rank_friction": "workbench.analyses.friction",
    "compare_segment": "workbench.journeys.graph",
    "journey_graph": "workbench.journeys.graph",
    "JourneyModel": "workbench.journeys.model",
    "build_journeys": "workbench.journeys.build",
    "EventLog": "workbench.ingest.load",
    "inspect_source": "workbench.ingest.load",
    "load_events": "workbench.store.datasets",
    "Finding": "workbench.present.report",
    "build_report": "workbench.present.report",
    "compare_levels": "workbench.analyses.satisfaction",
    "journey_drivers": "workbench.analyses.satisfaction",
    "loyalty_value": "workbench.analyses.satisfaction",
    "team_view": "workbench.analyses.satisfaction",
    "reasons": "workbench.analyses.voice",
}


# Modules a notebook reaches as ``wb.<name>`` (``wb.datasets.list_datasets()``,
# ``wb.kept_models.list_models(log)``), each under the name the README uses.
_MODULES = {
    "charts": "workbench.present.charts",
    "datasets": "workbench.store.datasets",
    "kept_models": "workbench.store.kept",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name in _HOME:
        value = getattr(importlib.import_module(_HOME[name]), name)
    else:
        raise AttributeError(f"module 'workbench' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *(n for n in globals() if n.startswith("__"))})


__version__ = "0.1.0"

__all__ = [
    "EventLog",
    "Finding",
    "JourneyModel",
    "LoadError",
    "QueryError",
    "ValidationError",
    "WorkbenchError",
    "build_journeys",
    "build_report",
    "charts",
    "compare_levels",
    "compare_segment",
    "dataset",
    "group_causes",
    "inspect_source",
    "journey_drivers",
    "journey_graph",
    "kpis",
    "load_events",
    "loyalty_value",
    "open_dataset",
    "rank_friction",
    "reasons",
    "team_view",
    "validate",
]
