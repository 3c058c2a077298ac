"""Friction's journey-level signals, transfers that are steps, and what is below the floor: each
on a small seeded log that plants one story only the thing tested can find."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import workbench as wb
from ui.state import Dataset
from workbench.analyses.friction.reaches import below_floor, floor_sentence, journey_series
from workbench.cli import main as cli_main
from workbench.core.errors import ValidationError
from workbench.ingest.vocabulary import is_transfer

from .conftest import ROOT

START = datetime(2026, 1, 5)  # a Monday
#: A path: (touchpoint, channel) steps; made from a random draw, the journey's day and device.
Path_ = Callable[[random.Random, int, str], list[tuple[str, str]]]


def _write_log(
    out: Path, make: Path_, days: int = 112, per_day: int = 20, seed: int = 1,
    devices: tuple[tuple[str, float], ...] = (("a", 0.45), ("b", 0.35), ("c", 0.2)),
) -> Path:  # fmt: skip
    """A log of ``days`` days with ``per_day`` journeys a day, each made by ``make``."""
    rng = random.Random(seed)
    rows = []
    n = 0
    for day in range(days):
        for _ in range(per_day):
            n += 1
            draw, device = rng.random(), devices[-1][0]
            for name, share in devices:
                if draw < share:
                    device = name
                    break
                draw -= share
            at = START + timedelta(days=day, minutes=rng.randrange(60 * 20))
            for i, (touchpoint, channel) in enumerate(make(rng, day, device)):
                stamp = (at + timedelta(minutes=2 * i)).strftime("%Y-%m-%d %H:%M:%S")
                rows.append([f"C{n:05d}", f"J{n:05d}", touchpoint, channel, stamp, device])
    path = out / "events.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "journey_id", "touchpoint", "channel", "timestamp", "device"])
        w.writerows(rows)
    return path


def _model(path: Path) -> wb.JourneyModel:
    return wb.build_journeys(wb.load_events(path))


# -- conversion after a point ------------------------------------------------------------------

BROKEN = (35, 56)  # days: weeks 6, 7 and 8


def _conversion(rng: random.Random, day: int, device: str) -> list[tuple[str, str]]:
    """Home, then (60 %) the offer and one of four pages chosen alike, then the goal. From day
    35 to 55 the goal is reached after the offer by 30 % instead of 85 %: the moves leaving the
    offer keep their shares, only what happens later changes."""
    path = [("home", "web")]
    if rng.random() < 0.6:
        path.append(("offer", "web"))
        path.append((rng.choice(["details", "compare", "reviews", "faq"]), "web"))
        converts = 0.3 if BROKEN[0] <= day < BROKEN[1] else 0.85
    else:
        path.append((rng.choice(["news", "help"]), "web"))
        converts = 0.85
    if rng.random() < converts:
        path.append(("signup", "web"))
    return path


def test_conversion_after_a_point_that_collapses_is_an_incident_there(tmp_path: Path) -> None:
    ranking = wb.rank_friction(_model(_write_log(tmp_path, _conversion)), goals=["signup"])
    table = ranking.table
    at_offer = table[table["source"] == "offer"]
    incident = at_offer[
        (at_offer["finding"] == "incident") & (at_offer["signal"] == "not_converted")
    ]
    assert len(incident) == 1, table[["finding", "kind", "point", "signal"]]
    row = incident.iloc[0]
    assert row["kind"] == "not converted" and row["touchpoint"] == "offer"
    start, end = START + timedelta(days=BROKEN[0]), START + timedelta(days=BROKEN[1] - 1)
    assert abs((pd.Timestamp(row["active_from"]) - start).days) <= 7
    assert abs((pd.Timestamp(row["active_to"]) - end).days) <= 7
    assert "reach no goal after it" in row["explanation"]
    assert row["score"] >= 50 and row["rate"] > 2 * row["base_rate"]
    # the moves leaving the offer did not change: only the journey signal finds it
    assert not (at_offer["signal"] == "move").any()
    # home, before it, tells the same story less sharply and is not a second finding
    assert not ((table["source"] == "home") & (table["signal"] == "not_converted")).any()
    weekly = ranking.weekly[ranking.weekly["point_id"] == row["rank"]]
    assert len(weekly) >= 15 and weekly["units"].sum() > 1000


def test_conversion_is_not_watched_without_goals_nor_at_a_goal(tmp_path: Path) -> None:
    counts = pd.DataFrame(
        {"source": ["signup"], "period": [1], "journeys": [10], "converting": [0],
         "not_converted": [0], "retried": [2]}
    )  # fmt: skip
    series = journey_series(counts)
    assert series["signal"].tolist() == ["retry"]  # no series where conversion is not known
    calm = _write_log(tmp_path, _conversion, days=28)
    ranking = wb.rank_friction(_model(calm), goals=[])
    assert not (ranking.table["signal"] == "not_converted").any()


# -- retry in one segment ----------------------------------------------------------------------


def _retry(rng: random.Random, day: int, device: str) -> list[tuple[str, str]]:
    """A login, one of three pages, and for device c (45 %, others 10 %) the login again later
    from wherever they are; then the goal."""
    pages = ["account", "billing", "home"]
    path = [("start", "web"), ("login", "web"), (rng.choice(pages), "web")]
    if rng.random() < (0.45 if device == "c" else 0.1):
        path += [("login", "web"), (rng.choice(pages), "web")]
    path.append(("done", "web"))
    return path


@pytest.fixture(scope="module")
def retry_ranking(tmp_path_factory: pytest.TempPathFactory) -> wb.FrictionRanking:
    out = tmp_path_factory.mktemp("retry")
    devices = (("a", 0.5), ("b", 0.3), ("c", 0.195), ("fax", 0.005))
    return wb.rank_friction(_model(_write_log(out, _retry, devices=devices)), goals=["done"])


def test_retry_that_rises_in_one_segment_is_a_segment_finding(
    retry_ranking: wb.FrictionRanking,
) -> None:
    table = retry_ranking.table
    found = table[(table["finding"] == "segment") & (table["source"] == "login")]
    assert found["segment"].tolist() == ["device = c"], table[["finding", "point", "segment"]]
    row = found.iloc[0]
    assert row["kind"] == "retry" and row["touchpoint"] == "login"
    assert {"signal": "retry", "target": "(again)"} in row["signals"]
    assert "come back to it later" in row["explanation"]
    assert 0.35 < row["rate"] < 0.55 and row["base_rate"] < 0.15
    assert row["ci_low"] < row["rate"] < row["ci_high"]
    assert not (table["finding"] == "incident").any()  # steady: no period departs


# -- below the floor ---------------------------------------------------------------------------


def test_segment_values_too_thin_to_test_are_listed(retry_ranking: wb.FrictionRanking) -> None:
    below = retry_ranking.below_floor
    assert list(below.columns) == ["attribute", "value", "journeys", "floor"]
    fax = below[(below["attribute"] == "device") & (below["value"] == "fax")]
    assert len(fax) == 1 and 0 < fax["journeys"].iloc[0] < 30
    assert "segment test" in fax["floor"].iloc[0]
    assert not (below["value"] == "c").any()  # tested, so not listed
    doc = retry_ranking.to_json()
    assert {"attribute": "device", "value": "fax"}.items() <= doc["below_floor"][0].items()
    sentence = floor_sentence(below)
    assert sentence.startswith("1 segment value had too few journeys to test: device = fax (")


def test_below_floor_lists_thin_touchpoints_and_values() -> None:
    counts = pd.DataFrame({"source": ["a", "a", "b"], "period": [1, 2, 1],
                           "journeys": [20, 20, 7]})  # fmt: skip
    segments = pd.DataFrame(
        {"attribute": ["team", "team", "team"], "value": ["x", "y", "y"],
         "source": ["a", "a", "b"], "period": [1, 1, 1], "journeys": [40, 5, 3]}
    )  # fmt: skip
    table = below_floor(counts, segments, 30)
    assert table[["attribute", "value", "journeys"]].values.tolist() == [
        ["team", "y", 5],
        ["touchpoint", "b", 7],
    ]


# -- a log too short for weeks -----------------------------------------------------------------


def _short_outage(rng: random.Random, day: int, device: str) -> list[tuple[str, str]]:
    return _conversion(rng, day + 30 if 9 <= day < 13 else 0, device)


def test_a_log_too_short_for_weeks_is_read_day_by_day_and_says_so(tmp_path: Path) -> None:
    log = _write_log(tmp_path, _short_outage, days=24, per_day=60)
    ranking = wb.rank_friction(_model(log), goals=["signup"])
    assert "day by day" in ranking.period_note and "3.4 weeks" in ranking.period_note
    assert ranking.to_json()["period_note"] == ranking.period_note
    incident = ranking.table[
        (ranking.table["finding"] == "incident") & (ranking.table["source"] == "offer")
    ]
    assert len(incident) == 1
    start = pd.Timestamp(incident["active_from"].iloc[0])
    assert abs((start - pd.Timestamp(START + timedelta(days=9))).days) <= 1


def test_a_log_too_short_for_any_history_says_so(tmp_path: Path) -> None:
    ranking = wb.rank_friction(
        _model(_write_log(tmp_path, _conversion, days=3, per_day=80)), goals=["signup"]
    )
    assert "too short for a history" in ranking.period_note
    assert not (ranking.table["finding"] == "incident").any()


# -- transfers that are steps ------------------------------------------------------------------


def test_transfer_words_in_every_language() -> None:
    said = [
        "Överflyttning till andra linjen",
        "Eskalering",
        "Escalated to specialist",
        "Second line",
        "Viderestilling",
        "Siirto toiselle linjalle",
        "Call transferred",
    ]
    assert all(is_transfer(name) for name in said)
    assert not any(is_transfer(n) for n in ["Samtal besvarat", "Checkout", "Line status"])


def _calls(rng: random.Random, day: int, device: str) -> list[tuple[str, str]]:
    """A call; 40 % of billing calls (10 % of others) go to a transfer step or a specialist."""
    call = rng.choice(["Billing call", "Sales call"])
    path = [("Start", "web"), (call, "phone")]
    if rng.random() < (0.4 if call == "Billing call" else 0.1):
        path.append((rng.choice(["Escalation", "Specialist"]), "phone"))
    path.append(("Solved", "web"))
    return path


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_log(tmp_path_factory.mktemp("calls"), _calls, days=56, per_day=15)


def _transfers_at(ranking: wb.FrictionRanking, touchpoint: str) -> pd.Series:
    c = ranking.candidates
    return c[(c["signal"] == "transfer") & (c["touchpoint"] == touchpoint)].iloc[0]


def test_a_contact_followed_by_a_transfer_step_was_transferred(calls: Path) -> None:
    model = _model(calls)
    named = wb.rank_friction(model, goals=["Solved"])
    assert named.params["transfers"] == ["Escalation"]
    billing = _transfers_at(named, "Billing call")
    assert 0.12 < billing["rate"] < 0.28  # half of the 40 % go to the step named a transfer
    marked = wb.rank_friction(model, goals=["Solved"], transfers=["Escalation", "Specialist"])
    assert named.to_json()["transfers"] == ["Escalation"]
    billing = _transfers_at(marked, "Billing call")
    assert 0.32 < billing["rate"] < 0.48 and billing["significant"]
    none = wb.rank_friction(model, goals=["Solved"], transfers=())
    assert not (none.candidates["signal"] == "transfer").any()
    with pytest.raises(ValidationError, match="Specalist"):
        wb.rank_friction(model, goals=["Solved"], transfers=["Specalist"])


def test_cli_friction_marks_transfers_and_lists_the_floor(calls: Path, tmp_path: Path) -> None:
    out = tmp_path / "friction.json"
    status = cli_main(
        ["friction", "--events", str(calls), "--goal", "Solved", "--transfer", "Escalation",
         "--transfer", "Specialist", "--out", str(out)]
    )  # fmt: skip
    assert status == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["transfers"] == ["Escalation", "Specialist"]
    assert isinstance(doc["below_floor"], list) and "period_note" in doc
    assert isinstance(doc["candidates_below_floor"], int)


def test_the_friction_page_says_the_days_and_what_is_below_the_floor(tmp_path: Path) -> None:
    devices = (("a", 0.6), ("b", 0.39), ("fax", 0.01))
    log = _write_log(tmp_path, _short_outage, days=24, per_day=60, devices=devices)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["dataset"] = Dataset(str(log), log.name)
    at.session_state["fr_goals"] = ["signup"]
    at.run()
    at.switch_page("pages/friction.py").run()
    assert not at.exception
    assert any("day by day" in i.value for i in at.info)
    below = next(e for e in at.expander if e.label == "Details: below the floor")
    said = " ".join(m.value for m in below.markdown)
    assert "segment value had too few journeys to test: device = fax (" in said
