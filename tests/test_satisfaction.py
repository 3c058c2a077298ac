"""Journey vs touchpoint: the verdict follows what the data was made of; nothing hard-coded."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench.analyses import satisfaction

from .conftest import full_model, generate


@pytest.fixture(scope="module")
def touchpoint_driven(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("tp"), seed=5, driver="touchpoint")


def _expected(folder: Path) -> str:
    driver = json.loads((folder / "truth.json").read_text())["driver"]
    return {"journey": "journey", "touchpoint": "touchpoint", "none": "undecided"}[driver]


def test_sample_recovers_the_planted_relationship(
    sample_full_model: wb.JourneyModel, sample_truth: dict
) -> None:
    result = wb.compare_levels(sample_full_model, "nps", boots=400)
    assert result.verdict == {"journey": "journey"}[sample_truth["driver"]]
    assert result.difference["ci_low"] > 0
    assert result.journey_level["ci_low"] > 0  # the relationship is there, not just relative
    contacts = result.measures.set_index("measure").loc["contacts_per_journey"]
    assert contacts["spearman"] < 0 and contacts["ci_high"] < 0  # more contacts, lower NPS
    assert result.n > 300


@pytest.mark.parametrize("which", ["touchpoint", "none"])
def test_verdict_follows_the_data(which: str, touchpoint_driven: Path, calm_data: Path) -> None:
    folder = touchpoint_driven if which == "touchpoint" else calm_data
    result = wb.compare_levels(full_model(folder), "nps", boots=400)
    assert result.verdict == _expected(folder), result.sentence()


def test_binary_outcome_uses_auc(sample_full_model: wb.JourneyModel) -> None:
    result = wb.compare_levels(sample_full_model, "detractor", boots=300)
    assert result.metric == "cross-validated AUC"
    assert 0.5 < result.journey_level["strength"] <= 1
    doc = result.to_json()
    assert set(doc) >= {
        "outcome",
        "n",
        "journey_level",
        "touchpoint_level",
        "difference",
        "verdict",
    }
    assert set(doc["difference"]) == {"strength", "ci_low", "ci_high"}
    json.dumps(doc)


def test_loyalty_and_value(sample_full_model: wb.JourneyModel) -> None:
    lv = wb.loyalty_value(sample_full_model)
    diffs = lv.differences.set_index("measure")
    assert diffs.loc["revenue", "ci_low"] > 0  # promoters bring more revenue
    assert diffs.loc["churn", "ci_high"] < 0  # and churn less
    assert diffs.loc["contacts", "ci_high"] < 0  # and need fewer contacts
    assert lv.groups["customers"].sum() > 1000
    assert "promoters bring" in lv.sentence()


def test_drivers_find_the_transfer_leg(
    sample_full_model: wb.JourneyModel, sample_truth: dict
) -> None:
    drivers = wb.journey_drivers(sample_full_model)
    top = drivers.iloc[0]
    assert top["difference"] < 0 and top["ci_high"] < 0
    crisis = sample_truth["stories"]["transfer_crisis"]
    worst_move = drivers[drivers["journey_type"] == crisis["journey_type"]].iloc[0]
    assert worst_move["touchpoint"] == crisis["transfer_touchpoint"]


def test_too_few_customers_is_a_titled_error(tmp_path: Path) -> None:
    from .conftest import DATA

    log = wb.load_events(DATA / "kpi_events.csv", surveys=DATA / "kpi_surveys.csv")
    with pytest.raises(wb.ValidationError) as err:
        wb.compare_levels(wb.build_journeys(log), "nps")
    assert err.value.title == "Too few customers"
    with pytest.raises(wb.ValidationError):
        wb.compare_levels(wb.build_journeys(log), "happiness")


@pytest.mark.parametrize("outcome", ["nps", "detractor"])
def test_large_sample_intervals_agree_with_the_bootstrap(
    outcome: str, sample_full_model: wb.JourneyModel
) -> None:
    boot = wb.compare_levels(sample_full_model, outcome, intervals="bootstrap", boots=2000)
    fast = wb.compare_levels(sample_full_model, outcome, intervals="analytic")
    assert boot.params["intervals"] == "bootstrap" and fast.params["intervals"] == "analytic"
    assert fast.verdict == boot.verdict
    for level in ("journey_level", "touchpoint_level", "difference"):
        a, b = getattr(fast, level), getattr(boot, level)
        assert a["strength"] == pytest.approx(b["strength"])
        width = b["ci_high"] - b["ci_low"]
        assert abs(a["ci_low"] - b["ci_low"]) < 0.2 * width, level
        assert abs(a["ci_high"] - b["ci_high"]) < 0.2 * width, level
    merged = fast.measures.merge(boot.measures, on="measure", suffixes=("_a", "_b"))
    width = merged["ci_high_b"] - merged["ci_low_b"]
    assert ((merged["ci_low_a"] - merged["ci_low_b"]).abs() < 0.2 * width).all()
    assert ((merged["ci_high_a"] - merged["ci_high_b"]).abs() < 0.2 * width).all()


def test_auto_intervals_bootstrap_small_samples(sample_full_model: wb.JourneyModel) -> None:
    result = wb.compare_levels(sample_full_model, "nps", boots=200)
    assert result.n <= satisfaction.BOOTSTRAP_MAX_N
    assert result.params["intervals"] == "bootstrap" and result.params["boots"] == 200
    with pytest.raises(wb.ValidationError) as err:
        wb.compare_levels(sample_full_model, "nps", intervals="jackknife")
    assert err.value.title == "Unknown interval method"


def test_satisfaction_after_the_kpis_reads_their_survey_responses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The KPIs and the Satisfaction page both read every survey response with what it rates:
    on one model and set of visits, the second builds no second copy, and answers as if it were
    first."""
    from workbench.core import db

    sample = Path(__file__).resolve().parent.parent / "sample_data"
    alone = wb.compare_levels(full_model(sample), "nps")
    model = full_model(sample)
    run: list[str] = []
    execute = db._execute

    def recording(con: object, name: str, sql: str, params: dict) -> object:
        run.append(name)
        return execute(con, name, sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "_execute", recording)
    wb.kpis(model, by="month")
    after = wb.compare_levels(model, "nps")
    assert run.count("kpis/responses") == 1
    assert "satisfaction/customer_measures" in run
    assert after.journey_level == alone.journey_level and after.n == alone.n
    pd.testing.assert_frame_equal(after.measures, alone.measures)


def test_the_headline_says_the_verdict_in_plain_words(sample_full_model: wb.JourneyModel) -> None:
    nps = wb.compare_levels(sample_full_model, "nps", boots=50)
    churn = wb.compare_levels(sample_full_model, "churn", boots=50)
    assert nps.headline().startswith("Whole journeys explain NPS better")
    assert "of the differences between customers" in nps.headline()
    assert "(a coin: 50 %)" in churn.headline()  # a yes/no outcome: how often told apart
    for text in (nps.headline(), churn.headline()):
        assert "R²" not in text and "AUC" not in text and "CI" not in text
