"""The journeys of a period and two periods compared: a date range keeps the journeys that
start in it and nothing else, the whole log is the model itself, and the incident weeks of a
world we did not shape around the comparison stand out while its null twin shows no change."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

import workbench as wb
from tests.worlds import generate
from workbench.journeys.changes import compare_periods
from workbench.journeys.periods import default_periods, journey_dates, journeys_between

from .conftest import ROOT, SAMPLE

MAY = ("2026-05-01", "2026-05-31")
#: The clickstream world's payment outage (2025-10-13 up to 2025-11-03) and the 3 weeks before.
INCIDENT = ("2025-10-13", "2025-11-02")
BEFORE = ("2025-09-22", "2025-10-12")


@pytest.fixture(scope="module")
def clickstream(tmp_path_factory: pytest.TempPathFactory) -> wb.JourneyModel:
    folder = tmp_path_factory.mktemp("clickstream")
    generate("clickstream", folder, seed=1)
    return wb.build_journeys(wb.load_events(folder / "events.csv"))


@pytest.fixture(scope="module")
def clickstream_null(tmp_path_factory: pytest.TempPathFactory) -> wb.JourneyModel:
    folder = tmp_path_factory.mktemp("clickstream_null")
    generate("clickstream", folder, seed=1, stories=False)
    return wb.build_journeys(wb.load_events(folder / "events.csv"))


def _starting_in(model: wb.JourneyModel, first: str, last: str) -> pd.DataFrame:
    j = model.journeys()
    day = j["start_ts"].dt.date
    return j[(day >= date.fromisoformat(first)) & (day <= date.fromisoformat(last))]


# --- the journeys of a period ---------------------------------------------------------------


def test_a_period_holds_exactly_the_journeys_that_start_in_it(
    sample_model: wb.JourneyModel,
) -> None:
    may = journeys_between(sample_model, MAY)
    expected = _starting_in(sample_model, *MAY)
    got = may.journeys()
    assert 0 < may.n_journeys < sample_model.n_journeys
    assert sorted(got["journey"]) == sorted(expected["journey"])
    # whole journeys: a journey that starts on 31 May keeps its June steps
    assert may.n_events == int(expected["length"].sum())
    assert may.n_customers == expected["customer_id"].nunique()
    assert int(may.edges["transitions"].sum()) == may.n_transitions
    assert int(may.touchpoints["events"].sum()) == may.n_events
    # the whole model is left as it was
    assert sample_model.n_journeys == len(sample_model.journeys())


def test_a_period_of_a_log_cut_by_a_session_gap_keeps_the_same_sessions(
    sample_log: wb.EventLog,
) -> None:
    model = wb.build_journeys(sample_log, session_gap="2h", keep=False)
    may = journeys_between(model, MAY)
    expected = _starting_in(model, *MAY)
    assert may.split_by == "session gap" and may.session_gap == "2h"
    got = may.journeys()[["customer_id", "start_ts", "length"]].sort_values(
        ["customer_id", "start_ts"], ignore_index=True
    )
    want = expected[["customer_id", "start_ts", "length"]].sort_values(
        ["customer_id", "start_ts"], ignore_index=True
    )
    pd.testing.assert_frame_equal(got, want)


def test_a_segment_of_a_period_counts_only_the_journeys_of_the_period(
    sample_model: wb.JourneyModel,
) -> None:
    may = journeys_between(sample_model, MAY)
    assert may.period == (date(2026, 5, 1), date(2026, 5, 31)) and sample_model.period is None
    cmp = wb.compare_segment(may, "device", "android")
    whole = wb.compare_segment(sample_model, "device", "android")
    assert cmp.segment_journeys + cmp.rest_journeys == may.n_journeys
    assert cmp.segment_journeys < whole.segment_journeys


def test_the_whole_log_is_the_model_itself(sample_model: wb.JourneyModel) -> None:
    first, last = journey_dates(sample_model)
    assert journeys_between(sample_model, (first, last)) is sample_model
    assert journeys_between(sample_model, ("2020-01-01", "2030-12-31")) is sample_model


@pytest.mark.parametrize(
    ("period", "title"),
    [
        (("2027-01-01", "2027-02-01"), "No journeys in the period"),
        (("2026-05-31", "2026-05-01"), "Period not understood"),
        (("2026-05-01", "soon"), "Period not understood"),
    ],
)
def test_a_period_without_journeys_or_not_a_period_is_refused(
    sample_model: wb.JourneyModel, period: tuple[str, str], title: str
) -> None:
    with pytest.raises(wb.ValidationError) as err:
        journeys_between(sample_model, period)
    assert err.value.title == title


def test_an_analysis_runs_on_the_journeys_of_a_period(sample_model: wb.JourneyModel) -> None:
    may = journeys_between(sample_model, MAY)
    ranking = wb.rank_friction(may)
    assert not ranking.table.empty
    assert wb.journey_graph(may).total_transitions == may.n_transitions


def test_the_command_line_takes_the_period_as_causes_does() -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "workbench", "journeys"),
            *("--events", str(SAMPLE / "events.csv"), "--period", "..".join(MAY)),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    model = wb.build_journeys(wb.load_events(SAMPLE / "events.csv"))
    assert json.loads(done.stdout)["journeys"]["journeys"] == len(_starting_in(model, *MAY))


# --- two periods compared --------------------------------------------------------------------


def test_the_default_periods_are_the_last_four_weeks_and_the_four_before(
    clickstream: wb.JourneyModel, sample_model: wb.JourneyModel
) -> None:
    last = journey_dates(clickstream)[1]
    a, b = default_periods(clickstream)
    assert b == (date(2025, 11, 24), last) and (b[1] - b[0]).days == 27
    assert a == (date(2025, 10, 27), date(2025, 11, 23))
    may = journeys_between(sample_model, ("2026-05-01", "2026-05-20"))
    a, b = default_periods(may)  # a short log: its two halves
    assert a[0] == journey_dates(may)[0] and b[1] == journey_dates(may)[1]
    assert (a[1] - a[0]) == (b[1] - b[0]) and a[1] < b[0]


def test_the_incident_weeks_send_payment_to_the_chat(clickstream: wb.JourneyModel) -> None:
    cmp = compare_periods(clickstream, BEFORE, INCIDENT)
    changes = cmp.changes()
    top = changes.iloc[0]
    assert top["change"] == "payment → chat"
    assert top["significant"] and top["direction"] == "more" and top["extra_journeys"] > 0
    assert top["difference_low"] > 0
    fewer = changes[changes["direction"] == "fewer"].iloc[0]
    assert fewer["change"] == "payment → purchase" and fewer["significant"]
    assert cmp.sentence.startswith("From 13 Oct to 2 Nov 2025, 13 % of the journeys that visit")
    assert "go on to chat, up from none" in cmp.sentence
    assert "go on to purchase, down from" in cmp.sentence


def test_the_null_twin_shows_no_change(clickstream_null: wb.JourneyModel) -> None:
    cmp = compare_periods(clickstream_null, BEFORE, INCIDENT)
    assert not cmp.changes()["significant"].any(), cmp.changes(5)
    assert "no move or touchpoint changed beyond chance" in cmp.sentence


def test_the_comparison_reconciles_with_the_models_of_its_periods(
    clickstream: wb.JourneyModel,
) -> None:
    cmp = compare_periods(clickstream, BEFORE, INCIDENT)
    for days, n, column in (
        (BEFORE, cmp.a_journeys, "a_journeys"),
        (INCIDENT, cmp.b_journeys, "b_journeys"),
    ):
        sub = journeys_between(clickstream, days)
        assert sub.n_journeys == n
        visits = cmp.nodes.set_index("touchpoint")[column]
        tps = sub.touchpoints.set_index("touchpoint")["journeys"]
        assert visits[visits > 0].sort_index().to_dict() == tps.sort_index().to_dict()


def test_overlapping_or_empty_periods_are_refused(clickstream: wb.JourneyModel) -> None:
    with pytest.raises(wb.ValidationError) as err:
        compare_periods(clickstream, ("2025-10-01", "2025-10-20"), INCIDENT)
    assert err.value.title == "Periods overlap"
    with pytest.raises(wb.ValidationError) as err:
        compare_periods(clickstream, ("2024-01-01", "2024-01-31"), INCIDENT)
    assert err.value.title == "Empty period"


def test_the_map_colours_only_the_changes_beyond_chance(clickstream: wb.JourneyModel) -> None:
    cmp = compare_periods(clickstream, BEFORE, INCIDENT)
    dot = wb.charts.journey_map_dot(wb.journey_graph(clickstream), comparison=cmp)
    lines = dot.splitlines()
    chat = next(line for line in lines if '"payment" -> "chat"' in line)
    bought = next(line for line in lines if '"payment" -> "purchase"' in line)
    calm = next(line for line in lines if '"cart" -> "checkout"' in line)
    colour = chat.split('color="#')[1][:6]
    assert int(colour[:2], 16) > int(colour[4:], 16)  # red: significantly more
    assert "+3 pp" in chat
    assert 'color="#1d4e89"' in bought  # full blue: the largest change, fewer journeys
    assert 'color="#b0b8c4"' in calm  # grey: no change beyond chance
