"""Time formats: detected, shown, and never shifted silently."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import workbench as wb


def _load(tmp_path: Path, values: list[str], **kw: object) -> wb.EventLog:
    rows = "\n".join(f"C{i % 2},Step {i},{v}" for i, v in enumerate(values))
    path = tmp_path / "t.csv"
    path.write_text("customer,touchpoint,when\n" + rows + "\n")
    return wb.load_events(path, {"time": "when"}, **kw)  # type: ignore[arg-type]


def _times(log: wb.EventLog) -> list[str]:
    return [str(t) for t in log.frame()["ts"]]


@pytest.mark.parametrize(
    ("values", "label", "first"),
    [
        (["2026-03-02 14:05:33", "2026-03-03 08:00:00"], "ISO 8601", "2026-03-02 14:05:33"),
        (["2026-03-02 14:05", "2026-03-03 08:00"], "ISO 8601", "2026-03-02 14:05:00"),
        (
            ["2026-03-02T14:05:33.250", "2026-03-03T08:00:00.5"],
            "ISO 8601",
            "2026-03-02 14:05:33.250000",
        ),
        (["2026-03-02", "2026-03-04"], "ISO 8601", "2026-03-02 00:00:00"),
        (["23/04/2026 17:42:00", "01/05/2026 08:00:00"], "day/month/year", "2026-04-23 17:42:00"),
        (["23.04.2026 17:42", "01.05.2026 08:00"], "day/month/year", "2026-04-23 17:42:00"),
        (["04/23/2026 17:42", "05/01/2026 08:00"], "month/day/year", "2026-04-23 17:42:00"),
        (["4/23/2026 5:42 PM", "5/1/2026 8:00 AM"], "month/day/year", "2026-04-23 17:42:00"),
        (["1772460333", "1772460400"], "Unix epoch in seconds", "2026-03-02 14:05:33"),
        (["1772460333000", "1772460400500"], "Unix epoch in milliseconds", "2026-03-02 14:05:33"),
    ],
)
def test_formats_are_detected(tmp_path: Path, values: list[str], label: str, first: str) -> None:
    log = _load(tmp_path, values)
    assert log.report.time_format.label.startswith(label)
    assert _times(log)[0] == first
    assert log.report.rows_rejected == 0


def test_offsets_are_converted_to_utc_and_said_so(tmp_path: Path) -> None:
    log = _load(tmp_path, ["2026-03-02T14:05:33+02:00", "2026-03-02T12:06:00Z"])
    assert _times(log) == ["2026-03-02 12:05:33", "2026-03-02 12:06:00"]
    assert "UTC" in log.report.time_format.describe()
    assert any("UTC" in n for n in log.report.notes)


def test_mixed_epoch_units_are_told_apart(tmp_path: Path) -> None:
    log = _load(tmp_path, ["1772460333", "1772460400000"])
    assert _times(log) == ["2026-03-02 14:05:33", "2026-03-02 14:06:40"]
    assert "mixed" in log.report.time_format.label


def test_day_first_decided_by_a_value_outside_the_sample(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("workbench.ingest.times.SAMPLE_ROWS", 3)
    values = ["01/02/2026 10:00"] * 5 + ["25/02/2026 10:00"]
    log = _load(tmp_path, values)
    assert log.report.time_format.label == "day/month/year"
    assert _times(log)[0] == "2026-02-01 10:00:00"


def test_dayfirst_that_contradicts_the_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(wb.ValidationError) as err:
        _load(tmp_path, ["23/04/2026 10:00", "24/04/2026 10:00"], dayfirst=False)
    assert err.value.title == "Dates do not match"


def test_forced_pattern(tmp_path: Path) -> None:
    log = _load(tmp_path, ["2026|03|02 10h05", "2026|03|02 10h06"], time_format="%Y|%m|%d %Hh%M")
    assert _times(log)[0] == "2026-03-02 10:05:00"


def test_unreadable_times_say_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(wb.ValidationError) as err:
        _load(tmp_path, ["soon", "later", "never"])
    assert err.value.title == "Time not understood"
    assert "time_format" in err.value.message


def test_native_timestamps_from_a_dataframe() -> None:
    frame = pd.DataFrame(
        {
            "user_id": ["u1", "u1"],
            "event": ["a", "b"],
            "ts": pd.to_datetime(["2026-03-02 10:00", "2026-03-02 10:05"]),
        }
    )
    log = wb.load_events(frame)
    assert log.report.time_format.kind == "native"
    assert log.report.kind == "dataframe"
    assert _times(log) == ["2026-03-02 10:00:00", "2026-03-02 10:05:00"]


def test_zoned_arrow_timestamps_become_utc() -> None:
    ts = pa.array(
        [datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 2, 11, 0)],
        type=pa.timestamp("us", tz="UTC"),
    ).cast(pa.timestamp("us", tz="Europe/Oslo"))
    table = pa.table({"customer_id": ["c", "c"], "activity": ["a", "b"], "timestamp": ts})
    log = wb.load_events(table)
    assert log.report.time_format.kind == "native_tz"
    assert _times(log) == ["2026-03-02 10:00:00", "2026-03-02 11:00:00"]
    assert "UTC" in log.report.time_format.note
