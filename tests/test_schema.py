"""Column roles detected from the names real exports use, and overridden by people."""

from __future__ import annotations

import pytest

import workbench as wb
from workbench.ingest.schema import ColumnMapping, parse_map_args


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["user_id", "case_id", "activity", "ts"], ("user_id", "case_id", "activity", None, "ts")),
        (
            ["case:concept:name", "concept:name", "time:timestamp", "org:resource"],
            (None, "case:concept:name", "concept:name", None, "time:timestamp"),
        ),
        (
            ["Customer ID", "Session ID", "Event Name", "Channel", "Event Time"],
            ("Customer ID", "Session ID", "Event Name", "Channel", "Event Time"),
        ),
        (
            ["kund", "ärende", "händelse", "kanal", "tidpunkt"],
            ("kund", "ärende", "händelse", "kanal", "tidpunkt"),
        ),
        (
            ["msisdn", "ticket_id", "interaction_type", "medium", "created_at"],
            ("msisdn", "ticket_id", "interaction_type", "medium", "created_at"),
        ),
    ],
)
def test_detects_roles(columns: list[str], expected: tuple) -> None:
    m = ColumnMapping.detect(columns)
    assert (m.customer, m.journey, m.touchpoint, m.channel, m.time) == expected
    assert set(m.attributes) == set(columns) - {c for c in expected if c}


def test_time_role_falls_back_to_a_timestamp_typed_column() -> None:
    m = ColumnMapping.detect(
        ["who", "what", "when_it_happened"],
        {"when_it_happened": "TIMESTAMP"},
        {"customer": "who", "touchpoint": "what"},
    )
    assert m.time == "when_it_happened"


def test_overrides_win_and_free_the_column() -> None:
    m = ColumnMapping.detect(
        ["customer_id", "account", "event", "ts"], overrides={"customer": "account"}
    )
    assert m.customer == "account"
    assert "customer_id" in m.attributes


def test_check_names_what_is_missing() -> None:
    m = ColumnMapping.detect(["a", "b"])
    with pytest.raises(wb.ValidationError) as err:
        m.check(["a", "b"])
    assert err.value.title == "Columns not mapped"
    assert "customer" in err.value.message and "--map" in err.value.message


def test_one_column_for_two_roles_is_refused() -> None:
    m = ColumnMapping.of(customer="x", touchpoint="x", time="t")
    with pytest.raises(wb.ValidationError) as err:
        m.check(["x", "t"])
    assert err.value.title == "Column mapped twice"


def test_unknown_role_and_column() -> None:
    with pytest.raises(wb.ValidationError) as err:
        ColumnMapping.detect(["a"], overrides={"colour": "a"})
    assert err.value.title == "Unknown role"
    with pytest.raises(wb.ValidationError) as err2:
        ColumnMapping.detect(["a"], overrides={"customer": "b"})
    assert err2.value.title == "Column not found"


def test_parse_map_args() -> None:
    assert parse_map_args(["customer=kund", "journey="]) == {"customer": "kund", "journey": None}
    with pytest.raises(wb.ValidationError):
        parse_map_args(["kund"])


XES = ["case:concept:name", "concept:name", "time:timestamp", "org:resource", "org:group"]


def test_xes_names_are_a_case_only_log() -> None:
    m = ColumnMapping.detect([*XES, "lifecycle:transition"])
    assert (m.customer, m.journey, m.touchpoint, m.time) == (
        None,
        "case:concept:name",
        "concept:name",
        "time:timestamp",
    )
    assert m.attributes == ("org:resource", "org:group", "lifecycle:transition")
    m.check([*XES, "lifecycle:transition"])  # no customer needed
    assert m.customers_are_cases and m.customer_source == "case:concept:name"


def test_one_column_may_be_both_customer_and_journey() -> None:
    m = ColumnMapping.detect(XES, overrides={"customer": XES[0], "journey": XES[0]})
    m.check(XES)
    assert m.customer == m.journey == XES[0] and m.customers_are_cases
    assert not ColumnMapping.detect(["customer", "case", "activity", "ts"]).customers_are_cases


def test_a_case_id_mapped_as_the_customer_is_the_journey_too() -> None:
    m = ColumnMapping.detect(XES, overrides={"customer": XES[0]})
    assert m.journey == XES[0] and m.customers_are_cases
    # saying there is no journey column still cuts the case by a session gap
    gap = ColumnMapping.detect(XES, overrides={"customer": XES[0], "journey": None})
    assert gap.journey is None and not gap.customers_are_cases
    # a customer column whose name is no case id stays the customer only
    assert ColumnMapping.detect(["kund", "activity", "ts"]).journey is None


def test_no_customer_and_no_journey_suggests_an_id_column_not_the_activity() -> None:
    cols = ["Activity", "Resource", "Ticket nr", "When"]
    m = ColumnMapping.detect(cols, overrides={"time": "When"})
    assert m.touchpoint == "Activity" and m.customer is None and m.journey is None
    with pytest.raises(wb.ValidationError) as err:
        m.check(cols)
    assert "journey / case / session or customer (one is enough)" in err.value.message
    assert "--map journey=Ticket nr" in err.value.message


def test_one_column_for_customer_and_touchpoint_is_still_refused() -> None:
    m = ColumnMapping.of(customer="x", journey="x", touchpoint="x", time="t")
    with pytest.raises(wb.ValidationError) as err:
        m.check(["x", "t"])
    assert err.value.title == "Column mapped twice"
