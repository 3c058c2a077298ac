"""Where a friction point is concentrated: the attribute value (device, team, segment ...)
whose journeys meet it most, beyond the rest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from workbench.analyses.friction.candidates import as_objects
from workbench.analyses.friction.counts import Visits
from workbench.analyses.friction.signals import MECHANISMS
from workbench.core import db
from workbench.core.db import quote_ident
from workbench.core.records import rows
from workbench.core.stats import adjust, compare
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import journey_values, segment_attributes


def _concentration_views(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    attrs: Sequence[str],
    at: Sequence[str],
    moves: Sequence[tuple[str, str]],
) -> None:
    """The inputs of ``friction/concentration``: ``concentration_journeys`` (every journey's
    value of each attribute, kept on the model), ``concentration_visits``, the visits to the
    touchpoints ``at`` with their contact signals and each attribute's value for the step (its
    own, else its journey's), ``concentration_steps``, the same visits with whether the journey
    dropped off there, and ``concentration_moves``, the steps that make one of the transitions
    ``moves`` (source, target). A touchpoint's signals come from its own visits alone, and a
    transition's loops from the steps that make it, so keeping only these leaves their counts
    exact."""
    table = journey_values(model, cur, list(attrs))
    db.view_over(cur, "concentration_journeys", quote_ident(table))
    events = model.log.attributes
    points = [{"touchpoint": t} for t in at]
    db.materialize(
        cur,
        "duckdb/friction/concentration_points",
        "concentration_points",
        temp=True,
        at=points,
        no_points=not at,
    )
    db.create_view(
        cur,
        "duckdb/friction/concentration_visits",
        "concentration_visits",
        temp=True,
        at=points,
        no_points=not at,
        steps=[{"attribute": a, "column": f"attr:{a}"} for a in attrs if a in events],
        journeys=[{"column": f"attr:{a}"} for a in attrs if a not in events],
    )
    db.create_view(cur, "duckdb/friction/concentration_steps", "concentration_steps", temp=True)
    db.create_view(
        cur,
        "duckdb/friction/concentration_moves",
        "concentration_moves",
        temp=True,
        moves=[{"source": s, "target": t} for s, t in moves],
        no_moves=not moves,
    )


# -- concentration ------------------------------------------------------------------------------


def concentrate(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    head: pd.DataFrame,
    roles: Any,
    alpha: float,
    visits: Visits,
) -> pd.DataFrame:
    """For each point, the attribute value where its headline signal is most concentrated."""
    signal_attrs = {
        roles.churned,
        roles.transferred,
        roles.resolved,
        roles.abandoned,
        roles.wait,
        roles.handled_by if roles.handled_by != "team" else None,
    }
    attrs = [a for a in segment_attributes(model) if a not in signal_attrs]
    # a touchpoint point is read from its visits, a loop from the steps making its transition
    at = sorted({str(t) for t in head["touchpoint"] if isinstance(t, str)})
    moves = sorted(
        {
            (str(s), str(t))
            for s, t in zip(head["source"], head["target"], strict=True)
            if isinstance(s, str) and isinstance(t, str)
        }
    )
    head = head.copy()
    head["concentration"] = None
    if not (attrs and (at or moves)):
        return head
    allc, found = _concentration_counts(cur, model, attrs, at, moves, visits)
    groups = {key: part for key, part in allc.groupby(["point", "signal"], sort=False)}

    def best(point: Any, signal: str) -> dict[str, Any] | None:
        key = (str(point), signal, alpha)
        if key not in found:
            part = groups.get(key[:2])
            found[key] = None if part is None else _best_value(part, alpha)
        value = found[key]
        return None if value is None else dict(value)

    heads: list[dict[str, Any] | None] = []
    per_signal: list[list[dict[str, Any]]] = []
    for row in rows(head):
        heads.append(best(row["point"], str(row["signal"])))
        items = []
        for item in row["signals"]:
            extra = {}
            if item["signal"] in MECHANISMS:
                extra = {"concentration": best(row["point"], item["signal"])}
            items.append({**item, **extra})
        per_signal.append(items)
    head["concentration"] = as_objects(head, heads)
    head["signals"] = as_objects(head, per_signal)
    return head


class _Concentrations:
    """The concentration counts of one set of visits and attributes, as far as they are
    counted: which touchpoints and moves they cover, their frames, and each (point, signal,
    alpha)'s best value once found."""

    def __init__(self, parts: list[tuple[str, list[pd.DataFrame]]]) -> None:
        self.at: set[str] = set()
        self.moves: set[tuple[str, str]] = set()
        self.frames: list[pd.DataFrame] = []
        self.best: dict[tuple[str, str, float], dict[str, Any] | None] = {}
        for points, (frame,) in parts:
            self.add(json.loads(points), frame)

    def add(self, points: dict[str, Any], frame: pd.DataFrame) -> None:
        self.at.update(points["at"])
        self.moves.update((s, t) for s, t in points["moves"])
        self.frames.append(_concentration_frame(frame))


def _concentration_counts(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    attrs: list[str],
    at: list[str],
    moves: list[tuple[str, str]],
    visits: Visits,
) -> tuple[pd.DataFrame, dict[tuple[str, str, float], dict[str, Any] | None]]:
    """``friction/concentration``'s counts for the touchpoints ``at`` and transitions
    ``moves``, with a ``point`` column, and the dict that keeps each (point, signal, alpha)'s
    best value found. Each point's counts depend on that point alone, so they are held by the
    model's cache (for the current visits) and only points not counted yet are read:
    re-weighting the ranking brings new points to the top, not new work for the old ones. A
    model kept in its dataset keeps each batch of points' counts there too, for the next
    session."""
    key = (visits.key, tuple(attrs))
    done: _Concentrations = model.cache.get_or_run(
        "concentration",
        key,
        lambda: _Concentrations(model.cache.parts("concentration", key, cur)),
        relations=True,
    )
    new_at = [t for t in at if t not in done.at]
    new_moves = [m for m in moves if m not in done.moves]
    if new_at or new_moves:
        visits.ensure()
        _concentration_views(cur, model, attrs, new_at, new_moves)
        points = {"at": new_at, "moves": [list(m) for m in new_moves]}
        (allc,) = model.cache.add_part(
            "concentration",
            key,
            [db.run(cur, "friction/concentration")],
            json.dumps(points),
            cur,
        )
        for view in ("concentration_visits", "concentration_steps", "concentration_moves"):
            db.drop_view(cur, view)
        db.drop_table(cur, quote_ident("concentration_points"))
        done.add(points, allc)
    counted: pd.DataFrame = pd.concat(done.frames, ignore_index=True)
    return counted, done.best


def _concentration_frame(allc: pd.DataFrame) -> pd.DataFrame:
    """``friction/concentration``'s answer with plain attribute names and a ``point`` column
    (a touchpoint, or "source → target"), without the journeys that have no value."""
    allc["attribute"] = allc["attribute"].str.removeprefix("attr:")
    allc["point"] = np.where(
        allc["point_type"] == "touchpoint",
        allc["touchpoint"],
        allc["source"] + " → " + allc["target"],
    )
    return allc[allc["segment"] != "(none)"]


def _best_value(mine: pd.DataFrame, alpha: float) -> dict[str, Any] | None:
    """The attribute value where one signal at one point is most concentrated, or None.

    ``mine`` holds the signal's ``units`` and ``affected`` at the point per ``attribute`` and
    value (``segment``); each value is tested against the point's other values of the same
    attribute."""
    mine = mine.copy()
    # each value against the point's other values of the same attribute
    tot = mine.groupby("attribute")[["affected", "units"]].transform("sum")
    mine["rest_k"] = tot["affected"] - mine["affected"]
    mine["rest_n"] = tot["units"] - mine["units"]
    mine = mine[(mine["units"] >= 20) & (mine["affected"] >= 5) & (mine["rest_n"] >= 20)]
    if mine.empty:
        return None
    mine = mine.reset_index(drop=True)
    stats = compare(mine["affected"], mine["units"], mine["rest_k"], mine["rest_n"])
    mine = pd.concat([mine.drop(columns=[c for c in stats.columns if c in mine]), stats], axis=1)
    mine["q"] = adjust(mine["p_value"])
    mine = mine[(mine["q"] < alpha) & (mine["lift"] > 1.5)]
    if mine.empty:
        return None
    top = mine.sort_values(
        ["lift", "affected", "attribute", "segment"],
        ascending=[False, False, True, True],
        kind="stable",
    ).iloc[0]
    return {
        "attribute": str(top["attribute"]),
        "value": str(top["segment"]),
        "rate": float(top["rate"]),
        "rest_rate": float(top["base_rate"]),
        "lift": float(top["lift"]),
        "units": int(top["units"]),
        "affected": int(top["affected"]),
        "q_value": float(top["q"]),
    }
