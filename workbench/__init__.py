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
or ``wb.load_events(..., database="log.duckdb")`` then ``wb.open_dataset("log.duckdb")``.

Result types live in their modules (``workbench.friction.FrictionRanking``,
``workbench.causes.Fishbone`` ...).
"""

from __future__ import annotations

from workbench import charts
from workbench.causes import group_causes
from workbench.datasets import dataset, open_dataset
from workbench.errors import LoadError, QueryError, ValidationError, WorkbenchError
from workbench.friction import rank_friction
from workbench.graph import compare_segment, journey_graph
from workbench.journeys import JourneyModel, build_journeys
from workbench.kpis import kpis
from workbench.load import EventLog, inspect_source, load_events
from workbench.report import Finding, build_report
from workbench.satisfaction import compare_levels, journey_drivers, loyalty_value, team_view
from workbench.validate import validate

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
