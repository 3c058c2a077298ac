"""Charts as values: Altair charts and Graphviz DOT text, never rendered here.

Charts with a row per item size their height by row (``alt.Step``): a fixed total height is
shared with titles and axes in some renderers and can leave no room for the rows.

A notebook displays them, a page hands them to Streamlit, a report embeds them. The journey map
is DOT text, which Streamlit draws in the browser (no Graphviz binary needed); Altair charts save
to PNG and SVG offline through vl-convert.
"""

from __future__ import annotations

from workbench.core.durations import format_duration
from workbench.present.charts import fishbone as _fishbone
from workbench.present.charts import friction as _friction
from workbench.present.charts import funnel as _funnel
from workbench.present.charts import journeys as _journeys
from workbench.present.charts import maps as _maps
from workbench.present.charts import measures as _measures
from workbench.present.charts.map_svg import journey_map_svg
from workbench.present.charts.maps import (
    MEASURES,
    journey_map_dot,
    journey_map_layout,
    map_direction,
    map_ranks,
    map_summary,
    variant_label,
)
from workbench.present.charts.palette import readable, readable_charts

# every chart handed out writes its axes, legends and titles in a colour a projector keeps
fishbone_chart = readable_charts(_fishbone.fishbone_chart)
friction_chart = readable_charts(_friction.friction_chart)
friction_weekly_chart = readable_charts(_friction.friction_weekly_chart)
funnel_chart = readable_charts(_funnel.funnel_chart)
funnel_trend_chart = readable_charts(_funnel.funnel_trend_chart)
coverage_chart = readable_charts(_journeys.coverage_chart)
dwell_chart = readable_charts(_journeys.dwell_chart)
variants_chart = readable_charts(_journeys.variants_chart)
weekly_events_chart = readable_charts(_journeys.weekly_events_chart)
journey_map_chart = readable_charts(_maps.journey_map_chart)
correlations_chart = readable_charts(_measures.correlations_chart)
drivers_chart = readable_charts(_measures.drivers_chart)
kpi_trend_chart = readable_charts(_measures.kpi_trend_chart)
levels_chart = readable_charts(_measures.levels_chart)
loyalty_chart = readable_charts(_measures.loyalty_chart)

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
    "readable",
    "variant_label",
    "variants_chart",
    "weekly_events_chart",
]
