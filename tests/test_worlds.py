"""The generated worlds: deterministic, their planted stories really in the data and absent from
their null twins, the normal loop flat everywhere, scored by a harness that can fail, and loadable
by the library where it can load them today."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from tests.worlds import WORLDS, generate
from tests.worlds.harness import null_score, score, structure_found

SEED = 1
NAMES = tuple(WORLDS)


@dataclass(frozen=True)
class World:
    """One generated world, read back with pandas: one row per event, in journey order, with
    the next touchpoint and the time since the previous event of the same journey."""

    path: Path
    truth: dict[str, Any]
    events: pd.DataFrame


def _read(path: Path, truth: dict[str, Any]) -> pd.DataFrame:
    cols = truth["columns"]
    fmt = truth["format"]
    frame = pd.read_csv(path / "events.csv", sep=fmt["delimiter"], dtype=str, keep_default_na=False)
    t = pd.to_datetime(frame[cols["time"]], format=fmt["time_format"])
    frame["_t"] = t.dt.tz_convert(None) if t.dt.tz is not None else t
    frame["_j"] = frame[cols["journey"]]
    frame["_tp"] = frame[cols["touchpoint"]]
    frame = frame.sort_values(["_j", "_t"], kind="stable").reset_index(drop=True)
    by = frame.groupby("_j", sort=False)
    frame["_next"] = by["_tp"].shift(-1)
    frame["_prev"] = by["_tp"].shift(1)
    frame["_wait_min"] = by["_t"].diff().dt.total_seconds() / 60
    start = pd.Timestamp(truth["period"]["start"])
    frame["_week"] = (frame["_t"] - start).dt.days // 7
    return frame


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, bool], World]:
    """Each world and its null twin, generated once for the module when first asked for."""
    made: dict[tuple[str, bool], World] = {}

    def get(name: str, stories: bool) -> World:
        if (name, stories) not in made:
            path = tmp_path_factory.mktemp(f"{name}-{'stories' if stories else 'null'}")
            truth = generate(name, path, SEED, stories=stories)
            made[name, stories] = World(path, truth, _read(path, truth))
        return made[name, stories]

    return get


# -- generation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_bytes_other_seed_other_data(name: str, tmp_path: Path, worlds) -> None:
    first = worlds(name, True).path
    generate(name, tmp_path / "again", SEED)
    generate(name, tmp_path / "other", SEED + 1)
    for file in ("events.csv", "truth.json"):
        assert (tmp_path / "again" / file).read_bytes() == (first / file).read_bytes(), file
    assert (tmp_path / "other" / "events.csv").read_bytes() != (first / "events.csv").read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_world_and_null_twin_have_the_same_volume(name: str, worlds) -> None:
    world, twin = worlds(name, True), worlds(name, False)
    assert world.events["_j"].nunique() == twin.events["_j"].nunique()
    for w in (world, twin):
        assert 20_000 <= len(w.events) <= 40_000
        assert w.truth["rows"] == len(w.events)
        weekly = w.events.groupby("_j")["_t"].min().dt.to_period("W").value_counts()
        weekly = weekly.iloc[1:-1]  # the first and last weeks may be cut by the period's edges
        assert weekly.max() / weekly.min() < 1.5, weekly.sort_index()
    assert [s["kind"] for s in world.truth["stories"]] == [
        "incident",
        "segment",
        "drift",
        "pattern",
    ]
    assert [s["kind"] for s in twin.truth["stories"]] == ["pattern"]
    assert twin.truth["stories"][0] == world.truth["stories"][-1]


@pytest.mark.parametrize("name", NAMES)
def test_weeks_move_the_stories_with_the_period(name: str, tmp_path: Path) -> None:
    truth = generate(name, tmp_path, SEED, weeks=10)
    period = truth["period"]
    assert pd.Timestamp(period["end"]) - pd.Timestamp(period["start"]) == pd.Timedelta(weeks=10)
    for story in truth["stories"]:
        if story["start"]:
            assert period["start"] < story["start"] < story["end"] <= period["end"], story


# -- the planted stories, measured from the files -------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """A story's rate inside and outside it, and how many standard errors apart they are. For a
    drift, ``inside``/``outside`` are the segment's and the rest's rate over the last three
    weeks, ``before`` the segment's before the drift starts, and ``z`` the segment's weekly
    trend over its standard error (``z_rest`` the rest's)."""

    inside: float
    outside: float
    z: float
    before: float | None = None
    z_rest: float | None = None


def _share_effect(hit: pd.Series, inside: pd.Series) -> Effect:
    """Share of ``hit`` where ``inside`` is true against where it is false, with a two-proportion
    z."""
    a, b = hit[inside], hit[~inside]
    p = hit.mean()
    se = math.sqrt(p * (1 - p) * (1 / len(a) + 1 / len(b)))
    return Effect(a.mean(), b.mean(), (a.mean() - b.mean()) / se)


def _trend_z(weekly: pd.Series) -> float:
    """The slope of a weekly series over its standard error."""
    slope, cov = np.polyfit(weekly.index.to_numpy(float), weekly.to_numpy(float), 1, cov=True)
    return float(slope[0] / math.sqrt(cov[0, 0]))


def _drift_effect(
    w: World,
    value: pd.Series,
    in_segment: pd.Series,
    week: pd.Series,
    story: dict[str, Any],
    stat: str,
) -> Effect:
    """A drift measured from one value per journey (or step), ``stat`` ("mean" or "median") per
    week, in the segment and in the rest."""
    first = (pd.Timestamp(story["start"]) - pd.Timestamp(w.truth["period"]["start"])).days // 7
    weeks = (
        pd.Timestamp(w.truth["period"]["end"]) - pd.Timestamp(w.truth["period"]["start"])
    ).days // 7
    frame = pd.DataFrame({"v": value, "seg": in_segment, "week": week})
    frame = frame[frame["week"] < weeks]  # the spill-over after the period is not a full week
    per_week = frame.groupby(["seg", "week"])["v"].agg(stat)
    seg, rest = per_week.loc[True], per_week.loc[False]
    last = frame["week"] >= weeks - 3
    return Effect(
        inside=float(frame.loc[last & frame["seg"], "v"].agg(stat)),
        outside=float(frame.loc[last & ~frame["seg"], "v"].agg(stat)),
        z=_trend_z(seg),
        before=float(frame.loc[(frame["week"] < first) & frame["seg"], "v"].agg(stat)),
        z_rest=_trend_z(rest),
    )


def _in_period(t: pd.Series, story: dict[str, Any]) -> pd.Series:
    return (t >= pd.Timestamp(story["start"])) & (t < pd.Timestamp(story["end"]))


def _payment_outage(w: World, story: dict[str, Any]) -> Effect:
    e = w.events[w.events["_tp"] == "payment"]
    return _share_effect(e["_next"] == "purchase", _in_period(e["_t"], story))


def _android_checkout(w: World, story: dict[str, Any]) -> Effect:
    e = w.events[w.events["_tp"] == "checkout"]
    return _share_effect(e["_next"] == "payment", e["platform"] == story["segment"]["value"])


def _ios_search_drift(w: World, story: dict[str, Any]) -> Effect:
    e = w.events
    searched = e[e["_tp"] == "search"].groupby("_j").agg(t=("_t", "min"), week=("_week", "min"))
    last = e.groupby("_j")["_tp"].last()
    platform = e.groupby("_j")["platform"].first()
    searched["ended"] = (last.reindex(searched.index) == "search").astype(float)
    in_seg = platform.reindex(searched.index) == story["segment"]["value"]
    return _drift_effect(w, searched["ended"], in_seg, searched["week"], story, "mean")


def _bankid_outage(w: World, story: dict[str, Any]) -> Effect:
    e = w.events[w.events["_tp"] == "Logga in"]
    return _share_effect(e["_next"] != "Mina sidor", _in_period(e["_t"], story))


def _malmo_escalations(w: World, story: dict[str, Any]) -> Effect:
    e = w.events
    answered = e[e["_tp"].isin(["Samtal besvarat", "Chatt besvarad", "E-post besvarat"])]
    # the escalation step follows the answer directly, by the same team
    escalated = answered["_next"] == "Eskalering"
    return _share_effect(escalated, answered["team"] == story["segment"]["value"])


def _norr_wait_drift(w: World, story: dict[str, Any]) -> Effect:
    e = w.events[
        (w.events["_tp"] == "Samtal besvarat") & (w.events["_prev"] == "Inkommande samtal")
    ]
    in_seg = e["region"] == story["segment"]["value"]
    return _drift_effect(w, e["_wait_min"], in_seg, e["_week"], story, "median")


def _network_bounces(w: World, story: dict[str, Any]) -> Effect:
    e = w.events
    own = e["case:product"].isin(["Broadband", "Mobile"])
    assigned = e[
        (e["_tp"] == "Assigned")
        & (e["org:group"] == story["segment"]["value"])
        & own
        & e["_prev"].isin(["Ticket created", "Reassigned"])
    ]
    return _share_effect(assigned["_next"] == "Reassigned", _in_period(assigned["_t"], story))


def _tickets(w: World) -> pd.DataFrame:
    e = w.events
    per = e.groupby("_j").agg(product=("case:product", "first"), week=("_week", "min"))
    per["escalated"] = _any(e, e["_tp"] == "Escalated")
    per["reopened"] = _any(e, e["_tp"] == "Reopened")
    return per


def _invoicing_escalations(w: World, story: dict[str, Any]) -> Effect:
    k = _tickets(w)
    return _share_effect(k["escalated"], k["product"] == story["segment"]["value"])


def _tv_reopen_drift(w: World, story: dict[str, Any]) -> Effect:
    k = _tickets(w)
    in_seg = k["product"] == story["segment"]["value"]
    return _drift_effect(w, k["reopened"].astype(float), in_seg, k["week"], story, "mean")


MEASURES: dict[str, Callable[[World, dict[str, Any]], Effect]] = {
    "payment_outage": _payment_outage,
    "android_checkout": _android_checkout,
    "ios_search_drift": _ios_search_drift,
    "bankid_outage": _bankid_outage,
    "malmo_escalations": _malmo_escalations,
    "norr_wait_drift": _norr_wait_drift,
    "network_bounces": _network_bounces,
    "invoicing_escalations": _invoicing_escalations,
    "tv_reopen_drift": _tv_reopen_drift,
}
STORIES = [
    (name, i)
    for name in NAMES
    for i in range(3)  # incident, segment, drift (the pattern has its own test)
]


def _story(worlds, name: str, i: int) -> dict[str, Any]:
    return worlds(name, True).truth["stories"][i]


@pytest.mark.parametrize(("name", "i"), STORIES)
def test_planted_story_is_in_the_data(name: str, i: int, worlds) -> None:
    story = _story(worlds, name, i)
    effect = MEASURES[story["name"]](worlds(name, True), story)
    planted, elsewhere = story["rate_inside"], story["rate_outside"]
    gap = abs(planted - elsewhere)
    if story["kind"] == "drift":
        assert effect.z > 5, effect  # the segment's rate climbs week by week
        assert abs(effect.z_rest) < 4, effect  # and the rest's does not
        assert effect.inside - effect.outside > gap / 2, effect
        assert abs(effect.before - story["rate_inside_start"]) < gap / 4, effect
    else:
        assert abs(effect.z) > 6, effect
        assert abs(effect.inside - planted) < gap / 4, effect
        assert abs(effect.outside - elsewhere) < gap / 4, effect


@pytest.mark.parametrize(("name", "i"), STORIES)
def test_null_twin_lacks_the_story(name: str, i: int, worlds) -> None:
    story = _story(worlds, name, i)
    effect = MEASURES[story["name"]](worlds(name, False), story)
    assert abs(effect.z) < 3.5, effect
    if story["kind"] == "drift":
        gap = abs(story["rate_inside"] - story["rate_outside"])
        assert abs(effect.inside - effect.outside) < gap / 3, effect


def test_payment_outage_sends_payers_to_chat(worlds) -> None:
    story = _story(worlds, "clickstream", 0)
    for stories, low, high in ((True, 0.08, 0.02), (False, 0.0, 0.02)):
        e = worlds("clickstream", stories).events
        pay = e[e["_tp"] == "payment"]
        chat = pay["_next"] == "chat"
        inside = _in_period(pay["_t"], story)
        assert low <= chat[inside].mean() and chat[~inside].mean() < high


# -- the normal loop: frequent, flat across weeks and segments, not tied to outcomes ------------


def _any(e: pd.DataFrame, hit: pd.Series) -> pd.Series:
    """Per journey: whether any of its events is a ``hit``."""
    return hit.groupby(e["_j"]).any()


def _loops(w: World) -> tuple[pd.DataFrame, list[str]]:
    """One row per journey that can loop: its loop count, week, segments and good outcome."""
    story = w.truth["stories"][-1]
    e = w.events
    src, tgt = story["point"]["source"], story["point"]["target"]
    segments = list(w.truth["columns"]["segments"])
    world = w.truth["world"]
    if world == "clickstream":  # product -> category moves, in sessions that view a product
        move = (e["_tp"] == tgt) & (e["_next"] == src)
        can = _any(e, e["_tp"] == "product")
        good = _any(e, e["_tp"] == "purchase")
    else:
        move = (e["_tp"] == src) & (e["_next"] == tgt)
        can = _any(e, e["_tp"] == src)
        if world == "contact_centre":
            good = _any(e, e["_tp"] == "Ärende löst")
            segments = ["region", "kundtyp"]  # the team is known only once an agent answers
        else:
            good = ~_any(e, e["_tp"].isin(["Reopened", "Escalated"]))
            segments = ["case:priority", "case:product"]
    per = (
        e.assign(_move=move)
        .groupby("_j")
        .agg(loops=("_move", "sum"), week=("_week", "min"), **{s: (s, "first") for s in segments})
    )
    per["good"] = good
    per = per[can.reindex(per.index)]
    return per, segments


def _max_z_of_groups(values: pd.Series, groups: pd.Series) -> float:
    """The largest distance of a group's mean from the overall mean, in standard errors."""
    overall, sd = values.mean(), values.std()
    stats = values.groupby(groups).agg(["mean", "size"])
    return float(((stats["mean"] - overall).abs() / (sd / np.sqrt(stats["size"]))).max())


@pytest.mark.parametrize("stories", [True, False], ids=["stories", "null"])
@pytest.mark.parametrize("name", NAMES)
def test_normal_loop_is_frequent_flat_and_harmless(name: str, stories: bool, worlds) -> None:
    w = worlds(name, stories)
    story = w.truth["stories"][-1]
    per, segments = _loops(w)
    assert abs(per["loops"].mean() - story["rate_inside"]) < 0.15, per["loops"].mean()
    assert (per["loops"] > 0).mean() > 0.5  # most journeys that can loop do
    assert _max_z_of_groups(per["loops"], per["week"]) < 4, "the loop changes by week"
    for segment in segments:
        assert _max_z_of_groups(per["loops"], per[segment]) < 4, f"the loop differs by {segment}"
    looped = per["loops"] > 0
    assert abs(_share_effect(per["good"], looped).z) < 3.5, "the loop is tied to outcomes"


def test_normal_loop_is_the_same_in_both_twins(worlds) -> None:
    for name in NAMES:
        with_stories, null = (_loops(worlds(name, s))[0]["loops"].mean() for s in (True, False))
        assert abs(with_stories - null) < 0.1, name


# -- the harness --------------------------------------------------------------------------------


def _perfect(truth: dict[str, Any]) -> pd.DataFrame:
    """A ranking that names every story as the harness asks, and the pattern as a pattern."""
    rows = []
    for n, s in enumerate(truth["stories"]):
        p = s["point"]
        rows.append(
            {
                "kind": s["signal"],
                "touchpoint": p.get("touchpoint"),
                "source": p.get("source"),
                "target": p.get("target"),
                "segment": None if s["segment"] is None else str(s["segment"]["value"]),
                "active_from": s["start"],
                "active_to": s["end"],
                "score": 10.0 - n,
                "finding": "pattern" if s["kind"] == "pattern" else s["kind"],
            }
        )
    return pd.DataFrame(rows)


def _fillers(n: int, top: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kind": "wait",
                "touchpoint": f"nothing planted {i}",
                "source": None,
                "target": None,
                "segment": None,
                "active_from": None,
                "active_to": None,
                "score": top + 1 + i,
                "finding": "chronic",
            }
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("name", NAMES)
def test_harness_finds_every_story_in_a_perfect_ranking(name: str, worlds) -> None:
    truth = worlds(name, True).truth
    result = score(_perfect(truth), truth)
    assert result.ok, result.summary()
    assert len(result.found) == 3 and not result.missed and not result.pattern_in_top


@pytest.mark.parametrize("name", NAMES)
def test_harness_fails_a_ranking_with_the_pattern_on_top(name: str, worlds) -> None:
    truth = worlds(name, True).truth
    ranking = _perfect(truth)
    ranking.loc[ranking.index[-1], ["score", "finding"]] = [99.0, "chronic"]
    result = score(ranking, truth)
    assert not result.ok and result.pattern_in_top == (truth["stories"][-1]["name"],)
    assert "FAIL" in result.summary()
    reverse = ranking.rename(columns={"source": "target", "target": "source"})
    assert score(reverse, truth).pattern_in_top, "a loop named the other way round is the loop"


@pytest.mark.parametrize("name", NAMES)
def test_harness_misses_a_wrong_period_and_a_missing_segment(name: str, worlds) -> None:
    truth = worlds(name, True).truth
    incident, segment, drift = (s["name"] for s in truth["stories"][:3])
    ranking = _perfect(truth)
    for i in (0, 2):  # the incident four weeks late, the drift over before the end
        ranking.loc[i, ["active_from", "active_to"]] = [
            (pd.Timestamp(truth["stories"][i]["start"]) + pd.Timedelta(weeks=4)).date().isoformat(),
            (pd.Timestamp(truth["stories"][i]["end"]) - pd.Timedelta(weeks=3)).date().isoformat(),
        ]
    ranking.loc[1, "segment"] = None
    result = score(ranking, truth)
    assert result.missed == (incident, segment, drift), result.summary()
    assert "not within a week" in result.result(incident).note
    assert "not named" in result.result(segment).note
    ranking = _perfect(truth)
    ranking.loc[1, "segment"] = None
    ranking.loc[1, "explanation"] = f"concentrated in {truth['stories'][1]['segment']['value']}"
    assert score(ranking, truth).ok, "the explanation may name the segment"


@pytest.mark.parametrize("name", NAMES)
def test_harness_counts_only_the_top_k(name: str, worlds) -> None:
    truth = worlds(name, True).truth
    ranking = pd.concat([_perfect(truth), _fillers(4, 10.0)], ignore_index=True)
    result = score(ranking, truth, k=5)
    assert result.found == (truth["stories"][0]["name"],), result.summary()
    assert "named first at rank" in result.result(truth["stories"][2]["name"]).note
    assert score(ranking, truth, k=7).ok


def test_harness_reads_moves_by_the_side_the_story_allows(worlds) -> None:
    truth = worlds("clickstream", True).truth
    outage = truth["stories"][0]  # payment, leaving moves
    row = {
        "kind": "drop_off",
        "touchpoint": None,
        "segment": None,
        "active_from": outage["start"],
        "active_to": outage["end"],
        "score": 1.0,
    }
    leaving = pd.DataFrame([{**row, "source": "payment", "target": "chat"}])
    entering = pd.DataFrame([{**row, "source": "checkout", "target": "payment"}])
    assert "payment_outage" in score(leaving, truth).found
    assert "payment_outage" not in score(entering, truth).found


def test_harness_reads_the_moves_merged_into_a_row(worlds) -> None:
    """A row at Resolved that merges the move to Reopened names Reopened, entering it; without
    that move among its signals it does not."""
    truth = worlds("tickets", True).truth
    drift = next(s for s in truth["stories"] if s["kind"] == "drift")
    assert drift["point"] == {"touchpoint": "Reopened", "moves": "entering"}
    row = {
        "kind": "retry",
        "touchpoint": "Resolved",
        "source": None,
        "target": None,
        "segment": drift["segment"]["value"],
        "active_from": drift["start"],
        "active_to": drift["end"],
        "score": 1.0,
        "finding": "segment",
    }
    merged = [{"signal": "retry", "target": "(again)"}, {"signal": "move", "target": "Reopened"}]
    alone = [{"signal": "retry", "target": "(again)"}]
    assert drift["name"] in score(pd.DataFrame([{**row, "signals": merged}]), truth).found
    assert drift["name"] not in score(pd.DataFrame([{**row, "signals": alone}]), truth).found


def test_harness_refuses_a_ranking_without_its_columns(worlds) -> None:
    truth = worlds("tickets", True).truth
    with pytest.raises(ValueError, match="active_from"):
        score(_perfect(truth).drop(columns="active_from"), truth)
    with pytest.raises(ValueError, match="finding"):
        null_score(_perfect(truth).drop(columns="finding"))


@pytest.mark.parametrize("name", NAMES)
def test_null_score_counts_incident_and_segment_findings(name: str, worlds) -> None:
    null_truth = worlds(name, False).truth
    calm = pd.concat([_perfect(null_truth), _fillers(3, 0.0)], ignore_index=True)
    assert null_score(calm) == 0
    assert score(calm, null_truth).ok  # the pattern, named as one, is allowed
    alarmed = _perfect(worlds(name, True).truth)
    assert null_score(alarmed) == 2
    assert null_score(alarmed, k=1) == 1


def test_null_score_excuses_only_the_structure_a_world_declares(worlds) -> None:
    truth = worlds("tickets", False).truth
    assert {f["name"] for f in truth["structure"]} >= {"specialists_take_a_day"}
    row = {"kind": "slow move", "touchpoint": None, "active_from": None, "active_to": None,
           "score": 9.0, "finding": "segment"}  # fmt: skip
    slow = {**row, "source": "Assigned", "target": "Resolved"}
    table = pd.DataFrame(
        [
            {**slow, "segment": "org:group = Specialists"},  # declared: true, not an alarm
            {**slow, "segment": "org:group = Billing"},  # the same move, another group: alarm
            {
                **row,
                "source": "Ticket created",
                "target": "Assigned",
                "segment": "org:group = Specialists",
            },
        ]
    )
    assert null_score(table) == 3
    assert null_score(table, truth=truth) == 2
    assert structure_found(table, truth) == ("specialists_take_a_day",)


# -- loading with the library as it stands ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mapping"),
    [("clickstream", None), ("contact_centre", {"customer": "kundnr"})],
)
def test_world_loads_with_the_library(name: str, mapping: dict[str, str] | None, worlds) -> None:
    w = worlds(name, True)
    log = wb.load_events(w.path / "events.csv", mapping=mapping)
    assert log.report.rows_loaded == w.truth["rows"] and log.report.rows_rejected == 0
    cols = w.truth["columns"]
    found = log.mapping
    assert (found.customer, found.journey, found.touchpoint, found.channel, found.time) == (
        cols["customer"],
        cols["journey"],
        cols["touchpoint"],
        cols["channel"],
        cols["time"],
    )
