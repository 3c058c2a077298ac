"""Colours shared by the charts: one meaning each, and text that passes WCAG AA (4.5:1)."""

from __future__ import annotations

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
