"""Journey Workbench: rebuild customer journeys from raw event logs and find what hurts.

A notebook session in four calls::

    import workbench as wb
    log = wb.load_events("sample_data/events.csv")      # every row loaded or reported
    model = wb.build_journeys(log)                        # steps, graph, variants in DuckDB
    view = wb.journey_graph(model, touchpoints_pct=60, paths_pct=30)
    wb.charts.variants_chart(model.variants)              # an Altair chart value
"""

from __future__ import annotations

from workbench import charts
from workbench.causes import Fishbone, group_causes
from workbench.errors import LoadError, QueryError, ValidationError, WorkbenchError
from workbench.friction import FrictionRanking, rank_friction
from workbench.graph import GraphView, journey_graph
from workbench.journeys import JourneyModel, build_journeys
from workbench.load import EventLog, LoadReport, SourceInfo, inspect_source, load_events
from workbench.schema import ColumnMapping
from workbench.validate import Problems, validate

__version__ = "0.1.0"

__all__ = [
    "ColumnMapping",
    "EventLog",
    "Fishbone",
    "FrictionRanking",
    "GraphView",
    "JourneyModel",
    "LoadError",
    "LoadReport",
    "Problems",
    "QueryError",
    "SourceInfo",
    "ValidationError",
    "WorkbenchError",
    "build_journeys",
    "charts",
    "group_causes",
    "inspect_source",
    "journey_graph",
    "load_events",
    "rank_friction",
    "validate",
]
