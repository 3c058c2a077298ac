"""Funnels: counts worked out by hand on a tiny log, the sample's buying journeys checked
against pandas and the rates planted in them, the clickstream's payment outage seen in a weekly
funnel (and not in its null twin), the chart, the command line and the page."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import vl_convert as vlc
from statsmodels.stats.proportion import proportion_confint
from streamlit.testing.v1 import AppTest

import workbench as wb
from tests.worlds import generate
from workbench.analyses.funnel import Funnel, default_steps, funnel, journey_dates

from .conftest import ROOT, SAMPLE

# The tiny log: funnel A -> B -> C (times on 2026-01-05 unless a day is named).
#   J1 web  A 10:00, B 10:01, C 10:03                       reaches 3 (B +60 s, C +120 s)
#   J2 web  A 10:00, X, B 10:10, Y, C 10:30                 reaches 3: others may come between
#   J3 app  B, A, C                                         reaches 1: B came before A
#   J4 app  A, C                                            reaches 1: B skipped
#   J5 app  A 10:00, A 10:10, B 10:20, C 10:30              reaches 3, timed from the first A
#   J6 web  C, B                                            never reaches A: not counted
#   J7 web  (01-12) A 10:00, B 10:01, (01-14) C 10:00       reaches 3; 2 within a day
#   J8 web  (01-12) A 09:00, (01-14) A 10:00, B 10:05, C 10:10
#                                                           reaches 3; within a day from the
#                                                           second A
#   J9 app  A 10:00, B 10:02                                reaches 2
TINY = """customer,journey,touchpoint,device,ts
c1,J1,A,web,2026-01-05 10:00:00
c1,J1,B,web,2026-01-05 10:01:00
c1,J1,C,web,2026-01-05 10:03:00
c2,J2,A,web,2026-01-05 10:00:00
c2,J2,X,web,2026-01-05 10:05:00
c2,J2,B,web,2026-01-05 10:10:00
c2,J2,Y,web,2026-01-05 10:20:00
c2,J2,C,web,2026-01-05 10:30:00
c3,J3,B,app,2026-01-05 10:00:00
c3,J3,A,app,2026-01-05 10:05:00
c3,J3,C,app,2026-01-05 10:10:00
c4,J4,A,app,2026-01-05 10:00:00
c4,J4,C,app,2026-01-05 10:05:00
c5,J5,A,app,2026-01-05 10:00:00
c5,J5,A,app,2026-01-05 10:10:00
c5,J5,B,app,2026-01-05 10:20:00
c5,J5,C,app,2026-01-05 10:30:00
c6,J6,C,web,2026-01-05 10:00:00
c6,J6,B,web,2026-01-05 10:05:00
c7,J7,A,web,2026-01-12 10:00:00
c7,J7,B,web,2026-01-12 10:01:00
c7,J7,C,web,2026-01-14 10:00:00
c8,J8,A,web,2026-01-12 09:00:00
c8,J8,A,web,2026-01-14 10:00:00
c8,J8,B,web,2026-01-14 10:05:00
c8,J8,C,web,2026-01-14 10:10:00
c9,J9,A,app,2026-01-05 10:00:00
c9,J9,B,app,2026-01-05 10:02:00
"""
ABC = ["A", "B", "C"]
DAY = 86400


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> wb.JourneyModel:
    path = tmp_path_factory.mktemp("funnel") / "events.csv"
    path.write_text(TINY)
    return wb.build_journeys(wb.load_events(path))


def _column(f: Funnel, column: str, group: str = "all") -> list:
    return f.table.loc[f.table["group"] == group, column].tolist()


# -- the tiny log, by hand ------------------------------------------------------------------------


def test_journeys_count_at_each_step_only_in_order(tiny: wb.JourneyModel) -> None:
    f = funnel(tiny, ABC)
    assert f.steps == ("A", "B", "C") and not f.steps_guessed
    assert _column(f, "touchpoint") == ABC
    assert _column(f, "journeys") == [8, 6, 5]  # J3 (B before A) and J4 (no B) stop at A
    assert _column(f, "dropped") == [0, 2, 1]
    assert _column(f, "conversion") == pytest.approx([1, 6 / 8, 5 / 8])
    assert _column(f, "step_conversion") == pytest.approx([1, 6 / 8, 5 / 6])
    low, high = proportion_confint(5, 8, alpha=0.05, method="wilson")
    assert _column(f, "conversion_low")[2] == pytest.approx(low)
    assert _column(f, "conversion_high")[2] == pytest.approx(high)
    low, high = proportion_confint(5, 6, alpha=0.05, method="wilson")
    assert _column(f, "step_conversion_low")[2] == pytest.approx(low)
    assert _column(f, "step_conversion_high")[2] == pytest.approx(high)


def test_step_times_run_from_the_previous_step(tiny: wb.JourneyModel) -> None:
    medians = _column(funnel(tiny, ABC), "median_seconds")
    assert pd.isna(medians[0])
    # A -> B: J1 60, J2 600, J5 1200 (from the first A), J7 60, J8 2 d 1 h 5 min, J9 120
    # B -> C: J1 120, J2 1200, J5 600, J7 2 d - 60 s, J8 300
    assert medians[1:] == pytest.approx([(120 + 600) / 2, 600])


def test_the_order_of_the_steps_matters(tiny: wb.JourneyModel) -> None:
    # B then A: only J3 visits A after B; every journey but J4 visits B
    assert _column(funnel(tiny, ["B", "A"]), "journeys") == [8, 1]


def test_a_step_repeated_in_the_funnel_needs_a_second_visit(tiny: wb.JourneyModel) -> None:
    assert _column(funnel(tiny, ["A", "A"]), "journeys") == [8, 2]  # J5 and J8 visit A twice


def test_within_asks_every_step_soon_after_the_first(tiny: wb.JourneyModel) -> None:
    f = funnel(tiny, ABC, within="1d")
    assert f.within_seconds == DAY
    # J7's C comes two days after its A; J8 counts from its second A, and so is timed from it
    assert _column(f, "journeys") == [8, 6, 4]
    assert _column(funnel(tiny, ABC, within=DAY), "journeys") == [8, 6, 4]
    assert _column(funnel(tiny, ABC, within="30s"), "journeys") == [8, 0, 0]
    assert max(_column(f, "median_seconds")[1:]) < DAY


def test_split_by_an_attribute_and_by_week(tiny: wb.JourneyModel) -> None:
    f = funnel(tiny, ABC, by="device")
    assert f.groups == ["app", "web"]  # as large at step 1: by name
    assert _column(f, "journeys", "web") == [4, 4, 4]
    assert _column(f, "journeys", "app") == [4, 2, 1]
    weekly = funnel(tiny, ABC, period="week")
    assert weekly.groups == ["2026-W02", "2026-W03"]
    assert _column(weekly, "journeys", "2026-W02") == [6, 4, 3]
    assert _column(weekly, "journeys", "2026-W03") == [2, 2, 2]
    assert "By week" not in weekly.sentence  # groups this small are not named as best or worst


def test_a_date_range_keeps_the_journeys_that_start_in_it(tiny: wb.JourneyModel) -> None:
    assert journey_dates(tiny) == (date(2026, 1, 5), date(2026, 1, 12))
    assert _column(funnel(tiny, ABC, start="2026-01-10"), "journeys") == [2, 2, 2]
    assert _column(funnel(tiny, ABC, end=date(2026, 1, 5)), "journeys") == [6, 4, 3]
    empty = funnel(tiny, ABC, start="2026-02-01")
    assert _column(empty, "journeys") == [0, 0, 0]
    assert empty.sentence == "No journey reached A."


def test_the_sentence_names_the_largest_loss(tiny: wb.JourneyModel) -> None:
    assert funnel(tiny, ABC).sentence == (
        "Of 8 journeys that reached A, 62 % reached C; the largest loss is between A and B: "
        "25 % of those who reached A went no further."
    )


@pytest.mark.parametrize(
    ("kwargs", "title"),
    [
        ({"steps": ["A"]}, "Bad funnel steps"),
        ({"steps": ["A", "Nowhere"]}, "Unknown touchpoint"),
        ({"steps": ABC, "by": "device", "period": "week"}, "Two splits"),
        ({"steps": ABC, "period": "day"}, "Unknown period"),
        ({"steps": ABC, "by": "colour"}, "Unknown attribute"),
        ({"steps": ABC, "within": "soon"}, "Bad time limit"),
        ({"steps": ABC, "start": "2026-02-01", "end": "2026-01-01"}, "Bad date range"),
        ({"steps": ABC, "start": "the fifth"}, "Bad date"),
    ],
)
def test_bad_settings_are_refused_with_a_title(
    tiny: wb.JourneyModel, kwargs: dict, title: str
) -> None:
    with pytest.raises(wb.ValidationError) as err:
        funnel(tiny, **kwargs)
    assert err.value.title == title


def test_a_funnel_is_counted_once_per_setting(tiny: wb.JourneyModel, monkeypatch) -> None:
    from workbench.core import db

    funnel(tiny, ["A", "C"])
    calls = []
    real = db.run
    monkeypatch.setattr(db, "run", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    funnel(tiny, ["A", "C"])
    assert calls == []
    funnel(tiny, ["A", "C"], within="1h")
    assert calls == ["duckdb/funnel/funnel_steps"]


# -- the sample -----------------------------------------------------------------------------------

BUY = ["Browse plans", "Order confirmation", "SIM delivered", "Activate SIM"]


def _reached(path: list[str], steps: list[str]) -> int:
    """How far a path gets along ``steps`` in order (the earliest match reaches furthest)."""
    k = 0
    for touchpoint in path:
        if k < len(steps) and touchpoint == steps[k]:
            k += 1
    return k


def test_the_buying_funnel_of_the_sample(sample_model: wb.JourneyModel) -> None:
    f = funnel(sample_model, BUY)
    steps = sample_model.steps().sort_values(["journey_key", "step"])
    paths = steps.groupby("journey_key")["touchpoint"].agg(lambda s: [str(t) for t in s])
    reached = paths.map(lambda p: _reached(p, BUY))
    assert _column(f, "journeys") == [int((reached >= k).sum()) for k in range(1, 5)]
    # planted (sample_data/generate.py): 12 % of buyers leave after browsing; 5 % never
    # activate the SIM they received; every confirmed order is delivered or left in the loop
    step = _column(f, "step_conversion")
    assert step[1] == pytest.approx(0.88, abs=0.04)
    assert step[3] == pytest.approx(0.95, abs=0.03)
    assert 0.8 < _column(f, "conversion")[3] < 0.9


def test_the_default_steps_are_the_most_common_path_to_a_goal(
    sample_model: wb.JourneyModel,
) -> None:
    from workbench.analyses.outcomes import guess_goals

    goals = set(guess_goals(sample_model))
    top = next(list(p) for p in sample_model.variants["path"] if p[-1] in goals)
    assert default_steps(sample_model) == list(dict.fromkeys(top))
    assert default_steps(sample_model, goals=["Activate SIM"]) == [
        "Browse plans",
        "Compare plans",
        "Order online",
        "Order confirmation",
        "SIM delivered",
        "Log in",
        "Activate SIM",
    ]
    f = funnel(sample_model)
    assert f.steps_guessed and list(f.steps) == default_steps(sample_model)


def test_the_chart_draws_every_bar_with_its_share(sample_model: wb.JourneyModel) -> None:
    f = funnel(sample_model, BUY, period="month")
    spec = wb.charts.funnel_chart(f).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["field"] == "group"
    svg = vlc.vegalite_to_svg({**spec, "width": 900})
    first = f.table.iloc[1]
    assert f"{100 * first['conversion']:.0f} % · {first['journeys']:,}" in svg
    assert svg.count("<path") >= len(f.table)
    plain = wb.charts.funnel_chart(funnel(sample_model, BUY)).to_dict()
    assert plain["layer"][0]["encoding"]["color"] == {"value": "#3d5a80"}
    trend = wb.charts.funnel_trend_chart(f).to_dict()
    moves = {r["move"] for r in trend["datasets"][trend["data"]["name"]]}
    assert moves == {
        "1→2: Browse plans → Order confirmation",
        "2→3: Order confirmation → SIM delivered",
        "3→4: SIM delivered → Activate SIM",
    }


# -- the clickstream world: the payment outage ----------------------------------------------------


def _weekly_purchase(tmp: Path, stories: bool) -> tuple[pd.DataFrame, dict]:
    truth = generate("clickstream", tmp, seed=1, stories=stories)
    model = wb.build_journeys(wb.load_events(tmp / "events.csv"))
    f = funnel(model, ["checkout", "payment", "purchase"], period="week")
    t = f.table[f.table["step"] == 3].set_index("group")
    return t, truth


def _outage_weeks() -> set[str]:
    # the outage runs 2025-10-13 (Monday of ISO week 42) to 2025-11-03 (exclusive)
    return {"2025-W42", "2025-W43", "2025-W44"}


def test_the_weekly_funnel_shows_the_payment_outage(tmp_path: Path) -> None:
    t, truth = _weekly_purchase(tmp_path, stories=True)
    story = next(s for s in truth["stories"] if s["name"] == "payment_outage")
    weeks = {
        d.strftime("%G-W%V")
        for d in pd.date_range(story["start"], story["end"], freq="D", inclusive="left")
    }
    assert weeks == _outage_weeks()
    inside, outside = t.loc[sorted(weeks)], t.drop(index=sorted(weeks))
    pooled_in = inside["journeys"].sum() / (inside["journeys"] + inside["dropped"]).sum()
    pooled_out = outside["journeys"].sum() / (outside["journeys"] + outside["dropped"]).sum()
    # planted: 35 % buy after the payment page in the outage, 84 % otherwise
    assert pooled_in == pytest.approx(story["rate_inside"], abs=0.08)
    assert pooled_out == pytest.approx(story["rate_outside"], abs=0.06)
    # every outage week lower than every other week, beyond its interval
    assert inside["step_conversion_high"].max() < outside["step_conversion"].min()


def test_the_null_twin_shows_no_outage(tmp_path: Path) -> None:
    t, _ = _weekly_purchase(tmp_path, stories=False)
    weeks = sorted(_outage_weeks())
    inside, outside = t.loc[weeks], t.drop(index=weeks)
    pooled_in = inside["journeys"].sum() / (inside["journeys"] + inside["dropped"]).sum()
    pooled_out = outside["journeys"].sum() / (outside["journeys"] + outside["dropped"]).sum()
    assert abs(pooled_in - pooled_out) < 0.08


def test_the_default_clickstream_funnel_ends_at_a_purchase(tmp_path: Path) -> None:
    generate("clickstream", tmp_path, seed=1)
    model = wb.build_journeys(wb.load_events(tmp_path / "events.csv"))
    steps = default_steps(model)
    assert steps[-1] == "purchase" and len(steps) == len(set(steps)) >= 3


# -- command line and page ------------------------------------------------------------------------


def test_the_funnel_command_prints_steps_table_and_sentence(sample_model: wb.JourneyModel) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "funnel",
            "--events",
            str(SAMPLE / "events.csv"),
            "--steps",
            ",".join(BUY),
            "--by",
            "month",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    expected = funnel(sample_model, BUY, period="month")
    assert doc["steps"] == BUY and doc["sentence"] == expected.sentence
    assert doc["params"]["period"] == "month"
    table = pd.DataFrame(doc["table"])
    assert table["journeys"].tolist() == expected.table["journeys"].tolist()
    assert table["group"].nunique() == 6


def test_the_funnel_command_refuses_an_unknown_touchpoint() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "funnel",
            "--events",
            str(SAMPLE / "events.csv"),
            "--steps",
            "Browse plans,Nowhere",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 2 and "Unknown touchpoint" in done.stderr


def test_the_funnel_page_answers_then_draws(sample_model: wb.JourneyModel) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/funnel.py").run()
    assert not at.exception
    expected = funnel(sample_model)
    texts = [m.value for m in at.markdown]
    assert f"**{expected.sentence}**" in texts
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    shown = next(d.value for d in at.dataframe if "from step 1" in d.value.columns)
    assert shown["journeys"].tolist() == expected.table["journeys"].tolist()
    assert shown["from step 1"].iloc[-1] == f"{100 * expected.table['conversion'].iloc[-1]:.1f} %"
    at.selectbox(key="fu_split").set_value("week").run()
    assert not at.exception
    assert any("By week" in t for t in (m.value for m in at.markdown))
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 2  # and a trend
    at.multiselect(key="fu_steps").set_value(["Log in"]).run()
    assert any("at least two touchpoints" in i.value for i in at.info)
