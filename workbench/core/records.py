"""Result tables as plain rows: typed dictionaries for code, JSON-safe values for output."""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
import pandas as pd


def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dictionaries keyed by column name."""
    return cast("list[dict[str, Any]]", frame.to_dict(orient="records"))


def plain(value: Any) -> Any:
    """A value JSON can hold: NaN and NA become None, numpy scalars Python numbers, times ISO."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (list, tuple, np.ndarray)):  # lists from Arrow arrive as arrays
        return [plain(x) for x in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, str):
        return plain(value.item())
    return value


def json_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` with every value made JSON-safe.

    Examples
    --------
    >>> json_rows(pd.DataFrame({"a": [1.5, float("nan")], "b": [[1, 2], None]}))
    [{'a': 1.5, 'b': [1, 2]}, {'a': None, 'b': None}]
    """
    return [{k: plain(v) for k, v in row.items()} for row in rows(frame)]
