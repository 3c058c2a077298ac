"""Colours shared by the charts: one meaning each."""

from __future__ import annotations

#: The highlighted variant, wherever it is drawn.
HIGHLIGHT = "#d1495b"
