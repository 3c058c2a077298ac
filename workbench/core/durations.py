"""Durations as people write them ("30min", "2 h", "7d") and as people read them ("4.2 min").

Every setting that takes a duration (session gap, repeat window, long wait, survey window) is
read by :func:`parse_duration`; every duration shown to a person is written by
:func:`format_duration`.
"""

from __future__ import annotations

import math
import re

from workbench.core.errors import ValidationError

_UNITS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}


def parse_duration(value: str | int | float, setting: str = "duration") -> float:
    """Seconds in a duration such as ``"30min"``, ``"2h"``, ``"1 day"`` or ``90`` (seconds).

    ``setting`` names what the duration is for (``"session gap"``, ``"repeat window"`` ...):
    a value that is not a duration raises a :class:`ValidationError` titled ``Bad <setting>``.

    Examples
    --------
    >>> parse_duration("30min"), parse_duration("2 h"), parse_duration(90)
    (1800.0, 7200.0, 90.0)
    >>> parse_duration("soon", "repeat window")
    Traceback (most recent call last):
    ...
    workbench.core.errors.ValidationError: Bad repeat window: 'soon' is not a repeat window. ...
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", str(value))
        unit = m.group(2).lower() if m else ""
        if not m or (unit and unit not in _UNITS):
            raise ValidationError(
                f"'{value}' is not a {setting}. Write a number and a unit, e.g. 30min, 2h, 1d "
                "or 90s.",
                f"Bad {setting}",
            )
        seconds = float(m.group(1)) * _UNITS[unit or "s"]
    if seconds <= 0:
        raise ValidationError(f"The {setting} must be longer than zero.", f"Bad {setting}")
    return seconds


def format_duration(seconds: float | None) -> str:
    """Short human duration: ``"45 s"``, ``"4.2 min"``, ``"3.1 h"``, ``"2.4 d"``.

    Examples
    --------
    >>> format_duration(42), format_duration(252), format_duration(11160), format_duration(207360)
    ('42 s', '4.2 min', '3.1 h', '2.4 d')
    """
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    s = float(seconds)
    if s < 90:
        return f"{s:.0f} s"
    if s < 90 * 60:
        return f"{s / 60:.1f} min"
    if s < 36 * 3600:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} d"
