"""Datasets on disk: imported once, reopened with everything the import reported, never half."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import workbench as wb
from workbench.store import datasets

from .conftest import DATA, ROOT, SAMPLE, generate

BAD = DATA / "bad_inputs"


def test_reopened_dataset_reports_what_the_import_did(tmp_path: Path) -> None:
    source = BAD / "bad_timestamps.csv"
    loaded = wb.load_events(source, database=tmp_path / "d.duckdb")
    again = wb.open_dataset(tmp_path / "d.duckdb")
    assert again.path == tmp_path / "d.duckdb"
    a, b = loaded.report, again.report
    assert (b.rows_read, b.rows_loaded, b.rows_rejected) == (
        a.rows_read,
        a.rows_loaded,
        a.rows_rejected,
    )
    assert b.rows_rejected > 0
    assert b.mapping == a.mapping and b.time_format == a.time_format and b.dialect == a.dialect
    pd.testing.assert_frame_equal(b.rejected, a.rejected, check_dtype=False)
    pd.testing.assert_frame_equal(b.rejected_by_reason, a.rejected_by_reason, check_dtype=False)
    assert len(again.rejected_rows()) == a.rows_rejected


def test_analyses_on_a_reopened_dataset_match_memory(tmp_path: Path) -> None:
    files = {"surveys": SAMPLE / "surveys.csv", "customers": SAMPLE / "customers.csv"}
    wb.load_events(SAMPLE / "events.csv", **files, database=tmp_path / "s.duckdb")
    disk = wb.build_journeys(wb.open_dataset(tmp_path / "s.duckdb"))
    memory = wb.build_journeys(wb.load_events(SAMPLE / "events.csv", **files))
    pd.testing.assert_frame_equal(disk.edges, memory.edges)
    pd.testing.assert_frame_equal(disk.variants, memory.variants)
    cols = ["point", "signal", "score"]
    pd.testing.assert_frame_equal(
        wb.rank_friction(disk).table[cols], wb.rank_friction(memory).table[cols]
    )
    assert wb.kpis(disk).figure("nps") == wb.kpis(memory).figure("nps")


def test_a_dataset_keeps_each_journeys_segment_values(tmp_path: Path) -> None:
    """Each journey's value of every segment event attribute is found once, at import; what is
    read from the dataset equals what a log in memory computes: the values themselves, the
    friction ranking with its concentrations, friction within a segment and segment vs rest."""
    from workbench.journeys.segments import journey_values, segment_expression

    files = {"surveys": SAMPLE / "surveys.csv", "customers": SAMPLE / "customers.csv"}
    wb.load_events(SAMPLE / "events.csv", **files, database=tmp_path / "s.duckdb")
    disk_log = wb.open_dataset(tmp_path / "s.duckdb")
    memory_log = wb.load_events(SAMPLE / "events.csv", **files)
    assert memory_log.kept_segment_values == frozenset()
    assert {"device", "team", "queue", "journey_type"} <= disk_log.kept_segment_values
    disk, memory = wb.build_journeys(disk_log), wb.build_journeys(memory_log)
    assert "journey_segment_values" in segment_expression(disk, "device")
    assert "journey_segment_values" not in segment_expression(memory, "device")
    for attribute in sorted(disk_log.kept_segment_values):
        kept, computed = (
            m.cursor.execute(segment_expression(m, attribute) + " order by 1").df()
            for m in (disk, memory)
        )
        pd.testing.assert_frame_equal(kept, computed, check_dtype=False)
        assert len(kept) > 0
    for m in (disk, memory):
        journey_values(m, m.cursor, ["device", "segment", "team"])
    tables = [
        m.cursor.execute("select * from journey_values order by journey_key").df()
        for m in (disk, memory)
    ]
    pd.testing.assert_frame_equal(*tables, check_dtype=False)
    for kwargs in ({}, {"segment": "device"}):
        a, b = (wb.rank_friction(m, **kwargs).table for m in (disk, memory))
        assert a.to_json(default_handler=str) == b.to_json(default_handler=str), kwargs
    a, b = (wb.compare_segment(m, "team", "Billing 2").edges for m in (disk, memory))
    pd.testing.assert_frame_equal(a, b)
    # by session gap the dataset's values (by journey column) do not apply
    gap = wb.build_journeys(disk_log, session_gap="30min")
    assert "journey_segment_values" not in segment_expression(gap, "device")


def test_an_existing_dataset_is_not_overwritten(tmp_path: Path) -> None:
    wb.load_events(SAMPLE / "events.csv", database=tmp_path / "s.duckdb")
    with pytest.raises(wb.LoadError) as err:
        wb.load_events(SAMPLE / "events.csv", database=tmp_path / "s.duckdb")
    assert err.value.title == "Dataset exists"


def test_a_failed_import_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(wb.WorkbenchError):
        wb.load_events(BAD / "no_time_column.csv", database=tmp_path / "x.duckdb")
    assert list(tmp_path.iterdir()) == []


def test_a_file_without_the_completion_mark_is_refused(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "half.duckdb"))
    con.execute("create table events as select 1 as row_no")
    con.close()
    with pytest.raises(wb.LoadError) as err:
        wb.open_dataset(tmp_path / "half.duckdb")
    assert err.value.title == "Incomplete dataset"
    (tmp_path / "text.duckdb").write_text("not a database")
    with pytest.raises(wb.LoadError) as err2:
        wb.open_dataset(tmp_path / "text.duckdb")
    assert err2.value.title == "Not a dataset"
    with pytest.raises(wb.LoadError) as err3:
        wb.open_dataset(tmp_path / "missing.duckdb")
    assert err3.value.title == "No such dataset"


def test_a_killed_import_never_looks_complete(tmp_path: Path) -> None:
    big = generate(tmp_path / "big", events=400_000, seed=5)
    target = tmp_path / "big.duckdb"
    script = (
        "import sys, workbench as wb\n"
        f"wb.load_events({str(big / 'events.csv')!r}, surveys={str(big / 'surveys.csv')!r}, "
        f"database={str(target)!r})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    part = datasets.part_path(target)
    deadline = time.monotonic() + 60
    while not part.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert part.exists(), "the import never started writing"
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not target.exists()
    with pytest.raises(wb.LoadError):
        wb.open_dataset(part)
    log = wb.load_events(big / "events.csv", database=target)  # clears what was left
    assert log.report.rows_loaded == log.report.rows_read > 300_000
    assert not part.exists()


def test_dataset_imports_once_and_reopens(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_bytes((SAMPLE / "events.csv").read_bytes())
    folder = tmp_path / "store"
    first = wb.dataset(events, folder=folder, surveys=SAMPLE / "surveys.csv")
    assert first.path is not None and first.has_surveys
    stamp = first.path.stat().st_mtime_ns
    first.con.close()
    second = wb.dataset(events, folder=folder, surveys=SAMPLE / "surveys.csv")
    assert second.path == first.path and second.path.stat().st_mtime_ns == stamp
    other = wb.dataset(events, folder=folder, mapping={"journey": None})
    assert other.path != first.path and not other.has_journey_column
    listed = datasets.list_datasets(folder)
    assert len(listed) == 2 and set(listed["events"]) == {30_051}
    second.con.close()
    other.con.close()
    datasets.delete_dataset(first.path)
    assert len(datasets.list_datasets(folder)) == 1
    third = wb.dataset(events, folder=folder, surveys=SAMPLE / "surveys.csv")
    assert third.path == first.path and third.path.exists()  # imported again after the delete
    third.con.close()
    os.utime(events, ns=(stamp + 10**9, stamp + 10**9))  # the file changed: a new import
    fourth = wb.dataset(events, folder=folder, surveys=SAMPLE / "surveys.csv")
    assert fourth.path != first.path
    fourth.con.close()


def test_a_dataset_held_by_another_program_is_neither_deleted_nor_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    first = wb.dataset(SAMPLE / "events.csv", folder=folder)
    assert first.path is not None
    path = first.path
    first.con.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(path)!r}); "
            "print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(wb.LoadError) as caught:
            wb.open_dataset(path)
        assert caught.value.title == datasets.IN_USE and "another program" in caught.value.message
        log = wb.dataset(SAMPLE / "events.csv", folder=folder)  # works on a copy in memory
        assert log.path is None and log.report.rows_loaded == 30_051
        assert path.exists()
    finally:
        holder.communicate("")
    assert wb.open_dataset(path).report.rows_loaded == 30_051


def test_a_case_only_log_is_a_dataset_like_any_other(tmp_path: Path) -> None:
    from .test_load import XES_TICKETS

    wb.load_events(XES_TICKETS, database=tmp_path / "t.duckdb")
    first = wb.build_journeys(wb.open_dataset(tmp_path / "t.duckdb"))  # built and kept
    again = wb.open_dataset(tmp_path / "t.duckdb")
    assert again.customers_are_cases and again.mapping.customer is None
    model = wb.build_journeys(again)  # reopened from the file
    assert model.kept_key is not None and model.customers_are_cases
    assert model.n_journeys == model.n_customers == first.n_journeys == 30
    pd.testing.assert_frame_equal(model.variants, first.variants)
    ranking = wb.rank_friction(model, goals=["Closed"])
    assert ranking.table["score"].notna().all()
