"""Journey Workbench: rebuild customer journeys from raw event logs and find what hurts.

A notebook session in a few calls::

    import workbench as wb
    log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv",
                         customers="sample_data/customers.csv")   # every row loaded or reported
    model = wb.build_journeys(log)                               # steps, graph, variants in DuckDB
    view = wb.journey_graph(model, touchpoints_pct=60, paths_pct=30)
    ranking = wb.rank_friction(model)                            # friction points, ranked
    fishbone = wb.group_causes(model, "friction:unresolved:Support call")
    wb.charts.fishbone_chart(fishbone)                           # an Altair chart value
    wb.build_report(model).save("report.html")                   # one offline HTML file

Import a large log once and reopen it in a moment: ``wb.dataset("events.csv", folder=...)``
or ``wb.load_events(..., database="log.duckdb")`` then ``wb.open_dataset("log.duckdb")``; a
dataset keeps the journey models built on it (``workbench.kept_models``), so the next session's
``build_journeys`` reopens them instead of reading every event again.

Result types live in their modules (``workbench.friction.FrictionRanking``,
``workbench.causes.Fishbone`` ...).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

# ``kpis`` and ``validate`` are also the names of their modules: imported now, so that a later
# import of the module cannot put the module where the function belongs.
from workbench.kpis import kpis
from workbench.validate import validate

if TYPE_CHECKING:
    from workbench import charts
    from workbench.causes import group_causes
    from workbench.datasets import dataset, open_dataset
    from workbench.errors import LoadError, QueryError, ValidationError, WorkbenchError
    from workbench.friction import rank_friction
    from workbench.graph import compare_segment, journey_graph
    from workbench.journeys import JourneyModel, build_journeys
    from workbench.load import EventLog, inspect_source, load_events
    from workbench.report import Finding, build_report
    from workbench.satisfaction import compare_levels, journey_drivers, loyalty_value, team_view

# Each public name and the module it lives in. They are imported on first use, so
# ``import workbench`` (and the command line) do not pay for the statistics and chart libraries
# until an analysis needs them.
_HOME = {
    "charts": "workbench.charts",
    "group_causes": "workbench.causes",
    "dataset": "workbench.datasets",
    "open_dataset": "workbench.datasets",
    "LoadError": "workbench.errors",
    "QueryError": "workbench.errors",
    "ValidationError": "workbench.errors",
    "WorkbenchError": "workbench.errors",
    "rank_friction": "workbench.friction",
    "compare_segment": "workbench.graph",
    "journey_graph": "workbench.graph",
    "JourneyModel": "workbench.journeys",
    "build_journeys": "workbench.journeys",
    "EventLog": "workbench.load",
    "inspect_source": "workbench.load",
    "load_events": "workbench.load",
    "Finding": "workbench.report",
    "build_report": "workbench.report",
    "compare_levels": "workbench.satisfaction",
    "journey_drivers": "workbench.satisfaction",
    "loyalty_value": "workbench.satisfaction",
    "team_view": "workbench.satisfaction",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        # a submodule asked for as an attribute: ``wb.causes.effects_for``
        if name.startswith("_") or importlib.util.find_spec(f"workbench.{name}") is None:
            raise AttributeError(f"module 'workbench' has no attribute {name!r}")
        home = f"workbench.{name}"
    module = importlib.import_module(home)
    value = module if home == f"workbench.{name}" else getattr(module, name)
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
    "team_view",
    "validate",
]
