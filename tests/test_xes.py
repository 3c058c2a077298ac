"""XES event logs read directly (plain and gzipped, streamed), and lifecycle transitions.

The logs map the case id as the customer explicitly (``customer=case:concept:name``): a log with
only a case id loads without a customer once the customer role is optional, and these tests
then still hold with the mapping given.
"""

from __future__ import annotations

import ast
import gzip
import json
import math
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import workbench as wb
from ui.state import Dataset
from workbench.core import db
from workbench.ingest import xes

from .conftest import DATA, ROOT

XES = DATA / "xes"
CASE = {"customer": "case:concept:name"}


def _read(path: Path) -> pd.DataFrame:
    con = db.connect()
    xes.read_xes(con, path)
    return con.execute("select * from xes_events order by __xes_event").df()


#: The rows of helpdesk.xes: (event, line, case, activity, time, resource, more columns).
HELPDESK = [
    (1, 18, "Case 1", "Open ticket", "2024-03-01T09:00:00.000+01:00", "Anna"),
    (2, 24, "Case 1", "Resolve ticket", "2024-03-01T10:30:00.000+01:00", "Bo"),
    (3, 35, "Case 1", "Closed", "2024-03-01T11:00:00.000+01:00", None),
    (4, 44, "Case 2", "Open ticket", "2024-03-02T08:15:00.000+01:00", "Bo"),
    (5, 51, "Case 2", "Closed", "2024-03-02T09:00:00.000+01:00", None),
    (6, 59, "Case 3", "Open ticket", "2024-03-03T14:00:00.000+01:00", None),
]


@pytest.mark.parametrize("chunk", [2, 50_000])
def test_the_reader_gives_one_row_per_event_named_as_pm4py_names_them(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chunks of two events: later chunks bring keys the first had not (cost, reopened ...)
    monkeypatch.setattr(xes, "CHUNK_EVENTS", chunk)
    rows = _read(XES / "helpdesk.xes")
    assert list(rows.columns[:5]) == [
        "__xes_event",
        "__xes_line",
        "case:concept:name",
        "concept:name",
        "time:timestamp",
    ]
    assert set(rows.columns[5:]) == {
        "case:priority",
        "org:resource",
        "seriousness",
        "cost",
        "reopened",
        "ticket:ref",
    }
    got = rows[
        [
            "__xes_event",
            "__xes_line",
            "case:concept:name",
            "concept:name",
            "time:timestamp",
            "org:resource",
        ]
    ]
    assert [tuple(None if pd.isna(v) else v for v in r) for r in got.itertuples(index=False)] == (
        HELPDESK
    )
    assert rows["case:priority"].tolist()[:5] == ["high"] * 3 + ["low"] * 2
    assert rows["cost"].tolist()[1] == "12.5"  # as the file writes it; the loader types it
    assert rows["reopened"].tolist()[2] == "false"
    assert rows["ticket:ref"].tolist()[4] == "c0ffee"


def test_the_reader_never_holds_more_than_a_chunk_of_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    traces = "".join(
        f'<trace><string key="concept:name" value="c{t}"/>'
        + "".join(
            f'<event><string key="concept:name" value="a{e}"/>'
            f'<date key="time:timestamp" value="2024-01-01T00:00:{e:02d}"/></event>'
            for e in range(10)
        )
        + "</trace>\n"
        for t in range(300)
    )
    path = tmp_path / "many.xes"
    path.write_text(f"<log>\n{traces}</log>\n")
    monkeypatch.setattr(xes, "CHUNK_EVENTS", 100)
    monkeypatch.setattr(xes, "READ_BYTES", 4096)
    held: list[int] = []
    flush = xes._Reader.flush

    def watched(self: xes._Reader) -> None:
        held.append(len(self.rows))
        flush(self)

    monkeypatch.setattr(xes._Reader, "flush", watched)
    con = db.connect()
    read = xes.read_xes(con, path)
    assert (read.events, read.traces) == (3000, 300)
    assert max(held) < 100 + 10  # a chunk, and the trace that filled it
    assert len(held) >= 30
    assert con.execute("select count(*) from xes_events").fetchone() == (3000,)


def test_a_gzipped_log_reads_the_same_rows() -> None:
    assert _read(XES / "helpdesk.xes.gz").equals(_read(XES / "helpdesk.xes"))


def test_an_xes_log_loads_with_its_columns_typed_and_its_rows_accounted() -> None:
    log = wb.load_events(XES / "helpdesk.xes", CASE)
    r = log.report
    assert (r.kind, r.rows_read, r.rows_loaded, r.rows_rejected) == ("xes", 6, 6, 0)
    assert (r.mapping.touchpoint, r.mapping.time) == ("concept:name", "time:timestamp")
    assert log.attributes == {
        "case:priority": "VARCHAR",
        "org:resource": "VARCHAR",
        "seriousness": "BIGINT",
        "cost": "DOUBLE",
        "reopened": "BOOLEAN",
        "ticket:ref": "VARCHAR",
    }
    assert any("'tags'" in note and "skipped" in note for note in r.notes)
    assert any("converted to UTC" in note for note in r.notes)
    events = log.frame()
    assert events["row_no"].tolist() == [1, 2, 3, 4, 5, 6]
    assert str(events["ts"].iloc[0]) == "2024-03-01 08:00:00"  # +01:00 read as UTC
    assert log.con.execute(
        "select count(*) from duckdb_tables() where table_name = 'xes_events'"
    ).fetchone() == (0,)
    model = wb.build_journeys(log)
    assert model.n_customers == 3


def test_a_dataset_file_keeps_the_events_and_not_the_reader_s_table(tmp_path: Path) -> None:
    log = wb.load_events(XES / "helpdesk.xes.gz", CASE, database=tmp_path / "h.duckdb")
    assert log.report.rows_loaded == 6
    tables = {r[0] for r in log.con.execute("select table_name from duckdb_tables()").fetchall()}
    assert "events" in tables and "xes_events" not in tables


def test_inspecting_an_xes_log_shows_its_own_columns() -> None:
    info = wb.inspect_source(XES / "helpdesk.xes", rows=4)
    assert info.kind == "xes"
    assert info.columns[:3] == ("case:concept:name", "concept:name", "time:timestamp")
    assert not any(c.startswith("__xes") for c in info.columns)
    assert len(info.preview) == 4 and "__xes_line" not in info.preview.columns


def test_an_event_without_a_case_id_or_a_time_is_rejected_with_its_line() -> None:
    log = wb.load_events(XES / "rejects.xes", CASE)
    r = log.report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (4, 2, 2)
    rejected = log.rejected_rows()
    found = {(int(row.line), int(row.row), row.column, row.reason) for row in rejected.itertuples()}
    assert (9, 2, "time:timestamp", "time is empty") in found
    (no_case,) = [f for f in found if f[0] == 15]
    assert no_case[1] == 3 and no_case[2] == "case:concept:name"
    assert "id is empty" in no_case[3]


def _partial_events(data: bytes) -> int:
    """Events whose <event> element closes in what a cut gzip stream still holds."""
    text = zlib.decompressobj(wbits=31).decompress(data).decode("utf-8", "replace")
    return text.count("</event>")


@pytest.mark.parametrize("cut", [300, 450])
def test_a_truncated_gz_says_so_and_counts_what_was_read(cut: int, tmp_path: Path) -> None:
    data = (XES / "helpdesk.xes.gz").read_bytes()[:cut]
    path = tmp_path / "cut.xes.gz"
    path.write_bytes(data)
    with pytest.raises(wb.LoadError) as caught:
        wb.load_events(path, CASE)
    assert caught.value.title == "Truncated file"
    assert "compressed stream stops" in caught.value.message
    read = re.search(r"([\d,]+) events? (was|were) read before it", caught.value.message)
    assert read is not None
    assert int(read[1].replace(",", "")) == _partial_events(data)


def test_a_log_that_is_never_closed_is_truncated(tmp_path: Path) -> None:
    text = (XES / "helpdesk.xes").read_text()
    path = tmp_path / "cut.xes"
    path.write_text(text[: text.index("Case 3")])
    with pytest.raises(wb.LoadError) as caught:
        wb.load_events(path, CASE)
    assert caught.value.title == "Truncated file"
    assert "5 events were read before it, 2 traces closed." in caught.value.message


@pytest.mark.parametrize(
    ("name", "title", "fragment"),
    [
        ("not_xml.xes", "Not an XML file", "line 1"),
        ("not_xes.xes", "Not an XES log", "<html> (line 2)"),
        ("broken.xes", "Broken XES file", "line 8"),
    ],
)
def test_a_file_that_is_not_xes_gets_a_titled_error_naming_the_line(
    name: str, title: str, fragment: str
) -> None:
    with pytest.raises(wb.LoadError) as caught:
        wb.load_events(XES / name, CASE)
    assert caught.value.title == title
    assert fragment in caught.value.message


def test_a_gzipped_file_that_is_not_xml_is_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "csv.xes.gz"
    path.write_bytes(gzip.compress(b"case,activity\nC1,Login\n"))
    with pytest.raises(wb.LoadError, match="Not an XML file"):
        wb.load_events(path, CASE)


# -- lifecycle ---------------------------------------------------------------------------------

#: lifecycle.xes: (case, activity, time) of each complete (or lifecycle-less) event, and the
#: seconds since its start, first in first out.
KEPT = [
    ("T1", "Review", "09:40", 1800.0),
    ("T1", "Fix", "10:20", 1200.0),
    ("T1", "Fix", "10:30", 1500.0),  # the second start of the overlapping pair
    ("T1", "Note", "10:31", None),
    ("T2", "Review", "09:00", None),  # a complete before any start has no duration
    ("T2", "Review", "09:06", 60.0),
]


def _kept(log: wb.EventLog) -> list[tuple[str, str, str, float | None]]:
    events = log.frame()
    events = events[events["lifecycle:transition"].fillna("complete") == "complete"]
    return [
        (
            str(r.customer_id),
            str(r.touchpoint),
            r.ts.strftime("%H:%M"),
            None if math.isnan(r.activity_seconds) else float(r.activity_seconds),
        )
        for r in events.itertuples()
    ]


def test_by_default_journeys_use_the_complete_events_and_the_starts_time_them() -> None:
    log = wb.load_events(XES / "lifecycle.xes", CASE)
    r = log.report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.rows_set_aside) == (12, 6, 0, 6)
    assert r.rows_read == r.rows_loaded + r.rows_rejected + r.rows_set_aside
    assert _kept(log) == KEPT
    assert log.attributes["activity_seconds"] == "DOUBLE"
    (note,) = [n for n in r.notes if "set aside" in n]
    assert note.startswith(
        "5 start and 1 schedule events were set aside: journeys use the complete events"
    )
    assert "4 activities have a start and a complete event" in note
    assert r.as_dict()["rows_set_aside"] == 6
    assert "start" not in set(log.frame()["lifecycle:transition"].dropna())


def test_lifecycle_all_keeps_every_event_and_the_same_durations() -> None:
    log = wb.load_events(XES / "lifecycle.xes", CASE, lifecycle="all")
    r = log.report
    assert (r.rows_read, r.rows_loaded, r.rows_set_aside) == (12, 12, 0)
    assert _kept(log) == KEPT
    assert any("lifecycle='all'" in n for n in r.notes)


def test_a_csv_lifecycle_column_is_understood_the_same_way() -> None:
    frame = pd.DataFrame(
        {
            "case_id": ["C1", "C1", "C1", "C2"],
            "activity": ["Call", "Call", "Mail", "Call"],
            "timestamp": [
                "2024-01-01 10:00",
                "2024-01-01 10:03",
                "2024-01-01 11:00",
                "2024-01-02 09:00",
            ],
            "lifecycle": ["Start", "COMPLETE", "", "complete"],
        }
    )
    log = wb.load_events(frame, {"customer": "case_id", "journey": None})
    assert (log.report.rows_loaded, log.report.rows_set_aside) == (3, 1)
    seconds = log.frame()["activity_seconds"].tolist()
    assert seconds[0] == 180.0 and all(math.isnan(s) for s in seconds[1:])


def test_without_start_events_there_is_no_duration_column() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C1"],
            "touchpoint": ["Call", "Call", "Mail"],
            "timestamp": ["2024-01-01 10:00", "2024-01-01 10:03", "2024-01-01 11:00"],
            "lifecycle:transition": ["schedule", "complete", "complete"],
        }
    )
    log = wb.load_events(frame)
    r = log.report
    assert (r.rows_read, r.rows_loaded, r.rows_set_aside) == (3, 2, 1)
    assert "activity_seconds" not in log.attributes
    assert "activity_seconds" not in log.frame().columns
    assert any(n.startswith("1 schedule event was set aside: journeys use") for n in r.notes)


def test_a_log_s_own_activity_seconds_column_is_kept() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["C1", "C1"],
            "touchpoint": ["Call", "Call"],
            "timestamp": ["2024-01-01 10:00", "2024-01-01 10:03"],
            "lifecycle": ["start", "complete"],
            "activity_seconds": ["7", "9"],
        }
    )
    log = wb.load_events(frame)
    assert log.frame()[["activity_seconds", "activity_seconds_"]].values.tolist() == [[9, 180.0]]


def test_a_transition_column_of_other_values_is_an_ordinary_attribute() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["C1", "C1"],
            "touchpoint": ["home", "cart"],
            "timestamp": ["2024-01-01 10:00", "2024-01-01 10:01"],
            "transition": ["start", "home>cart"],
        }
    )
    log = wb.load_events(frame)
    assert (log.report.rows_loaded, log.report.rows_set_aside) == (2, 0)
    assert "activity_seconds" not in log.attributes


def test_an_unknown_lifecycle_choice_is_refused() -> None:
    with pytest.raises(wb.ValidationError, match="lifecycle='starts'"):
        wb.load_events(XES / "lifecycle.xes", CASE, lifecycle="starts")


# -- the command line and the licence ------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_command_line_reads_an_xes_log() -> None:
    done = _cli(
        "journeys", "--events", str(XES / "helpdesk.xes"), "--map", "customer=case:concept:name"
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (doc["load"]["kind"], doc["load"]["rows_read"]) == ("xes", 6)
    assert doc["journeys"]["customers"] == 3


def test_an_xes_export_needs_no_mapping_one_journey_per_case() -> None:
    """A process-mining export as it comes: the case id is the journey (and its customer), no
    case is cut by a session gap."""
    done = _cli("journeys", "--events", str(XES / "helpdesk.xes"))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["load"]["mapping"]["journey"] == "case:concept:name"
    assert doc["load"]["mapping"]["customer"] is None
    assert doc["journeys"]["journeys"] == doc["journeys"]["customers"] == 3
    assert doc["journeys"]["customers_are_cases"] is True


def test_the_command_line_chooses_the_lifecycle() -> None:
    path = str(XES / "lifecycle.xes")
    done = _cli("journeys", "--events", path, "--map", "customer=case:concept:name")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["load"]["rows_set_aside"] == 6
    done = _cli(
        "journeys", "--events", path, "--map", "customer=case:concept:name", "--lifecycle", "all"
    )
    assert done.returncode == 0, done.stderr
    load = json.loads(done.stdout)["load"]
    assert (load["rows_loaded"], "rows_set_aside" in load) == (12, False)


def test_the_data_page_opens_an_xes_log_and_says_what_was_set_aside() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    path = XES / "lifecycle.xes"
    at.session_state["dataset"] = Dataset(str(path), path.name, tuple(CASE.items()))
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Rows read": "12",
        "Loaded": "6",
        "Rejected": "0",
    }
    assert any("+ set aside: 12 = 6 + 0 + 6" in c.value for c in at.caption)
    assert any("set aside: journeys use the complete events" in i.value for i in at.info)


def test_pm4py_is_not_used() -> None:
    """pm4py is AGPL-licensed: the workbench neither imports nor depends on it."""
    for path in (ROOT / "workbench").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] == "pm4py" for n in names), path
    assert "pm4py" not in (ROOT / "pyproject.toml").read_text()
