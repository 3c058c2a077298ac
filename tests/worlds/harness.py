"""Score a friction ranking against the stories a world planted (its ``truth.json``).

A ranking is a table with at least the columns of :data:`RANKING_COLUMNS`, best first by
``score``; ``finding`` (incident, segment, chronic, pattern) and ``explanation`` are optional.
Only the top ``k`` rows count. The rules:

Point
    A row names a touchpoint story when its ``touchpoint`` is the story's touchpoint, or when it
    is a move (``source`` -> ``target``) on the side of the point the story's ``moves`` allows:
    ``leaving`` (what follows the point changed: conversion, drop-off, retry), ``entering``
    (what precedes it changed: the wait before an answer, the escalation step a team sends
    cases to) or ``either``. A row that merges several signals at its point (its ``signals``
    list) names the touchpoints its moves go to, entering them: a row at *Resolved* whose
    signals include the move to *Reopened* names *Reopened*. A row names a move story when its
    source and target are the story's; for a loop, the reverse move also names it, and so does
    a row of a ``loop`` kind whose touchpoint is either end. Names are compared ignoring case
    and surrounding spaces.
Period
    Incidents: the row's ``active_from`` and ``active_to`` each lie within a week of the planted
    start and end. Drifts: the row's period overlaps the planted one and is still active within a
    week of its end, where the drift is strongest (when the rise was noticed is left open).
    Segment stories and the pattern: no period is asked for.
Segment
    Segment and drift stories: the row's ``segment`` (or ``explanation``) contains the planted
    value as a whole word, ignoring case. Incidents are identified by their period; a segment
    they are tied to is not asked for.
Structure
    A world may list in ``structure`` the differences between segments its process has in both
    twins (a second line that takes a day, groups that receive other groups' tickets and send
    them on). They are true, not stories: a null twin's segment finding that names one is no
    false alarm (:func:`null_score`), and :func:`structure_found` says which were found.
Pattern
    The planted normal loop must not be named by any top-``k`` row, except rows whose
    ``finding`` is ``pattern`` (the analysis named it for what it is).

A row whose ``finding`` is ``pattern`` never finds a story. The ranking's ``kind`` (transfer,
loop, wait ...) is not compared with the story's signal.

Examples
--------
>>> import pandas as pd
>>> truth = {"world": "toy", "stories": [{"name": "outage", "kind": "incident",
...     "point": {"touchpoint": "payment", "moves": "leaving"}, "signal": "conversion",
...     "segment": None, "start": "2026-01-05", "end": "2026-01-26"}]}
>>> ranking = pd.DataFrame([{"kind": "drop_off", "touchpoint": "payment", "source": None,
...     "target": None, "segment": None, "active_from": "2026-01-07", "active_to": "2026-01-25",
...     "score": 3.0}])
>>> score(ranking, truth).ok
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pandas as pd

RANKING_COLUMNS = (
    "kind",
    "touchpoint",
    "source",
    "target",
    "segment",
    "active_from",
    "active_to",
    "score",
)
FINDINGS = ("incident", "segment", "chronic", "pattern")
WEEK = pd.Timedelta(timedelta(days=7))


@dataclass(frozen=True)
class StoryResult:
    """How one planted story fared: ``ok`` is found for a story, kept out for the pattern."""

    name: str
    kind: str
    point: str
    ok: bool
    rank: int | None
    note: str


@dataclass(frozen=True)
class Score:
    """The result of scoring one ranking against one world's truth."""

    world: str
    k: int
    results: tuple[StoryResult, ...]

    @property
    def found(self) -> tuple[str, ...]:
        """Names of the stories found in the top ``k``."""
        return tuple(r.name for r in self.results if r.kind != "pattern" and r.ok)

    @property
    def missed(self) -> tuple[str, ...]:
        """Names of the stories not found in the top ``k``."""
        return tuple(r.name for r in self.results if r.kind != "pattern" and not r.ok)

    @property
    def pattern_in_top(self) -> tuple[str, ...]:
        """Names of the normal patterns reported as friction in the top ``k``."""
        return tuple(r.name for r in self.results if r.kind == "pattern" and not r.ok)

    @property
    def ok(self) -> bool:
        """Every story found and no pattern in the top ``k``."""
        return all(r.ok for r in self.results)

    def result(self, name: str) -> StoryResult:
        """The result of the story called ``name``."""
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(name)

    def summary(self) -> str:
        """A few lines for a person: one per story, what was found where and why not."""
        stories = [r for r in self.results if r.kind != "pattern"]
        head = (
            f"{self.world}: {len(self.found)} of {len(stories)} stories found in the top "
            f"{self.k}; "
            + (
                "pattern kept out"
                if not self.pattern_in_top
                else f"pattern in the top {self.k}: {', '.join(self.pattern_in_top)}"
            )
        )
        lines = [head]
        for r in self.results:
            mark = "ok  " if r.ok else "MISS" if r.kind != "pattern" else "FAIL"
            lines.append(f"  {mark} {r.kind:<8} {r.name:<24} {r.point:<40} {r.note}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def score(ranking: pd.DataFrame, truth: dict[str, Any], k: int = 5) -> Score:
    """Score ``ranking`` against ``truth`` (a world's ``truth.json``, read); see the module
    docstring for the rules."""
    table = _ranked(ranking)
    results = []
    for story in truth["stories"]:
        if story["kind"] == "pattern":
            results.append(_pattern_result(table, story, k))
        else:
            results.append(_story_result(table, story, k))
    return Score(str(truth.get("world", "?")), k, tuple(results))


def null_score(
    ranking: pd.DataFrame, k: int | None = None, truth: dict[str, Any] | None = None
) -> int:
    """How many rows (of the top ``k``, or all) a ranking of a null twin reports as incident or
    segment findings that are not true: a null twin has no story to find, so anything above 0 is
    a false alarm. A world whose own structure differs by segment (``truth["structure"]``: the
    same in both twins, such as a second line that takes longer because it gets the hard cases)
    has those differences to find; a segment finding that names one is not counted."""
    if "finding" not in ranking.columns:
        raise ValueError("null_score needs the ranking's `finding` column")
    table = _ranked(ranking)
    if k is not None:
        table = table.head(k)
    facts = [] if truth is None else truth.get("structure", [])
    return sum(
        1
        for row in table.to_dict("records")
        if _finding(row) in ("incident", "segment")
        and not (_finding(row) == "segment" and any(_states(row, fact) for fact in facts))
    )


def structure_found(ranking: pd.DataFrame, truth: dict[str, Any]) -> tuple[str, ...]:
    """The names of the world's structural differences (``truth["structure"]``) that a segment
    finding of ``ranking`` states: they are true, so an analysis with power finds them."""
    rows = [r for r in _ranked(ranking).to_dict("records") if _finding(r) == "segment"]
    return tuple(
        fact["name"]
        for fact in truth.get("structure", [])
        if any(_states(row, fact) for row in rows)
    )


def _states(row: dict[str, Any], fact: dict[str, Any]) -> bool:
    """Whether ``row`` names the point and the segment of ``fact`` (a structural difference)."""
    return _names_point(row, fact) and _segment_problem(row, fact) is None


def _ranked(ranking: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in RANKING_COLUMNS if c not in ranking.columns]
    if missing:
        raise ValueError(f"the ranking lacks the column(s) {', '.join(missing)}")
    # the ranking's own order when it gives one (its rank), else by score
    order = "rank" if "rank" in ranking.columns else "score"
    return ranking.sort_values(order, ascending=order == "rank", kind="stable").reset_index(
        drop=True
    )


def _story_result(table: pd.DataFrame, story: dict[str, Any], k: int) -> StoryResult:
    point = _point_text(story)
    named = [
        (i + 1, row)
        for i, row in enumerate(table.to_dict("records"))
        if _finding(row) != "pattern" and _names_point(row, story)
    ]
    top = [(rank, row) for rank, row in named if rank <= k]
    if not top:
        note = f"not in the top {k}"
        if named:
            note += f" (named first at rank {named[0][0]})"
        return StoryResult(story["name"], story["kind"], point, False, None, note)
    problems = []
    for rank, row in top:
        why = _period_problem(row, story) or _segment_problem(row, story)
        if why is None:
            return StoryResult(story["name"], story["kind"], point, True, rank, f"rank {rank}")
        problems.append(f"rank {rank}: {why}")
    return StoryResult(story["name"], story["kind"], point, False, None, "; ".join(problems))


def _pattern_result(table: pd.DataFrame, story: dict[str, Any], k: int) -> StoryResult:
    point = _point_text(story)
    for i, row in enumerate(table.head(k).to_dict("records")):
        if _finding(row) != "pattern" and _names_point(row, story):
            return StoryResult(
                story["name"],
                "pattern",
                point,
                False,
                i + 1,
                f"reported as friction at rank {i + 1}",
            )
    return StoryResult(story["name"], "pattern", point, True, None, f"kept out of the top {k}")


def _moves_to(row: dict[str, Any]) -> set[str | None]:
    """The touchpoints the moves merged into a row go to (its ``signals`` of kind move)."""
    signals = row.get("signals")
    if not isinstance(signals, (list, tuple)):
        return set()
    return {
        _name(s.get("target")) for s in signals if isinstance(s, dict) and s.get("signal") == "move"
    }


def _names_point(row: dict[str, Any], story: dict[str, Any]) -> bool:
    p = story["point"]
    tp, src, tgt = _name(row.get("touchpoint")), _name(row.get("source")), _name(row.get("target"))
    if "touchpoint" in p:
        t = _name(p["touchpoint"])
        side = p.get("moves") or "either"
        return (
            tp == t
            or (side in ("leaving", "either") and src == t)
            or (side in ("entering", "either") and (tgt == t or t in _moves_to(row)))
        )
    s, g = _name(p["source"]), _name(p["target"])
    if (src, tgt) == (s, g):
        return True
    if story.get("signal") == "loop":
        is_loop_row = "loop" in (_name(row.get("kind")) or "")
        return (src, tgt) == (g, s) or (is_loop_row and tp in (s, g))
    return False


def _period_problem(row: dict[str, Any], story: dict[str, Any]) -> str | None:
    if story["kind"] not in ("incident", "drift"):
        return None
    start, end = _day(story["start"]), _day(story["end"])
    lo, hi = _day(row.get("active_from")), _day(row.get("active_to"))
    if start is None or end is None:
        return None
    if lo is None or hi is None:
        return "no period given"
    given = f"period {lo.date()}..{hi.date()}"
    planted = f"{start.date()}..{end.date()}"
    if story["kind"] == "incident":
        if abs(lo - start) > WEEK or abs(hi - end) > WEEK:
            return f"{given} is not within a week of the planted {planted}"
        return None
    if hi < start or lo > end or hi < end - WEEK:
        return f"{given} does not reach the end of the drift {planted}"
    return None


def _segment_problem(row: dict[str, Any], story: dict[str, Any]) -> str | None:
    segment = story.get("segment")
    if segment is None or story["kind"] not in ("segment", "drift"):
        return None
    value = str(segment["value"])
    pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE)
    texts = [row.get("segment"), row.get("explanation")]
    if any(pattern.search(str(t)) for t in texts if not _missing(t)):
        return None
    return f"segment {segment['attribute']}={value} not named"


def _finding(row: dict[str, Any]) -> str | None:
    return _name(row.get("finding"))


def _name(value: Any) -> str | None:
    return None if _missing(value) else str(value).strip().casefold()


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and dicts: present
        return False


def _day(value: Any) -> pd.Timestamp | None:
    if _missing(value):
        return None
    t = pd.Timestamp(value)
    if t.tzinfo is not None:
        t = t.tz_convert("UTC").tz_localize(None)
    return t


def _point_text(story: dict[str, Any]) -> str:
    p = story["point"]
    text = p["touchpoint"] if "touchpoint" in p else f"{p['source']} -> {p['target']}"
    if story.get("segment"):
        text += f" [{story['segment']['attribute']}={story['segment']['value']}]"
    if story.get("start"):
        text += f" {story['start']}..{story['end']}"
    return text
