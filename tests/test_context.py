"""Surveys and customer lists load beside the events, each with its own mapping and accounting."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import workbench as wb
from workbench.core import db

from .conftest import SAMPLE

BAD = Path(__file__).parent / "data" / "bad_surveys"


def test_sample_surveys_and_customers(
    sample_full_model: wb.JourneyModel, sample_truth: dict
) -> None:
    log = sample_full_model.log
    s, c = log.survey_report, log.customer_report
    assert s is not None and c is not None
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (
        sample_truth["rows"]["surveys"],
    ) * 2 + (0,)
    assert c.rows_loaded == sample_truth["rows"]["customers"] and c.unmatched == 0
    assert s.mapping.get("kind") == "kind" and s.mapping.get("interaction") == "interaction_id"
    kinds = dict(log.cursor().execute("select kind, count(*) from surveys group by 1").fetchall())
    assert set(kinds) == {"nps", "csat", "ces"}


def test_survey_rows_are_loaded_or_rejected_with_reasons() -> None:
    log = wb.load_events(SAMPLE / "events.csv", surveys=BAD / "surveys_mixed.csv")
    r = log.survey_report
    assert r is not None
    assert r.mapping.get("customer") == "kund" and r.mapping.get("score") == "betyg"
    assert r.mapping.get("comment") == "kommentar"
    assert r.rows_read == r.rows_loaded + r.rows_rejected == 9
    reasons = dict(zip(r.rejected["line"], r.rejected["reason"], strict=True))
    assert reasons == {
        3: "CSAT score outside 1-5",
        5: "unknown survey kind (expected nps, csat or ces)",
        6: "score is empty",
        7: "score is not a number",
        8: "customer id is empty",
        9: "time not understood in the detected format",
    }
    assert r.unmatched == 1  # C9999999 has no events
    row = (
        log.cursor()
        .execute("select kind, score from surveys where customer_id = 'C0000002'")
        .fetchone()
    )
    assert row == ("ces", 5.5)  # decimal comma read, 'Customer Effort' normalised


def test_customer_duplicates_and_empty_ids() -> None:
    log = wb.load_events(SAMPLE / "events.csv", customers=BAD / "customers_dupes.csv")
    r = log.customer_report
    assert r is not None
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.unmatched) == (5, 3, 2, 1)
    assert list(r.rejected["line"]) == [4, 5]
    assert r.rejected.iloc[0]["reason"] == "customer id repeated (first at row 1)"


def test_survey_mapping_override_and_missing_roles(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("who,metric,val,answered\nC0000001,nps,10,2026-04-01 10:00\n")
    log = wb.load_events(
        SAMPLE / "events.csv", surveys=p, survey_mapping={"customer": "who", "score": "val"}
    )
    assert log.survey_report is not None and log.survey_report.rows_loaded == 1
    with pytest.raises(wb.ValidationError) as err:
        wb.load_events(SAMPLE / "events.csv", surveys=p)
    assert err.value.title == "Columns not mapped"
    assert "--survey-map" in err.value.message


def test_outcomes_tie_surveys_to_journeys(sample_full_model: wb.JourneyModel) -> None:
    from workbench.analyses.outcomes import outcome_table

    table = outcome_table(sample_full_model)
    assert len(table) == sample_full_model.n_journeys
    assert table["csat"].notna().sum() > 1000
    assert set(table["detractor"].dropna().unique()) == {True, False}
    assert table["reached_goal"].mean() > 0.8


def test_decimal_attributes_keep_their_decimals() -> None:
    import workbench as wb

    from .conftest import SAMPLE

    log = wb.load_events(SAMPLE / "events.csv", customers=SAMPLE / "customers.csv")
    assert log.customer_report is not None
    assert log.customer_report.attribute_types["monthly_revenue"] == "DOUBLE"
    assert log.customer_report.attribute_types["tenure_months"] == "BIGINT"
    first = (
        log.cursor()
        .execute("select monthly_revenue from customers where customer_id = 'C0000001'")
        .fetchone()
    )
    assert first is not None and first[0] == 28.71


def test_surveys_and_customers_load_from_dataframes() -> None:
    import pandas as pd

    import workbench as wb

    from .conftest import SAMPLE

    surveys = pd.read_csv(SAMPLE / "surveys.csv")
    customers = pd.read_csv(SAMPLE / "customers.csv")
    log = wb.load_events(pd.read_csv(SAMPLE / "events.csv"), surveys=surveys, customers=customers)
    assert log.survey_report is not None and log.survey_report.rows_loaded == len(surveys)
    assert log.customer_report is not None and log.customer_report.rows_loaded == len(customers)


def test_a_clean_survey_file_is_not_read_again_to_account_for_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = tmp_path / "events.csv"
    events.write_text("customer_id,touchpoint,timestamp\nC1,Log in,2026-01-01 10:00\n")
    header = "customer_id,kind,score,timestamp\n"
    clean, dirty = tmp_path / "clean.csv", tmp_path / "dirty.csv"
    clean.write_text(header + "C1,nps,9,2026-01-01 11:00\nC2,csat,4,2026-01-02 11:00\n")
    dirty.write_text(header + "C1,nps,9,2026-01-01 11:00\nC2,csat,7,2026-01-02 11:00\n")
    ran: list[str] = []
    run = db.run

    def spy(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
        ran.append(name)
        return run(con, name, **params)

    monkeypatch.setattr(db, "run", spy)
    r = wb.load_events(events, surveys=clean).survey_report
    assert r is not None and (r.rows_read, r.rows_loaded, r.rows_rejected) == (2, 2, 0)
    assert "staging/rejected_context" not in ran
    r = wb.load_events(events, surveys=dirty).survey_report
    assert "staging/rejected_context" in ran
    assert r is not None and (r.rows_read, r.rows_loaded, r.rows_rejected) == (2, 1, 1)
    assert (r.rejected.iloc[0]["line"], r.rejected.iloc[0]["reason"]) == (
        3,
        "CSAT score outside 1-5",
    )
