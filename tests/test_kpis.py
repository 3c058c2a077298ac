"""KPIs against numbers worked out by hand on a small log (see the comments)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from tests.worlds import generate
from workbench.analyses.contacts import classify_contacts
from workbench.analyses.kpis import JOURNEY_KPIS, nps_interval

from .conftest import DATA, ROOT

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


# -- logs this project did not make (tests/worlds) ---------------------------------------------


def _world(tmp_path: Path, name: str, stories: bool = True) -> tuple[wb.JourneyModel, Path]:
    generate(name, tmp_path, seed=1, stories=stories)
    events = tmp_path / "events.csv"
    return wb.build_journeys(wb.load_events(events)), events  # no mapping: names are known


@pytest.mark.parametrize("stories", [True, False])
def test_a_web_shops_conversion_is_its_share_of_sessions_that_buy(
    tmp_path: Path, stories: bool
) -> None:
    model, events = _world(tmp_path, "clickstream", stories)
    table = wb.kpis(model)
    assert table.params["goals"] == ["purchase"] and table.params["goals_guessed"]
    raw = pd.read_csv(events)
    pages = raw.groupby("session_id")["page"].agg(set)
    bought = pages.map(lambda p: "purchase" in p)
    fig = table.figure("conversion:purchase")
    assert fig["n"] == len(pages) and fig["value"] == pytest.approx(100 * bought.mean())
    assert fig["ci_low"] < fig["value"] < fig["ci_high"]
    # of the sessions that reach the payment page, the planted share buys (84 %): lower with
    # the payment outage, at the planted rate in the null twin
    paid = pages.map(lambda p: "payment" in p)
    per_payment = bought[paid].mean()
    assert per_payment == (
        pytest.approx(0.84, abs=0.03) if not stories else pytest.approx(0.74, abs=0.05)
    )
    visits = raw.groupby("visitor_id")["session_id"].nunique()
    assert table.figure("repeat_visits")["value"] == pytest.approx(100 * (visits > 1).mean())
    steps = table.figure("steps_median")
    assert steps["value"] == raw.groupby("session_id").size().median()
    assert steps["ci_low"] <= steps["value"] <= steps["ci_high"]
    to_goal = table.figure("time_to_goal_median")
    assert to_goal["n"] == bought.sum() and to_goal["ci_low"] <= to_goal["value"]


def test_the_web_shops_incidents_lower_its_conversion_against_its_null_twin(
    tmp_path: Path,
) -> None:
    broken = wb.kpis(_world(tmp_path / "stories", "clickstream")[0]).figure("conversion:purchase")
    calm = wb.kpis(_world(tmp_path / "calm", "clickstream", False)[0]).figure("conversion:purchase")
    assert broken["ci_high"] < calm["ci_low"]  # 15.4 % against 21.4 % (seed 1)


def test_a_swedish_contact_centre_counts_telefon_chatt_and_e_post_as_contacts(
    tmp_path: Path,
) -> None:
    model, _ = _world(tmp_path, "contact_centre")
    assert model.log.report.mapping.customer == "kundnr"
    table = wb.kpis(model)
    fcr = table.figure("fcr")  # one per journey with a contact
    assert 0 < fcr["n"] < model.n_journeys
    assert 50 < fcr["value"] < 95  # a case closed in the channel is no second contact
    assert table.params["goals"] == ["Ärende löst"]
    classes = classify_contacts(model.log)
    assert classes.contacts == ("butik", "chatt", "e-post", "telefon")
    assert classes.others == ("app", "webb")
    by_channel = wb.kpis(model, by="channel")
    assert {"chatt", "e-post", "telefon"} <= set(
        by_channel.table.loc[by_channel.table["kpi"] == "fcr", "group"]
    )
    # the analyst decides: without the phone, fewer journeys have a contact; with only the web
    # none has, and the page says why there is no first-contact resolution
    fewer = wb.kpis(model, contacts=["chatt", "e-post"]).figure("fcr")["n"]
    assert 0 < fewer < fcr["n"]
    none = wb.kpis(model, contacts=["webb"])
    assert "fcr" not in set(none.table["kpi"])
    assert any("contact" in line for line in none.unavailable())
    with pytest.raises(wb.ValidationError, match="fax"):
        wb.kpis(model, contacts=["fax"])


def test_goals_given_are_checked_and_measured(tmp_path: Path) -> None:
    model, _ = _world(tmp_path, "clickstream")
    table = wb.kpis(model, goals=["cart", "purchase"], by="week")
    kpis = set(table.table["kpi"])
    assert {"conversion:cart", "conversion:purchase", "time_to_goal_p90"} <= kpis
    assert table.table["group"].str.match(r"\d{4}-W\d\d").all()
    with pytest.raises(wb.ValidationError, match="do not occur"):
        wb.kpis(model, goals=["basket"])


def test_a_case_only_log_has_no_repeat_visits() -> None:
    """Each case counts as its own customer, so the share of customers who come back would
    always be 0: it is left out, and conversion to the tickets' goal is kept."""
    model = wb.build_journeys(wb.load_events(DATA / "xes_tickets.csv"))
    assert model.customers_are_cases
    table = wb.kpis(model, goals=["Closed"]).table
    assert "repeat_visits" not in set(table["kpi"])
    assert "conversion:Closed" in set(table["kpi"])


def test_kpis_by_a_customer_attribute_split_every_response_by_the_customer_s_value(
    sample_full_model: wb.JourneyModel,
) -> None:
    """A split by a customer-list attribute gives each NPS response its customer's region: the
    groups are the regions and their counts add up to all the responses."""
    by_region = wb.kpis(sample_full_model, by="region").table
    everyone = wb.kpis(sample_full_model).table
    nps = by_region[by_region["kpi"] == "nps"]
    customers = pd.read_csv(ROOT / "sample_data" / "customers.csv")
    assert set(nps["group"]) == set(customers["region"])
    total = everyone.loc[everyone["kpi"] == "nps", "n"].item()
    assert nps["n"].sum() == total
