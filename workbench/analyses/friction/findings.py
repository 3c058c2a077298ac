"""Findings against baselines: count every move, then find the incidents and the segment
breakages (see :mod:`workbench.analyses.friction.changes`) as rows of a friction ranking."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pandas as pd

from workbench.analyses.attributes import AttributeRoles
from workbench.analyses.friction.changes import (
    END,
    MIN_WEEKS,
    Floors,
    incidents,
    merged,
    segment_gaps,
    sentence,
    series_table,
    tested_incidents,
    tested_segments,
)
from workbench.analyses.friction.reaches import (
    AGAIN,
    NO_GOAL,
    below_floor,
    has_history,
    journey_echoes,
    journey_series,
    period_note,
)
from workbench.analyses.friction.signals import RANKING_COLUMNS
from workbench.core import db
from workbench.core.records import rows
from workbench.ingest.vocabulary import is_purpose
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import segment_attributes

#: What each kind of finding was compared with.
BASELINES = {
    "incident": "its own history",
    "segment": "the other values of {attribute} at this point",
}


class Changes(NamedTuple):
    """What :func:`find_changes` finds: the findings as ranking rows, each one's series period by
    period, what was too thin to test (:func:`~.reaches.below_floor`), and how the history was
    read when not week by week (:func:`~.reaches.period_note`)."""

    table: pd.DataFrame
    weekly: pd.DataFrame
    below_floor: pd.DataFrame
    note: str = ""


def find_changes(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    floors: Floors,
    roles: AttributeRoles | None = None,
    goals: Sequence[str] = (),
) -> Changes:
    """The incidents and segment findings of ``model`` (its outcomes prepared on ``cur``), as
    ranking rows (highest score first), and each one's series period by period (``point_id``
    is the row's place in the first table, from 1). Attributes that ``roles`` recognised as a
    signal or an outcome (a transfer flag, churn ...) are not segments: they restate what they
    would explain. The moves (:mod:`.changes`) and the journeys that reach each point
    (:mod:`.reaches`) are watched alike."""
    weeks = _weeks(cur)
    daily = weeks < MIN_WEEKS
    db.materialize(cur, "duckdb/friction/moves", "moves", temp=True, daily=daily)
    db.materialize(
        cur, "duckdb/friction/reaches", "reaches", temp=True, daily=daily,
        has_goals=bool(goals), goals=list(goals) or ["-"],
    )  # fmt: skip
    reach = db.run(cur, "duckdb/friction/reach_counts")
    series = pd.concat(
        [series_table(db.run(cur, "duckdb/friction/move_counts"), goals), journey_series(reach)],
        ignore_index=True,
    )
    segments, reach_segments = _segment_series(model, cur, _not_segments(roles), goals)
    below = below_floor(reach, reach_segments, floors.units)
    found = (
        tested_incidents(incidents(series, floors), floors)
        if has_history(weeks)
        else pd.DataFrame()
    )
    found = _concentrated(found, segments)
    gaps = tested_segments(segment_gaps(segments, floors), floors) if len(segments) else None
    parts = [_incident_rows(found)]
    if gaps is not None and not gaps.empty:
        parts.append(_segment_rows(_with_periods(gaps, segments, floors)))
    parts = [p for p in parts if not p.empty]
    if not parts:
        nothing = pd.DataFrame(columns=["point_id", "week", "units", "affected", "rate"])
        return Changes(pd.DataFrame(), nothing, below, period_note(weeks))
    table = _without_echoes(pd.concat(parts, ignore_index=True))
    table = table[~journey_echoes(cur, table)]
    table = table.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    table["active_to"] = _period_ends(table["active_to"], daily)
    for end in ("active_from", "active_to"):  # dates as the other rows give them
        table[end] = [
            pd.Timestamp(v).date().isoformat() if pd.notna(v) else None for v in table[end]
        ]
    table["explanation"] = [sentence(r) for r in rows(table)]
    table = table.drop(columns="alike", errors="ignore")  # said in the explanation
    return Changes(table, _weekly(table, series, segments), below, period_note(weeks))


def _without_echoes(table: pd.DataFrame) -> pd.DataFrame:
    """An incident named for a segment that a segment finding at the same point already
    reports (as its segment or one alike) is that finding seen in the whole series: left out."""
    if "segment" not in table.columns:
        return table
    seg = table[table["finding"] == "segment"]
    alikes: list[Any] = (
        seg["alike"].tolist() if "alike" in seg.columns else [[] for _ in range(len(seg))]
    )
    said = {
        (source, named)
        for source, segment, alike in zip(seg["source"], seg["segment"], alikes, strict=True)
        for named in (segment, *(alike if isinstance(alike, list) else []))
    }
    echo = (table["finding"] == "incident") & np.array(
        [(s, g) in said for s, g in zip(table["source"], table["segment"], strict=True)]
    )
    kept = table[~echo]
    return kept[~_incident_in_a_segment(kept)]


def _incident_in_a_segment(table: pd.DataFrame) -> pd.Series:
    """Segment findings with a period of their own that are an incident at the same move, in
    the same weeks, seen in one segment (the team that sends the bounced cases back): the
    incident tells that story; the segment row is left out. Moves only: a journey signal's
    incident may itself be left out as an echo (:func:`.reaches.journey_echoes`)."""
    moves = ["source", "target", "signal"]
    inc = table[(table["finding"] == "incident") & (table["signal"] == "move")]
    flags = [False] * len(table)
    if inc.empty or "active_from" not in table.columns:
        return pd.Series(flags, index=table.index)
    candidates = (table["finding"] == "segment") & table["active_from"].notna()
    for pos, (wanted, r) in enumerate(zip(candidates, rows(table), strict=True)):
        if not wanted:
            continue
        same = inc[(inc[moves] == pd.Series({m: r[m] for m in moves})).all(axis=1)]
        flags[pos] = bool(
            (
                (same["active_from"] <= r["active_to"]) & (r["active_from"] <= same["active_to"])
            ).any()
        )
    return pd.Series(flags, index=table.index)


def _period_ends(starts: pd.Series, daily: bool) -> pd.Series:
    """The last day of each period that starts at ``starts`` (a week's Sunday)."""
    return pd.to_datetime(starts) + pd.Timedelta(days=0 if daily else 6)


def _weeks(cur: duckdb.DuckDBPyConnection) -> float:
    weeks = db.run(cur, "duckdb/friction/log_weeks")["weeks"].iloc[0]
    return 0.0 if pd.isna(weeks) else float(weeks)


def _not_segments(roles: AttributeRoles | None) -> set[str]:
    if roles is None:
        return set()
    said = (roles.wait, roles.transferred, roles.resolved, roles.abandoned, roles.churned)
    return {a for a in (*said, roles.interaction_id, roles.revenue) if a}


def _segment_series(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    leave_out: set[str],
    goals: Sequence[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every series of every segment value (moves and journeys alike), and the journey counts
    by segment value they were made from."""
    log = model.log
    attrs = [a for a in segment_attributes(model) if a not in leave_out]
    events = [a for a in attrs if a in log.attributes]
    customers = [a for a in attrs if a not in log.attributes]
    moves, reach = [], []
    if events:
        moves.append(db.run(cur, "duckdb/friction/move_segments", attributes=events))
        reach.append(db.run(cur, "duckdb/friction/reach_segments", attributes=events))
    if customers:
        moves.append(db.run(cur, "duckdb/friction/move_customer_segments", attributes=customers))
        reach.append(db.run(cur, "duckdb/friction/reach_customer_segments", attributes=customers))
    if not moves:
        return pd.DataFrame(), pd.DataFrame()
    counts = pd.concat(reach, ignore_index=True)
    # a journey type, reason or queue is a process of its own: its journeys coming back to a
    # point, or not converting after it, is how that process runs, not a group of customers
    # faring worse on the same one (its moves are still compared)
    purposes = [a for a in counts["attribute"].unique() if is_purpose(str(a))]
    counts = counts[~counts["attribute"].isin(purposes)]
    series = pd.concat(
        [series_table(pd.concat(moves, ignore_index=True), goals), journey_series(counts)],
        ignore_index=True,
    )
    return series, counts


def _concentrated(found: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Name the segment an incident is concentrated in: the value of an attribute whose
    moves make most (two thirds or more) of the excess inside the period."""
    if found.empty:
        return found.assign(segment=[])
    named = pd.Series([_segment_of(r, segments) for r in rows(found)], index=found.index)
    return found.assign(segment=named)


def _segment_of(r: dict[str, Any], segments: pd.DataFrame) -> str | None:
    if segments.empty:
        return None
    mine = segments[
        (segments["source"] == r["source"])
        & (segments["target"] == r["target"])
        & (segments["signal"] == r["signal"])
        & (segments["period"] >= r["start"])
        & (segments["period"] <= r["stop"])
    ]
    if mine.empty:
        return None
    per = mine.groupby(["attribute", "value"], as_index=False)[["units", "affected"]].sum()
    per["excess"] = per["affected"] - per["units"] * r["base_rate"]
    rest_n, rest_k = r["units_in"] - per["units"], r["affected_in"] - per["affected"]
    per["lift"] = (per["affected"] / per["units"]) / (rest_k / rest_n.where(rest_n > 0))
    per = per[(per["lift"] >= MIN_RATIO) & (per["excess"] >= 2 / 3 * r["excess"])]
    if per.empty:
        return None
    best = per.sort_values("excess", ascending=False).iloc[0]
    return f"{best['attribute']} = {best['value']}"


def _with_periods(gaps: pd.DataFrame, segments: pd.DataFrame, floors: Floors) -> pd.DataFrame:
    """Each segment finding with the period its own share departs in, when one does."""
    keys = ["source", "target", "signal", "attribute", "value"]
    wanted = gaps[keys].drop_duplicates()
    mine = segments.merge(wanted, on=keys)
    own = incidents(mine, floors)
    if own.empty:
        return gaps.assign(active_from=None, active_to=None)
    strict = floors.alpha / max(len(wanted), 1)
    own = own[
        (own["p_value"] <= strict)
        & (
            own["affected_in"] * own["units_out"]
            >= MIN_RATIO * own["affected_out"] * own["units_in"]
        )
    ]
    periods = own.rename(columns={"start": "active_from", "stop": "active_to"})
    return gaps.merge(periods[[*keys, "active_from", "active_to"]], on=keys, how="left")


def _one_per_move(gaps: pd.DataFrame) -> pd.DataFrame:
    """One segment finding per move it leads with: the segments of other attributes that stand
    out at the same move (a product and the team that owns it, one case attribute and the group
    that works the case) are named in its ``alike``, not ranked again. Each point's finding for
    one segment is already one (its ``parts``); two segments at one point that depart at
    different moves stay two findings."""
    if gaps.empty:
        return gaps.assign(alike=pd.Series([], dtype=object))
    ordered = gaps.sort_values("excess", ascending=False).reset_index(drop=True)
    lead: dict[tuple[Any, ...], int] = {}
    alike: dict[int, list[str]] = {}
    for i, r in enumerate(rows(ordered)):
        move = (r["source"], r["target"], r["signal"])
        if move in lead:
            alike[lead[move]].append(f"{r['attribute']} = {r['value']}")
        else:
            lead[move] = i
            alike[i] = []
    kept = list(lead.values())
    named = pd.Series([alike[i] for i in kept], dtype=object)
    return ordered.loc[kept].reset_index(drop=True).assign(alike=named)


#: A segment's own period counts when its rate inside is at least this many times outside.
MIN_RATIO = 1.5


def _kind(source: str, target: str, signal: str) -> str:
    if signal == "slow":
        return "slow move"
    if signal == "not_converted":
        return "not converted"
    if target == END:
        return "dropoff"
    if target in (source, AGAIN):
        return "retry"
    return "unusual move"


def _rows(found: pd.DataFrame, finding: str) -> pd.DataFrame:
    out = found.copy()
    out["finding"] = finding
    out["kind"] = [
        _kind(s, t, g) for s, t, g in zip(out["source"], out["target"], out["signal"], strict=True)
    ]
    on_point = out["target"].isin([END, AGAIN, NO_GOAL]) | out["target"].eq(out["source"])
    out["point_type"] = np.where(on_point, "touchpoint", "transition")
    out["touchpoint"] = out["source"].where(on_point, None)
    out["point"] = [
        s if p else f"{s} → {t}"
        for s, t, p in zip(out["source"], out["target"], on_point, strict=True)
    ]
    out["score"] = out["excess"]
    out["customers_affected"] = out["affected"]
    return out


def _incident_rows(found: pd.DataFrame) -> pd.DataFrame:
    if found.empty:
        return found
    found = merged(found, ["source"], overlapping=True)
    out = _rows(
        found.rename(
            columns={"units_in": "units", "affected_in": "affected", "start": "active_from",
                     "stop": "active_to"}
        ),
        "incident",
    )  # fmt: skip
    out["baseline"] = BASELINES["incident"]
    return out


def _segment_rows(gaps: pd.DataFrame) -> pd.DataFrame:
    gaps = _one_per_move(merged(gaps, ["source", "attribute", "value"]))
    out = _rows(gaps, "segment")
    out["segment"] = [f"{a} = {v}" for a, v in zip(out["attribute"], out["value"], strict=True)]
    out["baseline"] = [BASELINES["segment"].format(attribute=a) for a in out["attribute"]]
    return out


def _weekly(table: pd.DataFrame, series: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Each finding's series period by period: the whole series for an incident, the segment's
    own for a segment finding."""
    frames = []
    for rank, r in enumerate(rows(table), start=1):
        if r["finding"] == "segment":
            part = segments[
                (segments["attribute"] == r["attribute"]) & (segments["value"] == r["value"])
            ]
        else:
            part = series
        part = part[
            (part["source"] == r["source"])
            & (part["target"] == r["target"])
            & (part["signal"] == r["signal"])
        ]
        frames.append(
            pd.DataFrame(
                {
                    "point_id": rank,
                    "week": part["period"].to_numpy(),
                    "units": part["units"].to_numpy(),
                    "affected": part["affected"].to_numpy(),
                }
            ).sort_values("week")
        )
    weekly = pd.concat(frames, ignore_index=True)
    weekly["rate"] = weekly["affected"] / weekly["units"].where(weekly["units"] > 0)
    return weekly


#: The order of the kinds of finding: what changed (against a point's own history or its other
#: segments) first, then chronic friction (against the other points), patterns last.
FINDING_ORDER = {"incident": 0, "segment": 0, "chronic": 1, "pattern": 2}
#: Signals that record a failure whatever the outcome (the rest are friction only when the
#: journeys that show them end worse).
FAILURES = ("dropoff", "long_wait", "transfer", "unresolved", "abandoned", "repeat_contact")


def one_ranking(
    table: pd.DataFrame,
    weekly: pd.DataFrame,
    changes: Changes | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The findings against a point's own history and segments, then the points compared
    with the other points (chronic friction, or a pattern when the signal records no failure
    and the journeys that show it do not end worse), as one ranking: each kind by score; each
    weekly series renumbered with its row."""
    table = table.assign(
        finding=[_chronic_or_pattern(r) for r in rows(table)] if len(table) else [],
        baseline="the same signal at the other points",
    )
    found, found_weekly = changes[:2] if changes is not None else (pd.DataFrame(), pd.DataFrame())
    old_rank = table["rank"] if "rank" in table.columns else pd.Series(dtype=int)
    parts = [table.assign(_from="points", _id=old_rank)]
    if not found.empty:
        parts.append(found.assign(_from="changes", _id=np.arange(1, len(found) + 1)))
    both = pd.concat(parts, ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=[*RANKING_COLUMNS]), weekly.iloc[0:0]
    both["_order"] = both["finding"].map(FINDING_ORDER)
    both = both.sort_values(["_order", "score"], ascending=[True, False], kind="stable")
    both = both.reset_index(drop=True)
    both["rank"] = np.arange(1, len(both) + 1)
    renumber = {
        (f, int(i)): r for f, i, r in zip(both["_from"], both["_id"], both["rank"], strict=True)
    }
    weeks = [weekly.assign(_from="points")]
    if not found_weekly.empty:
        weeks.append(found_weekly.assign(_from="changes"))
    weekly = pd.concat(weeks, ignore_index=True)
    weekly["point_id"] = [
        renumber.get((f, int(i))) for f, i in zip(weekly["_from"], weekly["point_id"], strict=True)
    ]
    weekly = weekly.dropna(subset=["point_id"]).drop(columns="_from")
    if "parts" in both.columns:  # a finding's parts are its signals
        both["signals"] = [  # type: ignore[assignment]
            s
            if f == "points"
            else [{"signal": _PART_SIGNALS.get(t, "move"), "target": t} for t in (p or [])]
            for s, f, p in zip(both["signals"], both["_from"], both["parts"], strict=True)
        ]
    table = both.reindex(columns=list(RANKING_COLUMNS))
    return table, weekly.astype({"point_id": int}).reset_index(drop=True)


def _chronic_or_pattern(r: dict[str, Any]) -> str:
    signals = r.get("signals") or []
    worse = any(str(s.get("signal", "")).startswith("outcome:") for s in signals)
    return "chronic" if r["kind"] in FAILURES or worse else "pattern"


#: The signal of a finding's part, by its target (a move's target is a touchpoint).
_PART_SIGNALS = {NO_GOAL: "not_converted", AGAIN: "retry"}
_SEP = "\x1f"  # between the targets of a finding's parts, as kept in a dataset
_WEEKLY_COLUMNS = ["point_id", "week", "units", "affected", "rate"]


def keepable(changes: Changes) -> list[pd.DataFrame]:
    """The findings as tables a dataset can keep (no lists, never without columns)."""
    table, weekly, below, note = changes
    notes = pd.DataFrame({"note": [note]})
    if table.empty:
        nothing = pd.DataFrame({"nothing": pd.Series([], dtype="int64")})
        return [nothing, nothing, below, notes]
    table = table.assign(parts=[_SEP.join(p) for p in table["parts"]])
    return [table, weekly, below, notes]


def from_kept(frames: list[pd.DataFrame]) -> Changes:
    """:func:`keepable`'s tables back as :func:`find_changes` gave them."""
    table, weekly, below, notes = frames
    note = str(notes["note"].iloc[0]) if len(notes) else ""
    if "source" not in table.columns:
        return Changes(pd.DataFrame(), pd.DataFrame(columns=_WEEKLY_COLUMNS), below, note)
    table = table.copy()
    for column in table.columns:  # text as it was made: missing is None, not NaN
        if not pd.api.types.is_numeric_dtype(table[column]) and column not in ("start", "stop"):
            values = table[column].astype(object)
            table[column] = values.where(values.notna(), None)
    table["parts"] = pd.Series(
        [str(p).split(_SEP) if isinstance(p, str) else [] for p in table["parts"]],
        index=table.index,
        dtype=object,
    )
    return Changes(table, weekly, below, note)
