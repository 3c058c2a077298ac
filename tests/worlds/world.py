"""What every generated world shares: its random draws, its calendar, its stories and its files.

A world writes one CSV event log and a ``truth.json`` describing the stories planted in it (see
``README.md`` beside this file for the format). Draws come from :class:`random.Random` and only
through ``random()``, whose sequence for a given seed Python promises to keep across versions, so
a world's bytes depend on nothing but its seed and arguments.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

KINDS = ("incident", "segment", "drift", "pattern")
# Which moves also name a touchpoint story: those leaving it (what follows the point changed),
# those entering it (what precedes it changed, e.g. the wait before an answer), or either.
MOVE_SIDES = ("leaving", "entering", "either")


class Draws:
    """Seeded random draws built on ``random()`` alone (see the module docstring)."""

    def __init__(self, world: str, seed: int) -> None:
        self._random = random.Random(f"{world}:{seed}").random

    def u(self) -> float:
        """A uniform draw in [0, 1)."""
        return self._random()

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self._random() < p

    def pick(self, items: Sequence[T], weights: Sequence[float] | None = None) -> T:
        """One of ``items``, uniformly or by ``weights`` (which need not sum to one)."""
        if weights is None:
            return items[int(self._random() * len(items))]
        x = self._random() * sum(weights)
        for item, w in zip(items, weights, strict=True):
            x -= w
            if x < 0:
                return item
        return items[-1]

    def repeats(self, mean: float, cap: int = 12) -> int:
        """How many times something repeats: geometric with the given mean, at most ``cap``."""
        go_on = mean / (1.0 + mean)
        n = 0
        while n < cap and self._random() < go_on:
            n += 1
        return n

    def count(self, mean: float) -> int:
        """A Poisson count with the given (small) mean."""
        limit, n, prod = math.exp(-mean), 0, self._random()
        while prod > limit:
            n += 1
            prod *= self._random()
        return n

    def normal(self) -> float:
        """A standard normal draw (Box-Muller)."""
        u1 = 1.0 - self._random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * self._random())

    def lognormal(self, median: float, sigma: float) -> float:
        """A positive duration around ``median`` with spread ``sigma`` (on the log scale)."""
        return median * math.exp(sigma * self.normal())


@dataclass(frozen=True)
class Calendar:
    """The weeks a world covers, starting on a Monday."""

    start: datetime
    weeks: int

    def __post_init__(self) -> None:
        if self.weeks < 8:
            raise ValueError(
                f"a world needs at least 8 weeks to place its stories, not {self.weeks}"
            )

    @property
    def end(self) -> datetime:
        return self.start + timedelta(weeks=self.weeks)

    def week(self, n: float) -> datetime:
        """The start of week ``n`` (0-based; fractions allowed)."""
        return self.start + timedelta(weeks=n)

    def scaled(self, weeks: tuple[int, int]) -> tuple[datetime, datetime]:
        """The start of two weeks given for a 16-week world, placed alike in this one."""
        lo, hi = weeks
        return self.week(round(lo * self.weeks / 16)), self.week(round(hi * self.weeks / 16))

    def week_of(self, t: datetime) -> float:
        """Weeks since the start, as a fraction."""
        return (t - self.start).total_seconds() / (7 * 86_400)

    def moment(self, d: Draws, hours: Sequence[float], weekdays: Sequence[float]) -> datetime:
        """A random moment in the period: a week uniformly, then a weekday and an hour by weight
        (``hours`` has 24 weights, ``weekdays`` 7, Monday first)."""
        day = int(d.u() * self.weeks) * 7 + d.pick(range(7), weekdays)
        hour = d.pick(range(24), hours)
        return self.start + timedelta(days=day, hours=hour, seconds=int(d.u() * 3600))

    def ramp(self, t: datetime, first_week: float) -> float:
        """0 before ``first_week``, rising linearly to 1 at the end of the period."""
        return min(1.0, max(0.0, (self.week_of(t) - first_week) / (self.weeks - first_week)))


@dataclass(frozen=True)
class Story:
    """One planted story as ``truth.json`` describes it.

    A story sits at a touchpoint (``touchpoint``, with ``moves`` saying which moves also name
    it) or at a move (``source`` -> ``target``). ``start``/``end`` bound it in time (``end``
    exclusive); ``rate_inside`` is the planted rate inside the story (for a drift: at the end of
    the period, having risen from ``rate_inside_start``), ``rate_outside`` elsewhere.
    """

    name: str
    kind: str
    signal: str
    measure: str
    rate_inside: float
    rate_outside: float
    touchpoint: str | None = None
    moves: str | None = None
    source: str | None = None
    target: str | None = None
    segment: tuple[str, str] | None = None
    start: date | None = None
    end: date | None = None
    unit: str = "share"
    rate_inside_start: float | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"story kind {self.kind!r} is not one of {KINDS}")
        if (self.touchpoint is None) == (self.source is None or self.target is None):
            raise ValueError(f"story {self.name!r} needs a touchpoint or a source and a target")
        if self.touchpoint is not None and self.moves not in MOVE_SIDES:
            raise ValueError(f"story {self.name!r}: moves must be one of {MOVE_SIDES}")

    def to_json(self) -> dict[str, Any]:
        point: dict[str, str | None]
        if self.touchpoint is not None:
            point = {"touchpoint": self.touchpoint, "moves": self.moves}
        else:
            point = {"source": self.source, "target": self.target}
        out: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "point": point,
            "signal": self.signal,
            "segment": (
                None
                if self.segment is None
                else {"attribute": self.segment[0], "value": self.segment[1]}
            ),
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "measure": self.measure,
            "unit": self.unit,
            "rate_inside": self.rate_inside,
            "rate_outside": self.rate_outside,
        }
        if self.rate_inside_start is not None:
            out["rate_inside_start"] = self.rate_inside_start
        out["description"] = self.description
        return out


def write_world(
    out: Path,
    *,
    world: str,
    seed: int,
    stories_planted: bool,
    calendar: Calendar,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    columns: dict[str, Any],
    goals: Sequence[str],
    stories: Sequence[Story],
    structure: Sequence[Story] = (),
    delimiter: str = ",",
    time_format: str,
    description: str,
) -> dict[str, Any]:
    """Write ``events.csv`` and ``truth.json`` into ``out``; return the truth. ``structure``
    lists the differences between segments that the world's process has in both twins (see
    :mod:`tests.worlds.harness`)."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    with (out / "events.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow("" if v is None else v for v in row)
            n += 1
    truth = {
        "world": world,
        "description": description,
        "seed": seed,
        "stories_planted": stories_planted,
        "period": {
            "start": calendar.start.date().isoformat(),
            "end": calendar.end.date().isoformat(),
        },
        "files": {"events": "events.csv"},
        "format": {"delimiter": delimiter, "time_format": time_format, "encoding": "utf-8"},
        "rows": n,
        "columns": columns,
        "goals": list(goals),
        "stories": [s.to_json() for s in stories],
        "structure": [s.to_json() for s in structure],
    }
    (out / "truth.json").write_text(
        json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return truth
