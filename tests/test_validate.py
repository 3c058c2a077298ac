"""Data-quality problems are rows a person can act on, and can stop a pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench as wb

BAD = Path(__file__).parent / "data" / "bad_inputs"


def test_clean_sample_has_no_errors(sample_log: wb.EventLog) -> None:
    problems = wb.validate(sample_log)
    assert problems.errors.empty
    problems.raise_first()  # nothing to raise


def test_rejected_rows_are_errors_with_line_and_fix() -> None:
    problems = wb.validate(wb.load_events(BAD / "bad_timestamps.csv"))
    top = problems.table.iloc[0]
    assert top["severity"] == "error" and top["check"] == "Rows rejected"
    assert "line 3" in top["message"] and "yesterday" in top["message"]
    assert "time_format" in top["fix"]
    with pytest.raises(wb.ValidationError) as err:
        problems.raise_first()
    assert err.value.title == "Rows rejected"


def test_duplicates_shared_ids_future_times_and_rare_names(tmp_path: Path) -> None:
    p = tmp_path / "dq.csv"
    p.write_text(
        "customer,case,activity,ts\n"
        "A,1,Log in,2026-01-01 10:00\n"
        "A,1,Log in,2026-01-01 10:00\n"  # exact duplicate
        "A,1,Pay,2026-01-01 10:05\n"
        "B,1,Log in,2026-01-02 10:00\n"  # case 1 also used by B
        "B,2,Lgo in,2099-01-02 10:00\n"  # typo, and in the future
    )
    table = wb.validate(wb.load_events(p)).table.set_index("check")
    assert table.loc["Duplicate events", "rows"] == 1
    assert table.loc["Journey ids shared", "rows"] == 1
    assert table.loc["Implausible times", "rows"] == 1
    # the typo and "Pay" each occur once: two rare names, the typo named as the example
    assert "'Lgo in'" in table.loc["Rare touchpoints", "message"]
    assert table.loc["Rare touchpoints", "rows"] == 2
    assert table.loc["No channel column", "severity"] == "info"
    assert list(wb.validate(wb.load_events(p)).table["severity"]) == sorted(
        table["severity"], key=["error", "warning", "info"].index
    )
