"""The one door to DuckDB: named queries, checked parameters, titled errors, safe quoting."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import workbench as wb
from workbench.analyses import satisfaction
from workbench.core import db, query_files
from workbench.core.errors import QueryError

from .conftest import DATA

# Parameters each query needs to run on the tiny fixture.
PARAMS: dict[str, dict[str, object]] = {
    "journeys/keyed_by_gap": {"gap_seconds": 1800.0},
    "staging/classified_events": {"journey_required": True, "customer_is_case": False},
    "validation/checks": {"latest_plausible": datetime(2030, 1, 1), "heavy_factor": 50.0},
    "journeys/journey_labels": {"by_gap": False},
    "journeys/journeys": {"touchpoint_mask": True},
    "journeys/edges": {"dense": True},
    "journeys/endpoints": {"dense": True},
    "journeys/touchpoints": {"dense": True},
    "outcomes/survey_links": {"by_journey_id": True, "window_seconds": 7 * 86400.0},
    "outcomes/journey_outcomes": {"goals": ["Buy"]},
    "friction/visits": {
        "repeat_seconds": 7 * 86400.0,
        "long_wait_seconds": 300.0,
        "self_service": ["web", "app"],
        "assisted": ["phone"],
        "has_transfer_steps": False,
        "transfer_steps": ["-"],
        "contacts": ["phone"],
        "contacts_by_channel": True,
        "successes": ["Buy"],
    },
    "causes/visit_units": {
        "signal": "channel_switch",
        "touchpoint": None,
        "period_from": None,
        "period_to": None,
    },
    "causes/elsewhere": {"touchpoint": "Buy"},
    "analyses/distinct_names": {"column": "channel"},
    "kpis/journey_facts": {"goals": ["Buy"], "split": "all", "attribute": "touchpoint"},
    **{
        f"kpis/{view}": {
            **{f"by_{s}": s == "channel" for s in ("none", "month", "week", "event", "customer")},
            "by_channel": True,
            "attribute": "row_no",
        }
        for view in ("grouped_responses", "grouped_contacts", "grouped_events")
    },
    "causes/journey_units": {
        "effect": "has",
        "touchpoint": "Buy",
        "source": "",
        "target": "",
        "heading": [""],
        "period_from": datetime(2000, 1, 1),
        "period_to": datetime(2100, 1, 1),
    },
    "causes/customer_units": {
        "effect": "churned",
        "period_from": datetime(2000, 1, 1),
        "period_to": None,
    },
    "causes/heading_to": {"touchpoint": "Buy", "share": 0.5},
    "causes/cause_steps": {"by_journey": True, "by_customer": False},  # units of has:Buy
    "outcomes/signal_events": {
        **{s: "row_no" for s in ("wait", "transferred", "resolved", "abandoned", "handled_by")},
        **{f"has_{s}": s == "wait" for s in ("wait", "transferred", "resolved", "abandoned")},
        "has_handled_by": True,
    },
    "outcomes/interaction_events": {"interaction": "touchpoint", "has_interaction": True},
    "outcomes/customer_flags": {"churned": "churned", "has_churned": True},
}
# Nothing in the tiny log loops or is rejected from the side tables.
MAY_BE_EMPTY = {"friction/loop_overlaps", "staging/rejected_context"}
# Views that stand in for the ones the loaders build over a source (they are dropped after
# loading), made from the loaded tables.
STAND_INS = {
    "mapped_rows": "select row_no, customer_id, journey_id, cast(touchpoint as varchar) "
    "touchpoint, cast(channel as varchar) channel, cast(ts as varchar) time_raw, "
    "ts from events",
    "classified_events": "select *, case when row_no = 2 then 'time not understood' end "
    "reject_reason, case when row_no = 2 then 'time' end reject_column "
    "from mapped_rows",
    "mapped_survey_rows": "select row_no, customer_id, journey_id, interaction_id, touchpoint, "
    "kind as kind_raw, cast(score as varchar) score_raw, "
    "cast(ts as varchar) time_raw, ts, comment from surveys",
    "classified_surveys": "select *, cast(ts as varchar) time_raw, null reject_reason, "
    "null reject_column, null reject_value from surveys",
    "mapped_customer_rows": "select row_no, customer_id, segment from customers",
    "classified_customers": "select *, null reject_reason, null reject_column, "
    "null reject_value from customers",
    "classified_context": "select * from classified_customers",
    "segment_values": "select journey_key, 'Consumer' as segment from journeys",
    "variant_moves": "select j.variant, s.touchpoint as source, s.next_touchpoint as target "
    "from steps s join journey_variants j on s.journey_key = j.journey_key",
    "served": "select customer_key, 'Team A' as grp from kpi_contacts",
    "concentration_journeys": "select journey_key, 'x' as \"attr:flag\" from journeys",
    "concentration_visits": "select *, 'x' as \"attr:flag\" from visits",
    "concentration_steps": "select journey_key, touchpoint, dropped from visits",
    "concentration_moves": "select journey_key, touchpoint, next_touchpoint from visits",
}


@pytest.fixture(scope="module")
def tiny_full() -> wb.JourneyModel:
    """The tiny log with surveys and customers, and every analysis run once on it."""
    log = wb.load_events(
        DATA / "tiny_journeys.csv",
        surveys=DATA / "tiny_surveys.csv",
        customers=DATA / "tiny_customers.csv",
    )
    model = wb.build_journeys(log)
    wb.rank_friction(model, goals=["Buy"], min_units=1, min_affected=1, concentration=False)
    wb.group_causes(model, "has:Buy", min_support=1, min_affected=1)  # leaves cause_units
    wb.kpis(model, by="channel")  # leaves kpi_responses, grouped_events ...
    satisfaction.customer_measures(model)  # leaves customer_values
    wb.journey_drivers(model, min_journeys=1)  # leaves journey_types
    with model.using() as cur:
        for view, sql in STAND_INS.items():
            cur.execute(f"create or replace temp view {view} as {sql}")
    return model


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
        last = text.rstrip().splitlines()[-1]
        assert last.startswith(("select * from final", "order by", "where")), name


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_runs_on_the_tiny_fixture(name: str, tiny_full: wb.JourneyModel) -> None:
    with tiny_full.using() as cur:
        if name == "journeys/steps":
            db.create_view(cur, "journeys/keyed_by_column", "keyed_events", temp=True)
        if name == "causes/elsewhere":  # the units of a contact-level signal, at every point
            params = PARAMS["causes/visit_units"]
            db.materialize(cur, "causes/visit_units", "cause_units", temp=True, **params)
        result = db.run(cur, name, **PARAMS.get(name, {}))
    if name not in MAY_BE_EMPTY:
        assert len(result) > 0, f"{name} returned nothing on the tiny fixture"


@pytest.mark.parametrize("name", ["journeys/edges", "journeys/endpoints", "journeys/touchpoints"])
def test_bit_set_and_hashed_counts_agree_on_the_tiny_fixture(
    name: str, tiny_full: wb.JourneyModel
) -> None:
    with tiny_full.using() as cur:
        dense, hashed = (db.run(cur, name, dense=flag) for flag in (True, False))
    pd.testing.assert_frame_equal(dense, hashed)
    assert len(dense) > 0


def test_distinct_touchpoints_by_mask_and_by_path_agree(sample_model: wb.JourneyModel) -> None:
    """A journey's distinct touchpoints counted as bits of their codes (at most 64 touchpoints)
    and from its path give the same journeys table, loops included."""
    with sample_model.using() as cur:
        masked, listed = (
            db.run(cur, "journeys/journeys", touchpoint_mask=flag).sort_values("journey_key")
            for flag in (True, False)
        )
    pd.testing.assert_frame_equal(masked.reset_index(drop=True), listed.reset_index(drop=True))
    assert (masked["loops"] > 0).sum() > 100


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


def test_params_in_comments_and_strings_do_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    assert db.query_params("journeys/keyed_by_gap") == {"gap_seconds"}
    text = "-- params: $documented, $also_documented\nselect '$in_a_string' as s, $used as u"
    monkeypatch.setattr(query_files, "query_text", lambda name: text)
    assert db.query_params("any/query") == {"used"}


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


def test_connections_are_capped_at_one_gigabyte_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def cap(con: duckdb.DuckDBPyConnection) -> str:
        return str(con.execute("select current_setting('memory_limit')").fetchone()[0])

    monkeypatch.delenv("WORKBENCH_MEMORY_LIMIT", raising=False)
    assert cap(db.connect()) == "762.9 MiB"  # DuckDB shows 800MB (8 x 10^8 bytes) in MiB
    assert cap(db.connect(memory_limit="2GB")) == "1.8 GiB"
    monkeypatch.setenv("WORKBENCH_MEMORY_LIMIT", "3GB")
    assert cap(db.connect()) == "2.7 GiB"
    monkeypatch.setenv("WORKBENCH_MEMORY_LIMIT", "none")
    default = duckdb.connect()
    assert cap(db.connect()) == cap(default)  # DuckDB's own: 80 % of this computer's memory


def test_in_memory_work_spills_to_the_temporary_folder() -> None:
    con = db.connect()
    spill = str(con.execute("select current_setting('temp_directory')").fetchone()[0])
    assert spill.startswith(tempfile.gettempdir())
    assert not spill.startswith(str(Path.cwd()))


def test_running_out_of_memory_says_how_to_raise_the_cap() -> None:
    con = db.connect(memory_limit="20MB")
    con.execute(
        "create view keyed_events as select i // 50 as journey_key, i // 100 as customer_key, "
        "'a' || (i % 7) as touchpoint, 'web' as channel, "
        "timestamp '2026-01-01' + to_seconds(i) as ts, i as row_no from range(3000000) t(i)"
    )
    with pytest.raises(QueryError) as caught:
        db.run(con, "journeys/steps")  # three million steps in 20 MB
    assert caught.value.title == "Out of memory"
    assert "WORKBENCH_MEMORY_LIMIT" in str(caught.value)
    assert "queries/journeys/steps.sql" in str(caught.value)


# --- the slot step: names chosen at run time -----------------------------------------------------


def test_the_door_s_own_queries_are_documented_and_not_relations_of_the_analysis() -> None:
    local = db.local_query_names()
    assert local and not set(local) & set(db.query_names())
    for name in local:
        text = db.query_text(name)
        assert text.startswith(f"-- {name.rsplit('/', 1)[-1]}:"), name
        head = "\n".join(line for line in text.splitlines() if line.startswith("--"))
        for word in ("grain:", "input:", "params:"):
            assert word in head, f"{name} header lacks {word}"
        documented = set(re.findall(r"\$([a-z_]+)", head))
        assert documented == set(db.query_params(name)), f"{name}: params header out of date"
        slots = set(re.findall(r"\{\{[#?]?>?\s*([a-z_]+)\}\}", head))
        assert slots == set(db.query_slots(name)), f"{name}: slots header out of date"


def test_a_slot_quotes_the_name_even_with_a_double_quote_in_it() -> None:
    con = db.connect()
    odd = 'say "hi"; drop table x --'
    db.temp_relation(con, odd, "select 1 as n", table=True)
    assert db.read_all(con, db.quote_ident(odd))["n"].tolist() == [1]
    sql, _ = db.prepare("duckdb/db/drop_table", table=odd)
    assert '"say ""hi""; drop table x --"' in sql
    db.drop_table(con, db.quote_ident(odd))
    assert con.execute(
        "select count(*) from duckdb_tables() where table_name = ?", [odd]
    ).fetchone() == (0,)


def test_a_tuple_fills_a_slot_with_a_qualified_name() -> None:
    sql, values = db.prepare("duckdb/db/view_over", view="v", relation=("s", "t x"))
    assert sql.strip() == 'create or replace temp view "v" as select * from "s"."t x"'
    assert values == {}


def test_a_slot_left_unfilled_or_given_too_much_names_the_file() -> None:
    with pytest.raises(QueryError, match=r"queries/duckdb/db/view_over\.sql.*missing relation"):
        db.prepare("duckdb/db/view_over", view="v")
    with pytest.raises(QueryError, match=r"unexpected extra"):
        db.prepare("duckdb/db/drop_view", view="v", extra="x")


@pytest.mark.parametrize("value", [None, 3, ("s", 4), (), ["a", "b"]])
def test_a_slot_takes_only_a_name_or_a_tuple_of_names(value: object) -> None:
    with pytest.raises(QueryError, match="must be a name"):
        db.prepare("duckdb/db/drop_view", view=value)


def test_slots_and_values_go_their_own_ways() -> None:
    sql, values = db.prepare("duckdb/db/distinct_counts", relation="t", columns=["a"])
    assert '"t"' in sql and "{{" not in sql and not sql.startswith("--")
    assert values == {"columns": ["a"]}


def test_a_name_not_made_by_quote_ident_is_refused() -> None:
    with pytest.raises(QueryError, match="not a name quoted"):
        db.read_all(db.connect(), "events; drop table events")


def test_distinct_counts_and_values_keep_the_order_named() -> None:
    con = db.connect()
    con.execute("""create table t as select * from (values (2, 'b'), (1, null)) v(x, "a""y")""")
    assert db.distinct_counts(con, "t", ['a"y', "x"]) == {'a"y': 1, "x": 2}
    assert db.distinct_values(con, "t", ['a"y', "x"]) == {'a"y': ("b",), "x": ("1", "2")}


# --- sections: a join only some calls need, one column per attribute ------------------------------

SECTIONED = """-- sectioned: a query with sections.
select
    t.id,
    {{#items}}cast(t.{{column}} as varchar) as {{alias}}, {{> extra}}
    {{/items}}
    {{?joined}}o.{{other}},{{/joined}}
from t
{{?joined}}join o on o.id = t.id{{/joined}}
"""


@pytest.fixture
def sectioned(monkeypatch: pytest.MonkeyPatch) -> str:
    name = "test_only/sectioned"
    real = db.query_text
    monkeypatch.setattr(query_files, "query_text", lambda n: SECTIONED if n == name else real(n))
    for cached in (db.query_params, db.query_slots, db.query_sections):
        cached.cache_clear()
    yield name
    for cached in (db.query_params, db.query_slots, db.query_sections):
        cached.cache_clear()


def test_sections_are_slots_and_their_items_fields_are_not(sectioned: str) -> None:
    assert db.query_slots(sectioned) == {"items", "joined", "other"}
    assert db.query_sections(sectioned) == {"items": {"column", "alias", "extra"}, "joined": None}


def test_a_list_section_repeats_per_item_with_its_names_quoted(sectioned: str) -> None:
    items = [
        {"column": 'say "hi"', "alias": "v0", "extra": "1 as one,"},
        {"column": "b", "alias": "v1", "extra": ""},
    ]
    sql, values = db.prepare(sectioned, items=items, joined=False, other="x")
    assert 'cast(t."say ""hi""" as varchar) as "v0", 1 as one,' in sql
    assert 'cast(t."b" as varchar) as "v1",' in sql
    assert "join o" not in sql and "o." not in sql and "{{" not in sql and values == {}


def test_a_flag_section_keeps_its_text_with_its_slots_filled(sectioned: str) -> None:
    sql, _ = db.prepare(sectioned, items=[], joined=True, other="x y")
    assert 'o."x y",' in sql and "join o on o.id = t.id" in sql
    con = db.connect()
    con.execute("create table t as select 1 as id, 'a' as b")
    con.execute("""create table o as select 1 as id, 2 as "x y\"""")
    # an empty list leaves a trailing comma, which DuckDB accepts
    assert con.execute(sql).fetchall() == [(1, 2)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"items": [{"column": "a"}], "joined": False}, "each with exactly alias, column, extra"),
        (
            {"items": [{"column": "a", "alias": "v", "extra": "", "more": 1}], "joined": True},
            "each with exactly",
        ),
        ({"items": ("a",), "joined": False}, "must be a list of items"),
        ({"items": [], "joined": "yes"}, "must be True or False"),
        ({"items": []}, "missing joined"),
    ],
)
def test_a_section_given_the_wrong_value_names_the_file(
    sectioned: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryError, match=rf"queries/{sectioned}\.sql.*{message}"):
        db.prepare(sectioned, other="x", **params)


def test_sections_do_not_nest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        query_files, "query_text", lambda n: "select {{#a}}{{?b}}x{{/b}}{{/a}} from t"
    )
    db.query_sections.cache_clear()
    try:
        with pytest.raises(QueryError, match="sections do not nest"):
            db.query_sections("test_only/nested")
    finally:
        db.query_sections.cache_clear()


def test_the_kpi_split_views_join_only_what_the_split_reads() -> None:
    none = {f"by_{s}": s == "none" for s in ("none", "month", "week", "channel", "event")}
    sql = db.inline("kpis/grouped_contacts", **none, by_customer=False, attribute="row_no")
    assert "'all'" in sql and "events" not in sql and "customers" not in sql
    by = {**none, "by_none": False}
    sql = db.inline("kpis/grouped_contacts", **by, by_customer=True, attribute="plan")
    assert 'cu."plan"' in sql and "left join customers" in sql and "events" not in sql


def test_a_literal_slot_writes_quoted_text_for_a_view() -> None:
    sql = db.inline(
        "duckdb/friction/concentration_moves",
        moves=[{"source": "it's", "target": "b"}, {"source": "c", "target": "d"}],
        no_moves=False,
    )
    assert "(('it''s', 'b'), ('c', 'd'), )" in " ".join(sql.split())
    with pytest.raises(QueryError, match="source must be text"):
        db.prepare(
            "duckdb/friction/concentration_moves",
            moves=[{"source": 1, "target": "b"}],
            no_moves=False,
        )
