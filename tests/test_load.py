"""Loading from every supported source gives the same events and accounts for every row."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import workbench as wb
from workbench.core import db

from .conftest import DATA, SAMPLE


@pytest.fixture(scope="module")
def sample_frame() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "events.csv", nrows=2000, dtype=str, keep_default_na=False)


def _fingerprint(log: wb.EventLog) -> list[tuple]:
    f = log.frame()
    return list(
        zip(f["customer_id"], f["touchpoint"].astype(str), f["ts"].astype(str), strict=True)
    )


def test_csv_tsv_parquet_json_ndjson_gzip_frame_and_arrow_agree(
    sample_frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame = sample_frame
    frame.to_csv(tmp_path / "e.csv", index=False)
    frame.to_csv(tmp_path / "e.tsv", index=False, sep="\t")
    with gzip.open(tmp_path / "e.csv.gz", "wt") as fh:
        frame.to_csv(fh, index=False)
    pq.write_table(pa.Table.from_pandas(frame), tmp_path / "e.parquet")
    records = frame.to_dict(orient="records")
    (tmp_path / "e.json").write_text(json.dumps(records))
    (tmp_path / "e.ndjson").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    sources: list[object] = [
        tmp_path / n for n in ("e.csv", "e.tsv", "e.csv.gz", "e.parquet", "e.json", "e.ndjson")
    ]
    sources += [frame, pa.Table.from_pandas(frame)]
    reference = None
    for src in sources:
        log = wb.load_events(src)
        r = log.report
        assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (2000, 2000, 0), src
        assert log.mapping.journey == "journey_id"
        fp = _fingerprint(log)
        reference = reference or fp
        assert fp == reference, src


def test_sample_loads_completely(sample_log: wb.EventLog, sample_truth: dict) -> None:
    r = sample_log.report
    assert r.rows_read == r.rows_loaded == sample_truth["rows"]["events"]
    assert r.rows_rejected == 0
    assert r.mapping.role_columns() == {
        "customer": "customer_id",
        "journey": "journey_id",
        "touchpoint": "touchpoint",
        "channel": "channel",
        "time": "timestamp",
    }
    assert r.dialect.describe() == "comma-separated, header row, utf-8"


def test_attribute_types_are_inferred_without_losing_values(sample_log: wb.EventLog) -> None:
    types = sample_log.attributes
    assert types["wait_seconds"] == "BIGINT"
    assert types["transferred"] == "BOOLEAN"
    assert types["agent_id"] == "VARCHAR"  # ids stay text
    assert types["team"] == "VARCHAR"
    raw = pd.read_csv(SAMPLE / "events.csv", usecols=["wait_seconds"])
    assert sample_log.frame()["wait_seconds"].count() == raw["wait_seconds"].count()


def test_mixed_attribute_stays_text(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text(
        "customer,touchpoint,ts,code,zip\nA,x,2026-01-01 10:00,12,0042\n"
        "A,y,2026-01-01 10:01,abc,0150\n"
    )
    log = wb.load_events(p)
    assert log.attributes == {"code": "VARCHAR", "zip": "VARCHAR"}
    assert log.frame()["zip"].tolist() == ["0042", "0150"]


def test_attribute_named_like_a_canonical_column_is_renamed(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("user_id,activity,timestamp,ts,row_no\nA,x,2026-01-01 10:00,foo,1\n")
    log = wb.load_events(p)
    assert set(log.attributes) == {"attr_ts", "attr_row_no"}


def test_mapping_overrides_and_unmapping(tmp_path: Path) -> None:
    p = tmp_path / "o.csv"
    p.write_text(
        "kund,ärende,steg,tid,kanal\nK1,A1,Start,2026-01-01 10:00,web\n"
        "K1,A1,Slut,2026-01-01 10:05,app\n"
    )
    log = wb.load_events(p, {"touchpoint": "steg", "journey": None})
    assert log.mapping.customer == "kund"
    assert log.mapping.journey is None
    assert "ärende" in log.attributes
    assert wb.build_journeys(log).split_by == "session gap"


def test_missing_file_and_unknown_source() -> None:
    with pytest.raises(wb.LoadError) as err:
        wb.load_events("does/not/exist.csv")
    assert err.value.title == "File not found"
    with pytest.raises(wb.LoadError) as err2:
        wb.load_events(42)
    assert err2.value.title == "Unsupported source"


def test_journey_column_with_empty_ids_rejects_those_rows(tmp_path: Path) -> None:
    p = tmp_path / "j.csv"
    p.write_text("customer,case_id,activity,ts\nA,1,x,2026-01-01 10:00\nA,,y,2026-01-01 10:01\n")
    report = wb.load_events(p).report
    assert report.rows_rejected == 1
    assert report.rejected.iloc[0]["reason"] == "journey id is empty"
    assert report.rejected.iloc[0]["line"] == 3


def test_rejected_rows_are_all_kept(tmp_path: Path) -> None:
    p = tmp_path / "many.csv"
    lines = ["customer,activity,ts"] + [
        f"C{i},x,{'bad' if i % 2 else '2026-01-01 10:00'}" for i in range(3000)
    ]
    p.write_text("\n".join(lines) + "\n")
    log = wb.load_events(p)
    assert log.report.rows_rejected == 1500
    assert len(log.report.rejected) == 1000  # preview
    everything = log.rejected_rows()
    assert len(everything) == 1500
    assert everything["line"].tolist()[:2] == [3, 5]


def test_inspect_source_suggests_without_loading() -> None:
    info = wb.inspect_source(SAMPLE / "events.csv", rows=500)
    assert info.mapping.customer == "customer_id"
    assert info.time_format is not None and info.time_problem is None
    assert len(info.preview) == 50


def test_inspect_source_reports_ambiguity_instead_of_raising() -> None:
    info = wb.inspect_source(Path(__file__).parent / "data" / "bad_inputs" / "ambiguous_dates.csv")
    assert info.time_format is None
    assert info.time_problem is not None and info.time_problem.startswith("Ambiguous dates")


def test_persistent_database_file(tmp_path: Path) -> None:
    db_file = tmp_path / "log.duckdb"
    log = wb.load_events(SAMPLE / "events.csv", database=db_file)
    n = log.n_events
    log.con.close()
    import duckdb

    con = duckdb.connect(str(db_file), read_only=True)
    assert con.execute("select count(*) from events").fetchone() == (n,)


def test_import_reports_its_stages(tmp_path: Path) -> None:
    """Into a dataset file with surveys and customers: every stage, in order, to the end;
    in memory without them: no dataset-file, survey or customer stage."""
    from workbench.ingest.load import IMPORT_STAGES

    sample = Path(__file__).resolve().parents[1] / "sample_data"
    seen: list[tuple[float, str]] = []
    wb.load_events(
        sample / "events.csv",
        surveys=sample / "surveys.csv",
        customers=sample / "customers.csv",
        database=tmp_path / "log.duckdb",
        progress=lambda done, what: seen.append((done, what)),
    )
    assert [what for _, what in seen] == [label for label, _ in IMPORT_STAGES] + ["Done"]
    fractions = [done for done, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    seen.clear()
    wb.load_events(sample / "events.csv", progress=lambda done, what: seen.append((done, what)))
    assert [what for _, what in seen] == [label for label, _ in IMPORT_STAGES[:5]] + ["Done"]


def test_parquet_events_surveys_and_customers_load_together(tmp_path: Path) -> None:
    """Each Parquet file is read as a view through DuckDB's reader, which refuses to work while
    a count fetched from the file before it still holds the connection."""
    for name in ("events", "surveys", "customers"):
        pd.read_csv(SAMPLE / f"{name}.csv").to_parquet(tmp_path / f"{name}.parquet")
    files = {n: tmp_path / f"{n}.parquet" for n in ("surveys", "customers")}
    for database in (None, tmp_path / "log.duckdb"):
        log = wb.load_events(tmp_path / "events.parquet", **files, database=database)
        assert log.survey_report is not None and log.customer_report is not None
        assert (log.survey_report.rows_rejected, log.customer_report.rows_rejected) == (0, 0)
        assert log.survey_report.rows_loaded == len(pd.read_csv(SAMPLE / "surveys.csv"))


#: The first 30 tickets of the generated service desk (tests/worlds/tickets.py, seed 3): a
#: case-only log in XES column names, with no customer column.
XES_TICKETS = DATA / "xes_tickets.csv"


def test_a_case_only_log_loads_with_each_case_as_its_customer() -> None:
    log = wb.load_events(XES_TICKETS)
    assert log.mapping.customer is None and log.mapping.journey == "case:concept:name"
    assert log.customers_are_cases and log.report.rows_rejected == 0
    events = log.frame()
    assert (events["customer_id"] == events["journey_id"]).all()
    assert events["journey_id"].nunique() == 30
    assert {"org:resource", "org:group", "lifecycle:transition"} <= set(log.attributes)


def test_an_empty_case_id_is_rejected_as_an_empty_journey_id(tmp_path: Path) -> None:
    p = tmp_path / "cases.csv"
    p.write_text(
        "case:concept:name,concept:name,time:timestamp\n"
        "T1,Open,2026-01-01 10:00\n,Close,2026-01-01 10:01\nT1,Close,2026-01-01 12:00\n"
    )
    report = wb.load_events(p).report
    assert report.rows_rejected == 1
    first = report.rejected.iloc[0]
    assert (first["line"], first["column"], first["reason"]) == (
        3,
        "case:concept:name",
        "journey id is empty",
    )


def test_a_pseudonymised_case_only_log_keeps_customer_and_case_the_same() -> None:
    events = wb.load_events(XES_TICKETS, pseudonymise="salt").frame()
    assert events["journey_id"].str.startswith("P").all()
    assert (events["customer_id"] == events["journey_id"]).all()


def _queries_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the queries ``db.run`` is asked for from now on."""
    names: list[str] = []
    run = db.run

    def spy(con: object, name: str, **params: object) -> pd.DataFrame:
        names.append(name)
        return run(con, name, **params)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "run", spy)
    return names


def test_a_clean_file_is_not_read_again_to_account_for_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "clean.parquet"
    times = pd.to_datetime(["2026-01-01 10:00", "2026-01-01 10:05", "2026-01-02 09:00"])
    pd.DataFrame({"case_id": ["A", "A", "B"], "activity": ["x", "y", "x"], "ts": times}).to_parquet(
        p
    )
    ran = _queries_run(monkeypatch)
    log = wb.load_events(p)
    assert "staging/rejected_content" not in ran
    r = log.report
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (3, 3, 0)
    assert log.rejected_rows().empty and r.rejected_by_reason.empty


def test_a_file_with_a_rejected_row_still_reports_its_row_and_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "dirty.parquet"
    pd.DataFrame(
        {
            "case_id": ["A", "A", "B"],
            "activity": ["x", None, "x"],
            "ts": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 10:05", "2026-01-02 09:00"]),
        }
    ).to_parquet(p)
    ran = _queries_run(monkeypatch)
    r = wb.load_events(p).report
    assert "staging/rejected_content" in ran
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (3, 2, 1)
    first = r.rejected.iloc[0]
    assert (first["row"], first["column"], first["reason"]) == (
        2,
        "activity",
        "touchpoint is empty",
    )
