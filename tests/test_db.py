"""The one door to DuckDB: named queries, checked parameters, titled errors, safe quoting."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb
import pytest

import workbench as wb
from workbench import db

# Parameters each query needs to run on the tiny fixture.
PARAMS: dict[str, dict[str, object]] = {
    "journeys/keyed_by_gap": {"gap_seconds": 1800.0},
    "staging/classified_events": {"journey_required": True},
    "validation/checks": {"latest_plausible": datetime(2030, 1, 1), "heavy_factor": 50.0},
    "journeys/journey_labels": {"by_gap": False},
}


def test_every_query_file_is_documented() -> None:
    names = db.query_names()
    assert len(names) >= 12
    for name in names:
        text = db.query_text(name)
        head = "\n".join(line for line in text.splitlines() if line.startswith("--"))
        relation = name.rsplit("/", 1)[-1]
        assert head.startswith(f"-- {relation}:"), f"{name} must open with '-- {relation}: ...'"
        for word in ("grain:", "input:", "params:"):
            assert word in head, f"{name} header lacks {word}"
        documented = set(re.findall(r"\$([a-z_]+)", head))
        assert documented == set(db.query_params(name)), f"{name}: params header out of date"
        assert text.rstrip().splitlines()[-1].startswith(("select * from final", "order by")), name


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_runs_on_the_tiny_fixture(name: str, tiny_model: wb.JourneyModel) -> None:
    cur = tiny_model.cursor
    if name.startswith("staging/"):
        cur.execute(
            "create or replace temp view mapped_rows as select row_no, customer_id, "
            "journey_id, cast(touchpoint as varchar) touchpoint, cast(channel as varchar) "
            "channel, cast(ts as varchar) time_raw, ts from events"
        )
        cur.execute(
            "create or replace temp view classified_events as select *, "
            "case when row_no = 2 then 'time not understood' end as reject_reason, "
            "case when row_no = 2 then 'time' end as reject_column from mapped_rows"
        )
    if name in ("journeys/steps",):
        db.materialize(cur, "journeys/keyed_by_column", "keyed_events", temp=True)
    result = db.run(cur, name, **PARAMS.get(name, {}))
    assert len(result) > 0, f"{name} returned nothing on the tiny fixture"


def test_parameters_are_checked() -> None:
    con = db.connect()
    with pytest.raises(wb.QueryError) as err:
        db.run(con, "journeys/keyed_by_gap")
    assert err.value.title == "Query called wrongly"
    assert "missing gap_seconds" in err.value.message
    with pytest.raises(wb.QueryError) as err2:
        db.run(con, "journeys/edges", surprise=1)
    assert "unexpected surprise" in err2.value.message


def test_duckdb_errors_name_the_file() -> None:
    con = db.connect()  # no events table here
    with pytest.raises(wb.QueryError) as err:
        db.run(con, "journeys/keyed_by_column")
    assert "queries/journeys/keyed_by_column.sql" in err.value.message
    assert err.value.title == "Query 'journeys/keyed_by_column' failed"
    assert isinstance(err.value.__cause__, duckdb.Error)


def test_unknown_and_malformed_names() -> None:
    with pytest.raises(wb.QueryError):
        db.query_text("journeys/nope")
    with pytest.raises(wb.QueryError):
        db.query_text("../etc/passwd")


def test_params_in_comments_and_strings_do_not_count() -> None:
    assert db.query_params("journeys/keyed_by_gap") == {"gap_seconds"}
    assert db.query_params("journeys/edges") == frozenset()


@pytest.mark.parametrize(
    "name", ["plain", "with space", 'quote"inside', "semi;colon--", 'x"; drop table t; --']
)
def test_quote_ident_round_trips(name: str) -> None:
    con = db.connect()
    con.execute(f"create table t as select 1 as {db.quote_ident(name)}")
    assert list(db.columns(con, "t")) == [name]
    assert con.execute("select count(*) from t").fetchone() == (1,)


def test_quote_literal() -> None:
    con = db.connect()
    assert con.execute("select " + db.quote_literal("it's; --")).fetchone() == ("it's; --",)


def test_table_returns_enums_as_text(tiny_model: wb.JourneyModel) -> None:
    variants = db.table(tiny_model.cursor, "variants")
    assert all(isinstance(x, str) for p in variants["path"] for x in p)
