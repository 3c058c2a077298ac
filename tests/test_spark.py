"""The same queries on DuckDB and on Spark give the same answers.

Every query under ``queries/`` is run on both engines over the same inputs: a whole analysis of
the sample data runs on DuckDB while every query call is recorded with the exact rows of the
views it reads and DuckDB's answer; then each call is translated (``workbench.engines.spark``),
run on Spark over the same rows, and compared row for row (lists in order, times to the microsecond,
numbers to 12 significant digits). The dialect's fixes are also tested one by one, each against
DuckDB's own answer.

Needs the ``spark`` extra and Java; ``make test`` installs both.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import workbench as wb
from workbench import cli
from workbench.analyses.causes import effects_for
from workbench.core import db

pytest.importorskip("pyspark", reason="the spark extra is not installed")
from workbench.engines import spark as ws
from workbench.engines.spark.sessions import release_unreferenced

from .conftest import SAMPLE

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.spark

_WRAPPED = re.compile(r"^create or replace (temp )?(table|view) \S+ as\n")


# --- comparing answers -------------------------------------------------------------------------


def _value(v: Any) -> Any:
    if isinstance(v, decimal.Decimal):
        v = int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return int(v) if v.is_integer() and abs(v) < 2**53 else float(f"{v:.12g}")
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return v.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(v, list | tuple):
        return tuple(_value(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, _value(x)) for k, x in v.items())
    return v


def rows(table: pa.Table) -> list[tuple[Any, ...]]:
    """Rows as comparable tuples, sorted (row order is not part of a relation's answer)."""
    cols = [c.to_pylist() for c in table.columns]
    return sorted((tuple(_value(v) for v in r) for r in zip(*cols, strict=True)), key=repr)


def assert_same(duck: pa.Table, spark: pa.Table, what: str) -> None:
    assert spark.column_names == duck.column_names, what
    a, b = rows(duck), rows(spark)
    if a != b:
        in_a, in_b = set(a), set(b)
        only_duck = [r for r in a if r not in in_b][:3]
        only_spark = [r for r in b if r not in in_a][:3]
        pytest.fail(f"{what}: DuckDB {len(a)} rows, Spark {len(b)}; {only_duck} vs {only_spark}")


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_dictionary(t):
        return _duck_type(t.value_type)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return _duck_type(t.value_type) + "[]"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "bigint"
    if pa.types.is_floating(t):
        return "double"
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    if pa.types.is_date(t):
        return "date"
    return "varchar"


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ.setdefault("WORKBENCH_SPARK_PARTITIONS", "2")
    session = ws.session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pa.Table:
    with pytest.warns(UserWarning, match="extra copy"):
        return con.execute(sql, params or None).to_arrow_table()


@pytest.fixture(scope="module")
def recorded() -> dict[str, list[dict[str, Any]]]:
    """A whole analysis of the sample on DuckDB, every query call recorded with its inputs."""
    calls: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str]] = set()
    original = db._execute

    def recording(con: duckdb.DuckDBPyConnection, name: str, sql: str, params: dict) -> Any:
        body = _WRAPPED.sub("", sql, count=1)
        key = (name, repr(sorted(params.items())) + body)
        if key not in seen:
            seen.add(key)
            # (a DB-API result, not con.sql: the caller's cursor may hold an open result)
            inputs = {t: _fetch(con, f'select * from "{t}"', {}) for t in ws.inputs(body)}
            answer = _fetch(con, body, params)
            calls.setdefault(name, []).append(
                {"body": body, "params": dict(params), "inputs": inputs, "answer": answer}
            )
        return original(con, name, sql, params)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(db, "_execute", recording)
        log = wb.load_events(
            SAMPLE / "events.csv",
            surveys=SAMPLE / "surveys.csv",
            customers=SAMPLE / "customers.csv",
        )
        log.weekly_events()
        wb.validate(log)
        model = wb.build_journeys(log)
        ranking = wb.rank_friction(model)
        for effect in [
            *effects_for(ranking)[:4],
            "detractor",
            "churned",
            "low_csat",
            "has:Second-line transfer",
            "no_goal:Fault resolved",
        ]:
            wb.group_causes(model, effect)
        wb.kpis(model)
        wb.kpis(model, by="channel")
        wb.compare_levels(model, "nps", boots=20)
        wb.team_view(model)
        wb.loyalty_value(model)
        wb.journey_drivers(model)
        wb.compare_segment(model, "device", "mobile_web")
        model.journeys()
        model.steps()
        wb.build_journeys(log, session_gap="30min").journeys()
        # a clean file is not read again to account for its rows: a log and a survey file with
        # bad rows run the queries that find them
        wb.load_events(
            DATA / "bad_inputs" / "bad_timestamps.csv",
            surveys=DATA / "bad_surveys" / "surveys_mixed.csv",
        )
    return calls


def test_the_analysis_runs_every_query(recorded: dict[str, list[dict[str, Any]]]) -> None:
    # the statements only DuckDB runs (queries/duckdb/) may be recorded too; they are not
    # translated
    assert sorted(n for n in recorded if not n.startswith(f"{db.LOCAL}/")) == db.query_names()


@pytest.mark.parametrize("name", db.query_names())
def test_query_gives_the_same_answer_on_spark(
    name: str, recorded: dict[str, list[dict[str, Any]]], spark: Any
) -> None:
    assert name in recorded, f"the analysis never ran {name}"
    for call in recorded[name]:
        schema = {
            view: {f.name: _duck_type(f.type) for f in table.schema}
            for view, table in call["inputs"].items()
        }
        for view, table in call["inputs"].items():
            ws.register(spark, view, table)
        answer = ws.run(spark, call["body"], schema=schema, **call["params"]).toArrow()
        assert_same(call["answer"], answer, f"{name} {call['params']}")


# --- the dialect's fixes, one by one -----------------------------------------------------------

PROBE = pa.table(
    {
        "k": ["a", "a", "a", "b", "b", "c"],
        "step": [3, 1, 2, 2, 1, 1],
        "t": ["x", "y", None, "p", "q", "z"],
        "flag": [True, None, False, None, None, None],
        "v": [1.5, 2.0, 10.0, 4.0, 7.0, 3.0],
        "ts": [
            dt.datetime(2026, 1, 31, 23, 59, 59, 250000),
            dt.datetime(2026, 2, 1, 0, 0, 0, 750000),
            dt.datetime(2026, 3, 1, 12, 0, 0),
            dt.datetime(2026, 5, 3, 8, 0, 0),  # a Sunday
            dt.datetime(2026, 5, 4, 8, 30, 0),  # a Monday
            dt.datetime(2025, 12, 31, 23, 0, 0),
        ],
    }
)
PROBE_SCHEMA = {"probe": {f.name: _duck_type(f.type) for f in PROBE.schema}}


def both(spark: Any, sql: str, **params: Any) -> tuple[pa.Table, pa.Table]:
    con = db.connect()
    con.register("probe", PROBE)
    duck = con.sql(sql, params=params or None).to_arrow_table()
    ws.register(spark, "probe", PROBE)
    return duck, ws.run(spark, sql, schema=PROBE_SCHEMA, **params).toArrow()


@pytest.mark.parametrize(
    "sql",
    [
        # order inside a list (plain translation: collect_list, order lost)
        "select k, list(t order by step) as path from probe group by k",
        "select k, list(t order by step, v) as path, len(list(t order by step)) as n "
        "from probe group by k",
        # fractions of a second (plain: whole seconds)
        "select k, epoch(max(ts) - min(ts)) as secs, epoch(min(ts)) as e from probe group by k",
        # exact interpolated medians and quantiles (plain: approximate or refused)
        "select k, median(v) as m, quantile_cont(v, [0.25, 0.9]) as q from probe group by k",
        "select k, quantile_cont(v, [0.5, 0.9])[1] as q50, "
        "quantile_cont(v, [0.5, 0.9])[-1] as q90, list(v order by step)[9] as none "
        "from probe group by k",
        # days of the week (plain: off by one)
        "select dayofweek(ts) as d, isodow(ts) as i, dayname(ts) as n from probe",
        # boundaries crossed (plain: elapsed time)
        "select date_diff('day', min(ts), max(ts)) as d, date_diff('month', min(ts), max(ts)) "
        "as mo, date_diff('hour', min(ts), max(ts)) as h, date_diff('year', min(ts), max(ts)) "
        "as y from probe",
        # NULL when no row has a value (plain: 0)
        "select k, count_if(flag) as n from probe group by k",
        "select list_has_any(list(t), ['x', 'q']) as any_hit from probe group by k",
        "select * exclude (v, ts) from probe",
        "select * replace (upper(t) as t) from probe",
        "select k, columns('^(v|step)$') from probe",
        "select * from (unpivot (select k, step, v from probe) on step, v "
        "into name measure value amount)",
        "select p.k, p.step, q.step as before from probe as p asof join probe as q "
        "on p.k = q.k and p.ts >= q.ts",
        "select k, count(*) filter (where v > $cut) as n from probe group by k",
        # ISO weeks: 2025-12-31 is in 2026-W01 (plain: the pattern printed literally)
        "select strftime(ts, '%G-W%V') as week, strftime(ts, '%Y-%m') as month from probe",
    ],
)
def test_dialect_keeps_duckdb_answers(spark: Any, sql: str) -> None:
    params = {"cut": 2.5} if "$cut" in sql else {}
    duck, answer = both(spark, sql, **params)
    assert_same(duck, answer, sql)


def test_ordered_lists_keep_their_order_on_spark(spark: Any) -> None:
    _, answer = both(spark, "select k, list(t order by step) as path from probe group by k")
    got = {r["k"]: r["path"] for r in answer.to_pylist()}
    assert got == {"a": ["y", None, "x"], "b": ["q", "p"], "c": ["z"]}


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("select quantile_disc(v, 0.5) from probe", "quantile_disc"),
        ("select * from read_parquet('events.parquet')", "reads a file"),
        ("select time_bucket(interval 1 day, ts) from probe", "time_bucket"),
        ("select list(t order by step desc) from probe", "descending"),
        ("select cast(t as mood) from probe", "mood"),
        ("select date_diff('week', ts, ts) from probe", "date_diff"),
        ("select bitstring_agg(step) from probe", "bitstring_agg"),
        ("select bit_count(bitstring_agg(step, 0, 9)) from probe", "bounds"),
        ("select strftime(ts, '%V-%u') from probe", "time pattern"),
    ],
)
def test_what_cannot_be_translated_is_refused(sql: str, why: str) -> None:
    with pytest.raises(ws.TranslationError, match=why) as err:
        ws.translate(sql, PROBE_SCHEMA)
    assert err.value.title == "Cannot run this query on Spark"


def test_plain_translation_would_be_wrong() -> None:
    """The mismatches the dialect exists for are real in the plain translation."""
    import sqlglot

    plain = sqlglot.transpile("select list(t order by step), epoch(b - a)", "duckdb", "spark")[0]
    assert "ORDER" not in plain.upper() and "UNIX_TIMESTAMP" in plain.upper()
    ours = ws.translate("select list(t order by step), epoch(b - a) from probe", PROBE_SCHEMA)
    assert "ARRAY_SORT" in ours and "UNIX_MICROS" in ours


def test_code_sorted_path_becomes_an_ordered_list() -> None:
    """DuckDB's fast path (sort step/code numbers, read ENUM values back by code) has no Spark
    spelling; it becomes the ordered list it stands for."""
    fast = (
        "select list_transform(list_sort(list(step * 4294967296 + enum_code(t))), "
        "lambda v: cast(enum_range(null::touchpoint_enum) as touchpoint_enum[])"
        "[v % 4294967296 + 1]) as path from probe group by k"
    )
    slow = "select list(t order by step) as path from probe group by k"
    assert ws.translate(fast, PROBE_SCHEMA) == ws.translate(slow, PROBE_SCHEMA)


def test_enum_masks_count_a_set_not_a_distinct_aggregate() -> None:
    """A journey's distinct channels (a mask of ENUM codes in DuckDB) become the size of their
    set on Spark: a distinct aggregate beside the path's list would make Spark expand and group
    every step twice (the cross-engine test checks the answers)."""
    sql = (
        "select k, bit_count(bit_or(cast(1 as ubigint) << enum_code(t))) as n from probe group by k"
    )
    out = ws.translate(sql, PROBE_SCHEMA)
    assert "SIZE(COLLECT_SET(probe.t))" in out and "DISTINCT" not in out.upper()


# --- the journey model and the command line on Spark ---------------------------------------------


@pytest.fixture(scope="module")
def small_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = (SAMPLE / "events.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path_factory.mktemp("spark") / "events.csv"
    bad = "E9,,J9,buy_subscription,Browse plans,web,2026-05-25 09:14:28" + "," * 8
    # rows that do not split into the header's 15 fields: one too many, and three
    too_many = lines[1] + ",surplus"
    too_few = "E10,C10,J10"
    path.write_text(
        "\n".join([*lines[:101], too_many, *lines[101:4001], bad, too_few, ""]),
        encoding="utf-8",
    )
    return path


def test_journey_model_on_spark_equals_duckdb(spark: Any, small_log: Path) -> None:
    model = wb.build_journeys(wb.load_events(small_log))
    on_spark = ws.build_journeys_on_spark(spark, ws.read_events(spark, str(small_log)))
    for table in ("edges", "starts", "ends", "variants", "touchpoints"):
        duck, theirs = getattr(model, table), getattr(on_spark, table)
        assert_same(
            pa.Table.from_pandas(duck, preserve_index=False),
            pa.Table.from_pandas(theirs, preserve_index=False),
            table,
        )
    assert on_spark.summary() == model.summary()
    # every row is loaded or rejected with its data row and reason, none lost: the row without
    # a customer, and the two that do not split into the header's fields (with the row as read)
    assert on_spark.rows == on_spark.n_events + 3 == 4003
    rejected = on_spark.rejected
    assert rejected["row_no"].tolist() == [101, 4002, 4003]
    assert rejected["reason"].tolist() == [
        "more fields than the header (expected 15, found 16)",
        "customer id is empty",
        "fewer fields than the header (expected 15, found 3)",
    ]
    # in the DuckDB loader's words
    duck_reasons = set(wb.load_events(small_log).rejected_rows()["reason"])
    assert set(rejected["reason"]) == duck_reasons
    assert rejected["value"].tolist()[::2] == [
        small_log.read_text().splitlines()[101],
        "E10,C10,J10",
    ]


def test_cli_engine_spark(small_log: Path, tmp_path: Path, spark: Any) -> None:
    duck_csv, spark_csv = tmp_path / "duck.csv", tmp_path / "spark.csv"
    base = ["journeys", "--events", str(small_log), "--format", "csv", "--table", "variants"]
    assert cli.main([*base, "--out", str(duck_csv)]) == 0
    assert cli.main([*base, "--engine", "spark", "--out", str(spark_csv)]) == 0
    assert spark_csv.read_text() == duck_csv.read_text()
    # the JSON document too: same totals and variants, lists of touchpoints as lists
    duck_json, spark_json = tmp_path / "duck.json", tmp_path / "spark.json"
    base = ["journeys", "--events", str(small_log)]
    assert cli.main([*base, "--out", str(duck_json)]) == 0
    assert cli.main([*base, "--engine", "spark", "--out", str(spark_json)]) == 0
    duck_doc, spark_doc = (json.loads(p.read_text()) for p in (duck_json, spark_json))
    assert spark_doc["engine"] == "spark"
    assert spark_doc["journeys"] == duck_doc["journeys"]
    assert spark_doc["variants"] == duck_doc["variants"]


@pytest.mark.parametrize(
    "option",
    [["--table", "journeys"], ["--customers", str(SAMPLE / "customers.csv")]],
    ids=["journey table", "customers"],
)
def test_cli_engine_spark_refuses_what_it_cannot_do(
    small_log: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["journeys", "--events", str(small_log), "--engine", "spark", *option])
    assert code == 2
    err = capsys.readouterr().err
    assert "Not available on Spark" in err and option[0] in err


# --- the KPIs on Spark ---------------------------------------------------------------------------


def assert_same_kpis(duck: pd.DataFrame, spark_table: pd.DataFrame) -> None:
    """Same groups, KPIs, counts and warnings; values and intervals to 12 digits."""
    keys = ["group", "kpi"]
    assert spark_table[keys].values.tolist() == duck[keys].values.tolist()
    for column in ("label", "n", "unit", "warning"):
        assert spark_table[column].tolist() == duck[column].tolist(), column
    for column in ("value", "ci_low", "ci_high"):
        assert np.allclose(
            spark_table[column].astype(float),
            duck[column].astype(float),
            rtol=1e-12,
            atol=1e-12,
            equal_nan=True,
        ), column


@pytest.mark.parametrize("by", ["team", "week"])
def test_kpis_on_spark_equal_duckdb(spark: Any, small_log: Path, by: str) -> None:
    """Split by an event attribute (typed on Spark as the loader types it: the wait, transfer
    and resolution flags feed FCR and repeat contacts) and by ISO week."""
    surveys = SAMPLE / "surveys.csv"
    log = wb.load_events(small_log, surveys=surveys)
    duck = wb.kpis(wb.build_journeys(log), by=by).table
    result = ws.kpis_on_spark(
        spark,
        ws.read_events(spark, str(small_log)),
        ws.read_events(spark, str(surveys)),
        by=by,
    )
    assert set(duck["kpi"]) >= {"nps", "csat", "fcr", "repeat_contact_rate", "resolution_rate"}
    assert_same_kpis(duck, result.kpis.table)
    assert result.model.attributes == log.attributes
    assert result.survey_rows == log.survey_report.rows_read
    assert len(result.surveys_rejected) == log.survey_report.rows_rejected


def test_kpis_on_spark_with_bad_surveys_none_tied_to_an_interaction(spark: Any) -> None:
    """Surveys in other column names, six of nine rejected, none rating an interaction: the
    same figures, and every rejected response with the same reason, file column and value."""
    events = DATA / "tiny_journeys.csv"
    surveys = DATA / "bad_surveys" / "surveys_mixed.csv"
    log = wb.load_events(events, surveys=surveys)
    duck = wb.kpis(wb.build_journeys(log)).table
    result = ws.kpis_on_spark(
        spark, ws.read_events(spark, str(events)), ws.read_events(spark, str(surveys))
    )
    assert_same_kpis(duck, result.kpis.table)
    report = log.survey_report
    assert result.survey_rows == report.rows_read == 9
    theirs = result.surveys_rejected
    assert theirs["row_no"].tolist() == report.rejected["row"].tolist()
    assert theirs["column"].tolist() == report.rejected["column"].tolist()
    assert theirs["reason"].tolist() == report.rejected["reason"].tolist()
    assert theirs["value"].fillna("").tolist() == report.rejected["value"].fillna("").tolist()


def test_cli_kpis_engine_spark(small_log: Path, tmp_path: Path, spark: Any) -> None:
    base = ["kpis", "--events", str(small_log), "--surveys", str(SAMPLE / "surveys.csv")]
    duck_json, spark_json = tmp_path / "duck.json", tmp_path / "spark.json"
    assert cli.main([*base, "--by", "channel", "--out", str(duck_json)]) == 0
    assert cli.main([*base, "--by", "channel", "--engine", "spark", "--out", str(spark_json)]) == 0
    duck_doc, spark_doc = (json.loads(p.read_text()) for p in (duck_json, spark_json))
    assert spark_doc["engine"] == "spark"
    assert spark_doc["by"] == "channel" and spark_doc["params"] == duck_doc["params"]
    # every row is loaded or rejected: the row without a customer is counted as rejected
    for key in ("rows_read", "rows_loaded", "rows_rejected"):
        assert spark_doc["load"][key] == duck_doc["load"][key], key
    survey_lines = len((SAMPLE / "surveys.csv").read_text(encoding="utf-8").splitlines())
    assert spark_doc["load"]["surveys"]["rows_read"] == survey_lines - 1
    assert spark_doc["load"]["surveys"]["rows_loaded"] == survey_lines - 1
    assert spark_doc["load"]["rows_rejected"] == 3
    reasons = {
        (r["reason"], r["column"], r["rows"]) for r in spark_doc["load"]["rejected_by_reason"]
    }
    assert reasons == {
        ("more fields than the header (expected 15, found 16)", None, 1),
        ("fewer fields than the header (expected 15, found 3)", None, 1),
        ("customer id is empty", "customer_id", 1),
    }
    assert_same_kpis(pd.DataFrame(duck_doc["kpis"]), pd.DataFrame(spark_doc["kpis"]))


def test_cli_kpis_engine_spark_by_a_customer_attribute(
    small_log: Path, tmp_path: Path, spark: Any
) -> None:
    """KPIs by customer segment on Spark, from the command line: the DuckDB figures, and every
    customer row accounted for in the load document."""
    base = [
        "kpis",
        "--events",
        str(small_log),
        "--surveys",
        str(SAMPLE / "surveys.csv"),
        "--customers",
        str(DATA / "bad_surveys" / "customers_dupes.csv"),
        "--by",
        "segment",
    ]
    duck_json, spark_json = tmp_path / "duck.json", tmp_path / "spark.json"
    assert cli.main([*base, "--out", str(duck_json)]) == 0
    assert cli.main([*base, "--engine", "spark", "--out", str(spark_json)]) == 0
    duck_doc, spark_doc = (json.loads(p.read_text()) for p in (duck_json, spark_json))
    duck = pd.DataFrame(duck_doc["kpis"])
    # the customers' segments, the row repeated and the row without an id rejected
    assert {"Consumer", "Business"} <= set(duck["group"])
    assert_same_kpis(duck, pd.DataFrame(spark_doc["kpis"]))
    customers = spark_doc["load"]["customers"]
    assert (customers["rows_read"], customers["rows_loaded"], customers["unmatched"]) == (5, 3, 1)
    assert {(r["reason"], r["first_row"]) for r in customers["rejected_by_reason"]} == {
        ("customer id repeated (first at row 1)", 3),
        ("customer id is empty", 4),
    }


def test_customers_on_spark_keep_their_rows_across_partitions(spark: Any, tmp_path: Path) -> None:
    """A customer list read in several partitions: a repeated id is rejected with its own and
    its first row's place in the file, as the DuckDB loader names them, and the row that does
    not split into the header's fields with its row too."""
    lines = (SAMPLE / "customers.csv").read_text(encoding="utf-8").splitlines()
    first_id = lines[1].split(",")[0]
    rows = [*lines[1:], f"{first_id},Youth,Oslo,Mobile S,1,9.5,web,false", "C9,Consumer"]
    rows.insert(1499, "," + lines[1500].split(",", 1)[1])
    path = tmp_path / "customers.csv"
    path.write_text("\n".join([lines[0], *rows, ""]), encoding="utf-8")
    events = DATA / "tiny_journeys.csv"
    log = wb.load_events(events, customers=path)
    report = log.customer_report
    assert report is not None and report.rows_rejected == 3
    ws.build_journeys_on_spark(spark, ws.read_events(spark, str(events)))
    before = spark.conf.get("spark.sql.files.maxPartitionBytes")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "16k")
    try:
        source = ws.read_events(spark, str(path))
        assert source.rdd.getNumPartitions() > 4
        staged = ws.stage_customers(spark, source)
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", before)
    assert staged.rows == report.rows_read == len(rows)
    assert staged.unmatched == report.unmatched
    assert staged.attributes == report.attribute_types
    theirs = staged.rejected
    # (DuckDB names a row that does not split by its line only: here the header's line + 1)
    lines_read = (report.rejected["line"] - 1).tolist()
    assert theirs["row_no"].tolist() == lines_read == [1500, 2859, 2860]
    assert theirs["reason"].tolist() == report.rejected["reason"].tolist()
    assert theirs["reason"].tolist()[:2] == [
        "customer id is empty",
        "customer id repeated (first at row 1)",
    ]
    assert theirs["value"].fillna("").tolist() == report.rejected["value"].fillna("").tolist()
    loaded = spark.table("customers").count()
    assert loaded == report.rows_loaded == len(rows) - 3


def _kept_rows(spark: Any) -> int:
    """How many kept (checkpointed) row sets the session holds, once Spark's cleaner has
    removed those nothing refers to (read when the number stops falling)."""
    jsc = spark.sparkContext._jsc
    seen: list[int] = []
    for _ in range(120):
        release_unreferenced(spark)
        seen.append(jsc.getPersistentRDDs().size())
        if len(seen) >= 4 and len(set(seen[-4:])) == 1:
            break
        time.sleep(0.25)
    return seen[-1]


def test_a_later_analysis_releases_the_earlier_ones_kept_rows(spark: Any) -> None:
    """The views an analysis keeps are checkpoints: a query over one scans its rows instead of
    planning every view below it again, and a later analysis leaves one copy of each view."""
    path = str(DATA / "tiny_journeys.csv")
    ws.build_journeys_on_spark(spark, ws.read_events(spark, path))
    plan = spark.sql("select * from journeys")._jdf.queryExecution().optimizedPlan().toString()
    assert "Window" not in plan and "Aggregate" not in plan, plan
    after_one = _kept_rows(spark)
    ws.build_journeys_on_spark(spark, ws.read_events(spark, path))
    assert _kept_rows(spark) <= after_one
    # and the answers are read from the new rows
    assert spark.table("journeys").count() == wb.build_journeys(wb.load_events(path)).n_journeys


_CHECKPOINTED = """
import sys
from pathlib import Path
from workbench import cli
from workbench.engines import spark as ws

events, folder = sys.argv[1], Path(sys.argv[2])
spark = ws.session("local[2]")
ws.build_journeys_on_spark(spark, ws.read_events(spark, events))
print("written", len(list(folder.glob("*/rdd-*"))))
code = cli.main(["journeys", "--events", events, "--table", "edges", "--format", "csv",
                 "--engine", "spark", "--out", sys.argv[3]])
print("exit", code, "left", len(list(folder.rglob("rdd-*"))))
"""


def test_spark_with_a_checkpoint_directory(tmp_path: Path) -> None:
    """With WORKBENCH_SPARK_CHECKPOINT_DIR the kept views are written there (reliable on a
    cluster that may lose an executor), the answers stay DuckDB's, and a command removes its
    files when it is done (Spark would leave them behind)."""
    events = str(DATA / "tiny_journeys.csv")
    duck, theirs = tmp_path / "duck.csv", tmp_path / "spark.csv"
    base = ["journeys", "--events", events, "--format", "csv", "--table", "edges"]
    assert cli.main([*base, "--out", str(duck)]) == 0
    checkpoints = tmp_path / "checkpoints"
    env = {**os.environ, "WORKBENCH_SPARK_CHECKPOINT_DIR": str(checkpoints)}
    done = subprocess.run(
        [sys.executable, "-c", _CHECKPOINTED, events, str(checkpoints), str(theirs)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    written = re.search(r"written (\d+)", done.stdout)
    assert written and int(written.group(1)) >= 6, done.stdout
    assert "exit 0 left 0" in done.stdout, done.stdout
    assert theirs.read_text() == duck.read_text()


def test_a_case_only_log_on_spark_equals_duckdb(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "ticket_id,activity,ts\n"
        "T1,Open,2026-01-05 09:00:00\nT1,Assign,2026-01-05 11:00:00\nT1,Close,2026-01-06 09:00:00\n"
        "T2,Open,2026-01-05 10:00:00\n,Assign,2026-01-05 10:30:00\nT2,Close,2026-01-07 10:00:00\n",
        encoding="utf-8",
    )
    model = wb.build_journeys(wb.load_events(path))
    on_spark = ws.build_journeys_on_spark(spark, ws.read_events(spark, str(path)))
    assert on_spark.summary() == model.summary()
    assert on_spark.customers_are_cases and on_spark.n_journeys == on_spark.n_customers == 2
    assert on_spark.rejected["reason"].tolist() == ["journey id is empty"]
