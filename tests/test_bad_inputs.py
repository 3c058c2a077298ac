"""The bad-input corpus: one file per failure, each with its message and its row accounting.

Every file either loads (and then ``rows_read == rows_loaded + rows_rejected`` with each rejected
row's line and reason) or raises a titled error whose message says what to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench as wb
from workbench.core import db

BAD = Path(__file__).parent / "data" / "bad_inputs"

# file -> (rows read, loaded, [(line, column, reason fragment), ...])
LOADS = {
    "semicolon_delimiter.csv": (3, 3, []),
    "unterminated_quote.csv": (4, 4, []),
    "missing_field.csv": (4, 3, [(3, None, "fewer fields")]),
    "extra_fields.csv": (4, 3, [(3, None, "more fields")]),
    "latin1_swedish.csv": (4, 4, []),
    "windows1252_swedish.csv": (3, 3, []),
    "epoch_seconds.csv": (3, 3, []),
    "duplicate_events.csv": (5, 5, []),
    "out_of_order.csv": (5, 5, []),
    "mixed_date_formats.csv": (5, 4, [(5, "timestamp", "time not understood")]),
    "utf8_bom.csv": (2, 2, []),
    "us_dates_ampm.csv": (4, 4, []),
    "epoch_milliseconds.csv": (3, 3, []),
    "empty_ids.csv": (
        5,
        2,
        [
            (3, "customer_id", "customer id is empty"),
            (5, "customer_id", "customer id is empty"),
            (6, "touchpoint", "touchpoint is empty"),
        ],
    ),
    "bad_timestamps.csv": (
        5,
        2,
        [
            (3, "timestamp", "time not understood"),
            (5, "timestamp", "time not understood"),
            (6, "timestamp", "time is empty"),
        ],
    ),
    "broken_record.ndjson": (4, 3, [(2, None, "not a valid JSON record")]),
    "multiline_quoted.csv": (4, 3, [(7, "timestamp", "time not understood")]),
}

# file -> (error class, title, fragment the message must contain)
FAILS = {
    "empty.csv": (wb.LoadError, "Empty file", "0 bytes"),
    "header_only.csv": (wb.LoadError, "No rows", "no rows of data"),
    "ambiguous_dates.csv": (wb.ValidationError, "Ambiguous dates", "dayfirst=True"),
    "mixed_timezones.csv": (wb.ValidationError, "Mixed time zones", "offset"),
    "no_time_column.csv": (wb.ValidationError, "Columns not mapped", "time"),
    "not_json.json": (wb.LoadError, "Not a readable JSON file", "not_json.json"),
}


def test_every_corpus_file_has_an_expectation() -> None:
    files = {p.name for p in BAD.iterdir()}
    assert files == set(LOADS) | set(FAILS) | {"injection_names.csv"}


@pytest.mark.parametrize("name", sorted(LOADS))
def test_loads_and_accounts_for_every_row(name: str) -> None:
    read, loaded, rejects = LOADS[name]
    report = wb.load_events(BAD / name).report
    assert (report.rows_read, report.rows_loaded) == (read, loaded)
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    got = report.rejected
    assert len(got) == len(rejects)
    for (line, column, fragment), row in zip(rejects, got.itertuples(index=False), strict=True):
        assert row.line == line
        assert (row.column if isinstance(row.column, str) else None) == column
        assert fragment in row.reason


@pytest.mark.parametrize("name", sorted(FAILS))
def test_fails_with_a_titled_message(name: str) -> None:
    cls, title, fragment = FAILS[name]
    with pytest.raises(cls) as err:
        wb.load_events(BAD / name)
    assert err.value.title == title
    assert fragment in err.value.message


def test_ambiguous_dates_load_once_the_order_is_given() -> None:
    day_first = wb.load_events(BAD / "ambiguous_dates.csv", dayfirst=True)
    month_first = wb.load_events(BAD / "ambiguous_dates.csv", dayfirst=False)
    assert str(day_first.frame()["ts"].iloc[0]) == "2026-04-03 10:00:00"
    assert str(month_first.frame()["ts"].iloc[0]) == "2026-03-04 10:00:00"
    assert day_first.report.time_format.label == "day/month/year"


def test_latin1_file_is_read_and_said_so() -> None:
    log = wb.load_events(BAD / "latin1_swedish.csv")
    assert "Windows-1252" in " ".join(log.report.notes)
    assert log.mapping.touchpoint == "händelse"
    assert "Ångra köp" in log.touchpoints()


def test_bom_does_not_leak_into_the_first_column_name() -> None:
    assert wb.load_events(BAD / "utf8_bom.csv").mapping.customer == "customer_id"


def test_hostile_column_names_are_quoted_not_executed() -> None:
    mapping = {
        "customer": 'customer"; drop table events; --',
        "touchpoint": "touch;point",
        "time": "time'stamp",
    }
    log = wb.load_events(BAD / "injection_names.csv", mapping)
    assert log.report.rows_loaded == 2
    assert log.attributes == {'team "A"': "VARCHAR"}
    assert log.frame()['team "A"'].tolist() == ["x", "y"]
    assert len(wb.build_journeys(log).edges) == 1


def test_strict_mode_raises_on_rejected_rows() -> None:
    with pytest.raises(wb.ValidationError) as err:
        wb.load_events(BAD / "empty_ids.csv", strict=True)
    assert err.value.title == "Rows rejected"
    assert "line 3" in err.value.message


def test_windows_1252_reads_euro_signs_curly_quotes_and_dashes() -> None:
    log = wb.load_events(BAD / "windows1252_swedish.csv")
    assert log.mapping.customer == "kund" and log.report.dialect.encoding == "windows-1252"
    assert set(log.touchpoints()) == {"Återköp – rabatt 5 €", "“Ångra köp”", "Öppna faktura"}
    assert not list(BAD.glob(".utf8-*"))  # the UTF-8 copy it was read through is gone
    forced = wb.load_events(BAD / "windows1252_swedish.csv", encoding="latin-1")
    assert forced.touchpoints() == log.touchpoints()


def test_epoch_seconds_and_milliseconds_give_the_same_times() -> None:
    s = wb.load_events(BAD / "epoch_seconds.csv")
    ms = wb.load_events(BAD / "epoch_milliseconds.csv")
    assert "seconds" in s.report.time_format.describe()
    assert "milliseconds" in ms.report.time_format.describe()
    assert s.frame()["ts"].tolist() == ms.frame()["ts"].tolist()
    assert str(s.frame()["ts"].iloc[0]) == "2026-03-02 10:00:00"


def test_duplicates_are_kept_and_reported() -> None:
    log = wb.load_events(BAD / "duplicate_events.csv")
    problems = wb.validate(log).table.set_index("check")
    assert problems.loc["Duplicate events", "rows"] == 2
    assert "first at row 2" in problems.loc["Duplicate events", "message"]


def test_events_out_of_order_are_ordered_by_time() -> None:
    model = wb.build_journeys(wb.load_events(BAD / "out_of_order.csv"))
    paths = {tuple(p) for p in model.variants["path"]}
    assert paths == {("Log in", "View invoice", "Pay bill"), ("Browse", "Chat")}


def test_a_wrong_delimiter_is_named_with_the_right_one() -> None:
    with pytest.raises(wb.ValidationError) as err:
        wb.load_events(BAD / "semicolon_delimiter.csv", delimiter=",")
    assert err.value.title == "Wrong delimiter"
    assert "';'" in err.value.message


def test_one_customer_with_a_million_events(tmp_path: Path) -> None:
    n = 1_000_000
    path = tmp_path / "one_customer.csv"
    con = db.connect()
    con.execute(
        f"copy (select 'C1' as customer_id, ['Log in', 'View invoice', 'Chat'][i % 3 + 1] "
        "as touchpoint, timestamp '2026-01-01' + to_seconds(i * 60) as timestamp "
        f"from range({n}) t(i)) to '{path}' (header)"
    )
    log = wb.load_events(path)
    assert (log.report.rows_read, log.report.rows_loaded) == (n, n)
    model = wb.build_journeys(log, "30min")  # one event a minute: a single journey
    assert (model.n_customers, model.n_journeys, model.n_transitions) == (1, 1, n - 1)
    problems = wb.validate(log).table
    assert "Heavy customers" in set(problems["check"])
