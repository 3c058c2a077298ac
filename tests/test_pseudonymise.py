"""Pseudonymised imports: no customer or journey id reaches the database, links still hold."""

from __future__ import annotations

import re
from pathlib import Path

import workbench as wb
from workbench.ingest import sources

from .conftest import DATA, SAMPLE

FILES = {
    "surveys": SAMPLE / "surveys.csv",
    "customers": SAMPLE / "customers.csv",
}


def _ids(log: wb.EventLog, table: str, column: str) -> set[str]:
    rows = log.cursor().execute(f"select distinct {column} from {table}").fetchall()
    return {r[0] for r in rows if r[0] is not None}


def test_ids_are_replaced_everywhere_and_links_hold(
    tmp_path: Path, sample_full_model: wb.JourneyModel
) -> None:
    log = wb.load_events(
        SAMPLE / "events.csv", **FILES, pseudonymise="s3cret", database=tmp_path / "p.duckdb"
    )
    for table, column in (
        ("events", "customer_id"),
        ("events", "journey_id"),
        ("surveys", "customer_id"),
        ("surveys", "journey_id"),
        ("customers", "customer_id"),
    ):
        ids = _ids(log, table, column)
        assert ids and all(re.fullmatch(r"P[0-9a-f]{16}", i) for i in ids), (table, column)
    plain = sample_full_model.log
    assert len(_ids(log, "events", "customer_id")) == len(_ids(plain, "events", "customer_id"))
    assert len(_ids(log, "events", "journey_id")) == len(_ids(plain, "events", "journey_id"))
    for report in (log.report, log.survey_report, log.customer_report):
        assert report is not None and sources.PSEUDONYM_NOTE in report.notes
    # Surveys and customers still join their customers and journeys: the same figures.
    model = wb.build_journeys(log)
    assert model.n_journeys == sample_full_model.n_journeys
    mine = wb.kpis(model).table.set_index("kpi")["value"]
    theirs = wb.kpis(sample_full_model).table.set_index("kpi")["value"]
    assert mine.round(9).to_dict() == theirs.round(9).to_dict()
    assert log.survey_report is not None and log.survey_report.unmatched == 0
    log.con.close()
    # Not one original id is written to the file.
    stored = (tmp_path / "p.duckdb").read_bytes()
    for original in (b"C0000001", b"C0000003", b"J00000001", b"J00000005"):
        assert original not in stored


def test_same_salt_same_pseudonym_other_salt_other() -> None:
    tiny = DATA / "tiny_journeys.csv"
    a = _ids(wb.load_events(tiny, pseudonymise="one"), "events", "customer_id")
    b = _ids(wb.load_events(tiny, pseudonymise="one"), "events", "customer_id")
    c = _ids(wb.load_events(tiny, pseudonymise="two"), "events", "customer_id")
    plain = _ids(wb.load_events(tiny), "events", "customer_id")
    assert a == b and a.isdisjoint(c) and len(a) == len(c) == len(plain)
    quoted = _ids(wb.load_events(tiny, pseudonymise="it's"), "events", "customer_id")
    assert len(quoted) == len(plain)  # a quote in the salt is data, not SQL


def test_unreadable_rows_are_counted_but_their_text_withheld() -> None:
    bad = DATA / "bad_inputs" / "extra_fields.csv"
    plain = wb.load_events(bad).report
    hidden = wb.load_events(bad, pseudonymise="x").report
    assert (hidden.rows_read, hidden.rows_rejected) == (plain.rows_read, plain.rows_rejected)
    assert hidden.rows_rejected > 0
    structural = hidden.rejected[hidden.rejected["column"].isna()]
    assert len(structural) and set(structural["value"]) == {sources.WITHHELD}
    assert list(hidden.rejected["line"]) == list(plain.rejected["line"])
