"""Charts as values: Altair charts and Graphviz DOT text, never rendered here.

Charts with a row per item size their height by row (``alt.Step``): a fixed total height is
shared with titles and axes in some renderers and can leave no room for the rows.

A notebook displays them, a page hands them to Streamlit, a report embeds them. The journey map
is DOT text, which Streamlit draws in the browser (no Graphviz binary needed); Altair charts save
to PNG and SVG offline through vl-convert.
"""

from __future__ import annotations

from workbench.core.durations import format_duration
from workbench.present.charts.fishbone import fishbone_chart
from workbench.present.charts.friction import friction_chart, friction_weekly_chart
from workbench.present.charts.funnel import funnel_chart, funnel_trend_chart
from workbench.present.charts.journeys import (
    coverage_chart,
    dwell_chart,
    variants_chart,
    weekly_events_chart,
)
from workbench.present.charts.map_svg import journey_map_svg, map_summary
from workbench.present.charts.maps import (
    MEASURES,
    journey_map_chart,
    journey_map_dot,
    journey_map_layout,
    map_direction,
    map_ranks,
    variant_label,
)
from workbench.present.charts.measures import (
    correlations_chart,
    drivers_chart,
    kpi_trend_chart,
    levels_chart,
    loyalty_chart,
)

__all__ = [
    "MEASURES",
    "correlations_chart",
    "coverage_chart",
    "drivers_chart",
    "dwell_chart",
    "fishbone_chart",
    "format_duration",
    "friction_chart",
    "friction_weekly_chart",
    "funnel_chart",
    "funnel_trend_chart",
    "journey_map_chart",
    "journey_map_dot",
    "journey_map_layout",
    "journey_map_svg",
    "kpi_trend_chart",
    "levels_chart",
    "loyalty_chart",
    "map_direction",
    "map_ranks",
    "map_summary",
    "variant_label",
    "variants_chart",
    "weekly_events_chart",
]
