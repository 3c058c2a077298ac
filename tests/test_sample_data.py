"""The sample data: reproducible from its seed, and the planted stories are really in it.

The checks read where each story sits from ``truth.json``, so they hold for any seed and
placement, not just the committed one.
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import workbench as wb

from .conftest import SAMPLE


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", SAMPLE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def other_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed11")
    _generator().generate(30_000, 11, out, placement="random")
    return out


def test_committed_sample_is_what_the_generator_makes(tmp_path: Path) -> None:
    _generator().generate(30_000, 7, tmp_path)
    for name in ("events.csv", "surveys.csv", "customers.csv", "truth.json"):
        assert filecmp.cmp(tmp_path / name, SAMPLE / name, shallow=False), name


def test_sample_is_small_and_covers_six_months_and_every_channel(sample_log: wb.EventLog) -> None:
    assert sum(p.stat().st_size for p in SAMPLE.glob("*.csv")) < 5_000_000
    f = sample_log.frame()
    assert (f["ts"].max() - f["ts"].min()).days >= 170
    assert set(f["channel"]) == {"web", "app", "ivr", "phone", "chat", "email", "sms", "store"}
    assert set(f["journey_type"]) == {
        "usage_check",
        "buy_subscription",
        "move_house",
        "billing_question",
        "fault_report",
        "cancel",
    }


def test_random_placement_moves_the_stories(sample_truth: dict, other_dataset: Path) -> None:
    other = json.loads((other_dataset / "truth.json").read_text())["stories"]
    mine = sample_truth["stories"]
    assert other["transfer_crisis"]["touchpoint"] != mine["transfer_crisis"]["touchpoint"]
    assert other["transfer_crisis"]["start"] != mine["transfer_crisis"]["start"]
    assert other["long_queue"]["queue"] != mine["long_queue"]["queue"]
    assert other["app_phone_loop"]["app_touchpoint"] != mine["app_phone_loop"]["app_touchpoint"]
    assert other["low_resolution_team"]["team"] != mine["low_resolution_team"]["team"]


def _check_stories(folder: Path) -> None:
    truth = json.loads((folder / "truth.json").read_text())["stories"]
    log = wb.load_events(folder / "events.csv")
    cur = log.cursor()

    # long phone-queue waits on one line
    waits = dict(
        cur.execute(
            "select queue, median(wait_seconds) from events where channel = 'phone' group by queue"
        ).fetchall()
    )
    story = truth["long_queue"]["queue"]
    others = [w for q, w in waits.items() if q != story]
    assert waits[story] >= 3 * max(others), waits

    # one team with a low resolution rate
    rates = {
        t: (n, r)
        for t, n, r in cur.execute(
            "select team, count(*), avg(resolved::int) from events where team is not null "
            "and channel = 'phone' and not transferred group by team"
        ).fetchall()
    }
    low = truth["low_resolution_team"]["team"]
    assert rates[low][1] < 0.6
    assert all(r >= 0.7 for t, (n, r) in rates.items() if t != low and n >= 100), rates

    # a journey that loops between app and phone, concentrated on one device
    loop = truth["app_phone_loop"]
    per_device = dict(
        cur.execute(
            """
        with j as (
            select journey_id,
                   any_value(device) filter (where channel = 'app') as device,
                   count(*) filter (where touchpoint = $app) as app_checks,
                   count(*) filter (where touchpoint = $phone) as calls
            from events where journey_type = $jt group by journey_id
        )
        select device, avg(case when calls >= 2 and app_checks >= 2 then 1 else 0 end)
        from j where device is not null group by device
        """,
            {
                "app": loop["app_touchpoint"],
                "phone": loop["phone_touchpoint"],
                "jt": loop["journey_type"],
            },
        ).fetchall()
    )
    other_rate = max(r for d, r in per_device.items() if d != loop["device"])
    assert per_device[loop["device"]] >= 2.5 * other_rate, per_device

    # transfers in one period, and satisfaction falling with them
    crisis = truth["transfer_crisis"]
    inside, outside = cur.execute(
        "select avg(transferred::int) filter (where ts >= $a and ts < $b), "
        "avg(transferred::int) filter (where ts < $a or ts >= $b) "
        "from events where touchpoint = $tp",
        {"a": crisis["start"], "b": crisis["end"], "tp": crisis["touchpoint"]},
    ).fetchone()
    assert inside >= 4 * outside, (inside, outside)
    surveys = pd.read_csv(folder / "surveys.csv", parse_dates=["timestamp"])
    events = log.frame()[["journey_id", "touchpoint"]]
    crisis_journeys = set(events.loc[events["touchpoint"] == crisis["touchpoint"], "journey_id"])
    journey_csat = surveys[
        (surveys["kind"] == "csat")
        & surveys["interaction_id"].isna()
        & surveys["journey_id"].isin(crisis_journeys)
    ]
    in_period = journey_csat["timestamp"].between(crisis["start"], crisis["end"])
    assert (
        journey_csat.loc[in_period, "score"].mean()
        < journey_csat.loc[~in_period, "score"].mean() - 0.4
    )


def test_planted_stories_in_the_committed_sample() -> None:
    _check_stories(SAMPLE)


def test_planted_stories_hold_for_another_seed_and_placement(other_dataset: Path) -> None:
    _check_stories(other_dataset)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = _generator()
    gen.generate(3_000, 5, tmp_path / "a", fmt="parquet")
    gen.generate(3_000, 5, tmp_path / "b", fmt="parquet")
    a = pd.read_parquet(tmp_path / "a" / "events.parquet")
    b = pd.read_parquet(tmp_path / "b" / "events.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert len(a) > 2_000
