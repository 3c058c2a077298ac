"""KPIs against numbers worked out by hand on a small log (see the comments)."""

from __future__ import annotations

import math

import pytest

import workbench as wb
from workbench.analyses.kpis import JOURNEY_KPIS, nps_interval

from .conftest import DATA

# A: e2 call unresolved, e3 call two days later (a repeat of e2), resolved
# B: e4 call resolved at once
# C: e6 chat transferred to e7 call, resolved
# D: only logs in
# Latest NPS: A 5 (detractor), B 9 (promoter), C 7 (passive), D 0 (detractor)


@pytest.fixture(scope="module")
def small() -> wb.JourneyModel:
    log = wb.load_events(DATA / "kpi_events.csv", surveys=DATA / "kpi_surveys.csv")
    return wb.build_journeys(log)


@pytest.mark.parametrize(
    ("kpi", "value", "n"),
    [
        ("nps", -25.0, 4),  # (1 promoter - 2 detractors) / 4
        ("csat", 50.0, 4),  # 5 and 4 of 2, 5, 4, 3
        ("ces", 4.5, 2),  # (6 + 3) / 2
        ("ces_easy", 50.0, 2),  # 6 of 6, 3
        ("fcr", 100 / 3, 3),  # only B's first contact: A's was unresolved, C's transferred
        ("repeat_contact_rate", 25.0, 4),  # e2 -> e3; the transferred e6 does not count
        ("resolution_rate", 75.0, 4),  # e3, e4, e7 of e2, e3, e4, e7
        ("feedback_coverage", 50.0, 8),  # e2, e3, e4, e7 of 8 interactions
        ("contacts_with_feedback", 80.0, 5),
        ("analysed", 100.0, 8),
    ],
)
def test_overall_kpis_match_hand_computation(
    small: wb.JourneyModel, kpi: str, value: float, n: int
) -> None:
    fig = wb.kpis(small, min_n=1).figure(kpi)
    assert fig["value"] == pytest.approx(value)
    assert fig["n"] == n
    assert fig["warning"] == ""


def test_kpis_of_events_alone_are_the_contact_figures() -> None:
    """Without surveys the outcome queries read an empty stand-in for them, which must have
    every column the loaded surveys have (it once lacked the touchpoint, and every KPI failed)."""
    log = wb.load_events(DATA / "kpi_events.csv")
    table = wb.kpis(wb.build_journeys(log, keep=False), min_n=1).table
    journey = table["kpi"].str.split(":").str[0].isin(JOURNEY_KPIS)
    table = table[~journey]
    assert list(table["kpi"]) == ["fcr", "repeat_contact_rate", "resolution_rate", "analysed"]
    assert table.set_index("kpi")["value"].to_dict() == pytest.approx(
        {"fcr": 100 / 3, "repeat_contact_rate": 25.0, "resolution_rate": 75.0, "analysed": 100.0}
    )


def test_nps_interval_by_hand() -> None:
    value, low, high = nps_interval(1, 2, 4)
    # p = .25, d = .5, var = (.75 - .0625) / 4, half = 1.96 * sqrt(var) = 0.8126
    assert value == pytest.approx(-25.0)
    assert low == pytest.approx(-100.0)  # clipped at -100
    assert high == pytest.approx(56.26, abs=0.01)


def test_small_numbers_are_flagged(small: wb.JourneyModel) -> None:
    fig = wb.kpis(small).figure("csat")  # default min_n 30
    assert fig["warning"] == "only 4: too few to trust"
    wilson_low = wb.kpis(small, min_n=1).figure("csat")["ci_low"]
    assert wilson_low == pytest.approx(15.0, abs=0.1)  # Wilson 95 % for 2 of 4


def test_kpis_by_team_and_channel(small: wb.JourneyModel) -> None:
    by_team = wb.kpis(small, by="team", min_n=1)
    assert by_team.figure("resolution_rate", "T1")["value"] == pytest.approx(200 / 3)
    assert by_team.figure("resolution_rate", "T2")["value"] == pytest.approx(100.0)
    assert by_team.figure("csat", "T1")["n"] == 3  # e2, e3, e7
    by_channel = wb.kpis(small, by="channel", min_n=1)
    assert by_channel.figure("repeat_contact_rate", "phone")["value"] == pytest.approx(25.0)
    assert by_channel.figure("nps", "(NPS)")["value"] == pytest.approx(-25.0)
    with pytest.raises(wb.ValidationError):
        wb.kpis(small, by="colour")


def test_kpis_on_the_sample(sample_full_model: wb.JourneyModel) -> None:
    table = wb.kpis(sample_full_model, by="month")
    months = table.table[(table.table["kpi"] == "nps") & (table.table["warning"] == "")]
    assert len(months) >= 5
    assert (months["ci_low"] < months["value"]).all() and (
        months["value"] < months["ci_high"]
    ).all()
    team = wb.team_view(sample_full_model).set_index("team")
    worst = team["resolution_rate"].idxmin()
    assert worst == "Tech Support B"
    assert not math.isnan(team.loc[worst, "nps_served"])


def test_a_new_warning_threshold_counts_nothing_again() -> None:
    """The counts are kept per split, so a new threshold only re-labels them; a new repeat
    window counts again."""
    log = wb.load_events(DATA / "kpi_events.csv", surveys=DATA / "kpi_surveys.csv")
    model = wb.build_journeys(log)
    assert wb.kpis(model).figure("csat")["warning"] == "only 4: too few to trust"
    with model.using() as cur:
        cur.execute("drop table kpi_contacts")  # counting again would now fail
    assert wb.kpis(model, min_n=1).figure("csat")["warning"] == ""
    assert wb.kpis(model, min_n=1, repeat_window="1h").figure("repeat_contact_rate")["value"] == 0
