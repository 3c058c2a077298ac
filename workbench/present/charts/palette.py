"""Colours shared by the charts: one meaning each, and text that passes WCAG AA (4.5:1)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import altair as alt

#: The highlighted variant, wherever it is drawn (5.2:1 on white, so its labels read too).
HIGHLIGHT = "#c23b50"
#: Causes the team added by hand on the fishbone (5.0:1 on white).
MANUAL = "#4f7a38"
#: Text on light and on dark fills.
DARK_TEXT = "#000000"
LIGHT_TEXT = "#ffffff"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(text: str, background: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21; AA asks 4.5 for text).

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    light, dark = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill``."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda t: contrast(t, fill))


#: Axis labels and titles, legends, headers and chart titles: Vega's defaults and Streamlit's
#: theme write them in light greys (Streamlit's #808495 is 3.7:1 on white), which a projector
#: washes out. This one is 12.5:1 on white.
CHART_TEXT = "#31333f"
#: The colours every chart's text is drawn in, as Vega-Lite ``config`` (a chart's own colours
#: for its marks still win).
CHART_CONFIG: dict[str, dict[str, Any]] = {
    "axis": {"labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
    "legend": {"labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
    "header": {"labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
    "title": {"color": CHART_TEXT, "subtitleColor": CHART_TEXT},
    "text": {"color": CHART_TEXT},
}


_P = ParamSpec("_P")
_C = TypeVar("_C", bound=alt.TopLevelMixin)


def readable(chart: _C) -> _C:
    """``chart`` with its axes, legends and titles written in :data:`CHART_TEXT`."""
    c = CHART_CONFIG  # each part on its own: the chart's other settings (its view ...) stay
    return (  # type: ignore[no-any-return]
        chart.configure_axis(**c["axis"])
        .configure_legend(**c["legend"])
        .configure_header(**c["header"])
        .configure_title(**c["title"])
        .configure_text(**c["text"])
    )


def readable_charts(make: Callable[_P, _C]) -> Callable[_P, _C]:
    """``make``, whose charts come out :func:`readable`: the charts package hands out every
    chart function this way, so no chart reaches a page or a report in grey."""

    @wraps(make)
    def drawn(*args: _P.args, **kwargs: _P.kwargs) -> _C:
        return readable(make(*args, **kwargs))

    return drawn
