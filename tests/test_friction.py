"""Friction ranking: the planted stories rank at the top wherever they are planted."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench.analyses.friction import FrictionRanking, active_period

from .conftest import SAMPLE, full_model


def _stories_in_top(ranking: FrictionRanking, truth: dict, n: int = 5) -> dict[str, bool]:
    """Which planted stories show where they belong, found from truth.json, not by name: what
    changed (the transfer crisis against its own history, the app-phone loop and the weak team
    against their segments' peers) in the top ``n``, and the long queue first of the chronic
    friction (a stable excess over the other points)."""
    table = ranking.table
    top = table.head(n)
    found = {}
    queue = truth["long_queue"]
    chronic = table[table["finding"] == "chronic"].head(1)
    found["long_queue"] = bool(
        ((chronic["kind"] == "long_wait") & (chronic["point"] == queue["touchpoint"])).any()
    )
    crisis = truth["transfer_crisis"]
    incidents = top[(top["finding"] == "incident") & (top["source"] == crisis["touchpoint"])]
    found["transfer_crisis"] = any(
        abs((pd.Timestamp(r.active_from) - pd.Timestamp(crisis["start"])).days) <= 7
        and abs((pd.Timestamp(r.active_to) - pd.Timestamp(crisis["end"])).days) <= 8
        for r in incidents.itertuples()
    )
    loop = truth["app_phone_loop"]
    story = {loop["app_touchpoint"], loop["phone_touchpoint"]}
    found["app_phone_loop"] = any(
        r.finding == "segment"
        and r.segment == f"device = {loop['device']}"
        and bool({r.source, r.target} & story)
        for r in top.itertuples()
    )
    team = truth["low_resolution_team"]
    found["low_resolution_team"] = any(
        r.finding == "segment" and r.source == team["touchpoint"] and team["team"] in r.segment
        for r in top.itertuples()
    )
    return found


@pytest.fixture(scope="module")
def sample_ranking(sample_full_model: wb.JourneyModel) -> FrictionRanking:
    return wb.rank_friction(sample_full_model)


def test_planted_stories_lead_the_sample_ranking(
    sample_ranking: FrictionRanking, sample_truth: dict
) -> None:
    found = _stories_in_top(sample_ranking, sample_truth["stories"])
    assert all(found.values()), found


def test_planted_stories_lead_when_moved(moved_stories: Path) -> None:
    truth = json.loads((moved_stories / "truth.json").read_text())["stories"]
    ranking = wb.rank_friction(full_model(moved_stories))
    found = _stories_in_top(ranking, truth)
    assert all(found.values()), (found, ranking.table[["kind", "point", "score"]].head(8))


@pytest.mark.parametrize("folder", ["sample", "moved"])
def test_transfer_crisis_period_is_found(
    folder: str, sample_ranking: FrictionRanking, sample_truth: dict, moved_stories: Path
) -> None:
    if folder == "sample":
        ranking, truth = sample_ranking, sample_truth["stories"]
    else:
        truth = json.loads((moved_stories / "truth.json").read_text())["stories"]
        ranking = wb.rank_friction(full_model(moved_stories))
    crisis = truth["transfer_crisis"]
    row = ranking.table[
        (ranking.table["point"] == crisis["touchpoint"]) & (ranking.table["kind"] == "transfer")
    ].iloc[0]
    start = date.fromisoformat(row["active_from"])
    assert abs((start - date.fromisoformat(crisis["start"])).days) <= 7
    end = date.fromisoformat(row["active_to"])
    assert abs((end - date.fromisoformat(crisis["end"])).days) <= 8


def test_every_row_carries_the_evidence(sample_ranking: FrictionRanking) -> None:
    t = sample_ranking.table
    order = t["finding"].map({"incident": 0, "segment": 0, "chronic": 1, "pattern": 2})
    assert order.is_monotonic_increasing  # what changed first, patterns last
    for _, kind in t.groupby(order, sort=False):
        assert (kind["score"].diff().dropna() <= 0).all()  # each kind by score
    assert (t["rate"] > t["base_rate"]).all()
    assert (t["ci_low"] <= t["rate"]).all() and (t["rate"] <= t["ci_high"]).all()
    assert (t["q_value"] < 0.05).all()
    assert t["baseline"].notna().all()
    points = t[t["finding"].isin(["chronic", "pattern"])]
    assert (points["units"] >= 30).all() and (points["affected"] >= 10).all()
    expected = points["customers_affected"] * (1 - points["base_rate"] / points["rate"])
    weights = points["kind"].map(sample_ranking.params["weights"]).fillna(1.0)
    assert (points["score"] - (weights * expected).round()).abs().max() < 1.0
    assert all(isinstance(e, str) and "customers" in e for e in points["explanation"])
    changes = t[t["finding"].isin(["incident", "segment"])]
    assert len(changes) >= 3
    # a change's score is what it costs beyond its baseline
    beyond = changes["affected"] - changes["units"] * changes["base_rate"]
    assert (changes["score"] - beyond).abs().max() < 1e-6
    assert all(isinstance(e, str) and "against" in e for e in changes["explanation"])
    assert sample_ranking.candidates_below_floor > 0 and sample_ranking.not_significant > 0


def test_explanation_reads_like_the_numbers(sample_ranking: FrictionRanking) -> None:
    t = sample_ranking.table
    for row in (t.iloc[0], t[t["finding"] == "chronic"].iloc[0]):
        assert row["explanation"].startswith(f"{round(100 * row['rate'])} %")
    chronic = t[t["finding"] == "chronic"].iloc[0]
    assert f"{int(chronic['customers_affected']):,} customers" in chronic["explanation"]
    first = t.iloc[0]
    assert f"{round(first['score']):,} more" in first["explanation"]


def test_goals_are_guessed_and_can_be_set(
    sample_full_model: wb.JourneyModel, sample_ranking: FrictionRanking, sample_truth: dict
) -> None:
    planted = {g for goals in sample_truth["goals"].values() for g in goals}
    assert sample_ranking.outcomes.goals_guessed
    assert planted <= set(sample_ranking.outcomes.goals)
    ranking = wb.rank_friction(sample_full_model, goals=["Pay invoice"], concentration=False)
    assert not ranking.outcomes.goals_guessed
    drop = ranking.candidates[ranking.candidates["signal"] == "dropoff"]
    assert (
        drop["affected"].sum()
        > sample_ranking.candidates[sample_ranking.candidates["signal"] == "dropoff"][
            "affected"
        ].sum()
    )
    with pytest.raises(wb.ValidationError):
        wb.rank_friction(sample_full_model, goals=["Nowhere"])


def test_ranking_within_a_segment(sample_full_model: wb.JourneyModel) -> None:
    ranking = wb.rank_friction(sample_full_model, segment="device", concentration=False)
    assert set(ranking.table["segment"].dropna()) <= {"android", "ios", "desktop", "mobile_web"}
    loops = ranking.table[ranking.table["kind"] == "loop"]
    top_loop = loops.iloc[0]
    assert top_loop["segment"] == "android"
    with pytest.raises(wb.ValidationError):
        wb.rank_friction(sample_full_model, segment="colour")


def test_weekly_series_reconcile_with_the_rows(sample_ranking: FrictionRanking) -> None:
    """A row's weekly series adds up to its numbers: over the whole log, or over its period
    for an incident (compared with the rest of its history)."""
    w = sample_ranking.weekly
    seen = set()
    for row in sample_ranking.table.head(8).itertuples():
        mine = w[w["point_id"] == row.rank]
        if mine.empty:
            continue
        seen.add(row.finding)
        if row.finding == "incident":
            weeks = pd.to_datetime(mine["week"])
            mine = mine[(weeks >= row.active_from) & (weeks <= row.active_to)]
        assert mine["affected"].sum() == row.affected
        assert mine["units"].sum() == row.units
    assert {"incident", "segment", "chronic"} <= seen


def test_json_document(sample_ranking: FrictionRanking) -> None:
    doc = sample_ranking.to_json()
    first = doc["friction"][0]
    for key in (
        "kind",
        "touchpoint",
        "source",
        "target",
        "segment",
        "score",
        "customers_affected",
        "rate",
        "base_rate",
        "lift",
        "ci_low",
        "ci_high",
        "active_from",
        "active_to",
        "explanation",
    ):
        assert key in first
    json.dumps(doc)  # plain JSON throughout
    assert doc["formula"].startswith("score =")


def test_active_period_finds_a_step_and_ignores_noise() -> None:
    weeks = pd.Series(pd.date_range("2026-03-02", periods=26, freq="7D"))
    units = pd.Series([200] * 26)
    step = pd.Series([10] * 10 + [90] * 6 + [10] * 10)
    assert active_period(weeks, units, step) == ("2026-05-11", "2026-06-21")
    ongoing = pd.Series([10] * 20 + [90] * 6)
    assert active_period(weeks, units, ongoing) == ("2026-07-20", None)
    rng = pd.Series(
        [
            10,
            12,
            9,
            11,
            10,
            8,
            13,
            10,
            9,
            11,
            12,
            10,
            9,
            10,
            11,
            12,
            10,
            9,
            11,
            10,
            12,
            9,
            10,
            11,
            10,
            12,
        ]
    )
    assert active_period(weeks, units, rng) == (None, None)


def test_calm_data_has_no_planted_kind_of_friction(calm_data: Path) -> None:
    ranking = wb.rank_friction(full_model(calm_data), concentration=False)
    table = ranking.table
    assert table["active_from"].isna().all()  # nothing concentrated in a period
    top = table.head(5)
    assert not top["kind"].isin(["transfer", "unresolved"]).any()
    phone_waits = top[(top["kind"] == "long_wait") & top["point"].str.endswith("call")]
    assert phone_waits.empty  # no phone line waits out of line with the others


def test_shared_tables_follow_the_parameters(sample_full_model: wb.JourneyModel) -> None:
    """Analyses on one model share the visits table; changing a parameter rebuilds it, so a
    result never depends on what ran before it."""
    short = wb.rank_friction(sample_full_model, long_wait="1min", concentration=False)
    wb.kpis(sample_full_model, repeat_window="1d")
    wb.group_causes(sample_full_model, "detractor")
    again = wb.rank_friction(sample_full_model, long_wait="1min", concentration=False)
    default = wb.rank_friction(sample_full_model, concentration=False)
    fresh = wb.rank_friction(
        full_model(Path(__file__).parents[1] / "sample_data"), concentration=False
    )
    cols = ["point", "signal", "score", "customers_affected"]
    pd.testing.assert_frame_equal(short.table[cols], again.table[cols])
    pd.testing.assert_frame_equal(default.table[cols], fresh.table[cols])
    waits = lambda r: r.candidates.query("signal == 'long_wait'")["affected"].sum()  # noqa: E731
    assert waits(short) > waits(default)


def test_reweighting_reads_no_event_again_and_matches_a_fresh_ranking() -> None:
    """New weights reuse the model's counts and concentrations, and give exactly what a fresh
    model gives with those weights -- including the concentration of points that only the new
    weights bring to the top."""
    sample = Path(__file__).parents[1] / "sample_data"
    model = full_model(sample)
    first = wb.rank_friction(model, top=5)
    weights = {"long_wait": 0.05, "transfer": 0.05, "dropoff": 2.0, "loop": 2.0}
    with model.using() as cur:
        cur.execute("drop table journey_outcomes")  # counting again would now fail
    again = wb.rank_friction(model, weights=weights, top=5)
    fresh = wb.rank_friction(full_model(sample), weights=weights, top=5)

    def weighed(r: FrictionRanking) -> list[str]:  # weights score the points, not the changes
        return list(r.table.loc[r.table["finding"].isin(["chronic", "pattern"]), "point"].head(5))

    assert weighed(again) != weighed(first)
    assert set(weighed(again)) - set(weighed(first))
    pd.testing.assert_frame_equal(again.table, fresh.table)


def test_ranking_reports_its_stages() -> None:
    """A first ranking passes every stage; within a segment there is no concentration stage;
    a ranking from the counts the model keeps still reports, quickly, to the end."""
    from workbench.analyses.friction import FRICTION_STAGES

    log = wb.load_events(SAMPLE / "events.csv", surveys=SAMPLE / "surveys.csv")
    model = wb.build_journeys(log)
    every = [label for label, _ in FRICTION_STAGES] + ["Done"]
    for kwargs, expected in (
        ({}, every),
        ({"weights": {"long_wait": 0.5}}, every),
        ({"segment": "device"}, [s for s in every if "concentrated" not in s]),
    ):
        seen: list[tuple[float, str]] = []
        wb.rank_friction(model, progress=lambda d, w, seen=seen: seen.append((d, w)), **kwargs)
        assert [what for _, what in seen] == expected, kwargs
        fractions = [done for done, _ in seen]
        assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0


def test_a_ranking_has_the_columns_an_empty_one_has(sample_model: wb.JourneyModel) -> None:
    """An empty ranking is given ``RANKING_COLUMNS``; a real one has exactly those."""
    from workbench.analyses.friction import RANKING_COLUMNS

    assert tuple(wb.rank_friction(sample_model).table.columns) == RANKING_COLUMNS
