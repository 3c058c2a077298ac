"""`python -m workbench journeys`: JSON and CSV that match the library, titled errors on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb

from .conftest import DATA, ROOT, SAMPLE


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="module")
def sample_json() -> dict:
    done = _cli("journeys", "--events", str(SAMPLE / "events.csv"))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_json_has_the_documented_keys(sample_json: dict) -> None:
    assert {"load", "edges", "starts", "ends", "variants", "touchpoints"} <= set(sample_json)
    edge = sample_json["edges"][0]
    assert set(edge) >= {
        "source",
        "target",
        "count",
        "customers",
        "median_seconds",
        "p90_seconds",
        "mean_seconds",
    }
    variant = sample_json["variants"][0]
    assert isinstance(variant["path"], list) and {"count", "share"} <= set(variant)
    load = sample_json["load"]
    assert load["rows_read"] == load["rows_loaded"] + load["rows_rejected"]


def test_json_matches_the_library(sample_json: dict, sample_model: wb.JourneyModel) -> None:
    edges = pd.DataFrame(sample_json["edges"])
    assert edges["count"].tolist() == sample_model.edges["transitions"].tolist()
    assert edges["p90_seconds"].tolist() == pytest.approx(
        sample_model.edges["p90_seconds"].tolist()
    )
    assert [v["path"] for v in sample_json["variants"][:5]] == [
        list(p) for p in sample_model.variants["path"].head(5)
    ]
    assert sum(v["count"] for v in sample_json["variants"]) == sample_model.n_journeys


def test_csv_tables_and_out_file(tmp_path: Path) -> None:
    out = tmp_path / "variants.csv"
    done = _cli(
        "journeys",
        "--events",
        str(DATA / "tiny_journeys.csv"),
        "--format",
        "csv",
        "--table",
        "variants",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    assert frame["path"].tolist()[:2] == ["Browse", "Browse > Buy"]
    edges = _cli("journeys", "--events", str(DATA / "tiny_journeys.csv"), "--format", "csv")
    assert edges.stdout.splitlines()[0].startswith("source,target,transitions")


def test_map_time_format_and_session_gap(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text(
        "kund,vad,tid_text\nK1,A,02.03.2026 10:00\nK1,B,02.03.2026 10:10\nK1,C,02.03.2026 12:00\n"
    )
    done = _cli(
        "journeys",
        "--events",
        str(p),
        "--map",
        "touchpoint=vad",
        "--map",
        "time=tid_text",
        "--time-format",
        "%d.%m.%Y %H:%M",
        "--session-gap",
        "1h",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["journeys"]["journeys"] == 2
    assert doc["load"]["mapping"]["customer"] == "kund"


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["--events", "nowhere.csv"], "File not found"),
        (["--events", str(DATA / "bad_inputs" / "ambiguous_dates.csv")], "Ambiguous dates"),
        (["--events", str(DATA / "tiny_journeys.csv"), "--map", "colour=x"], "Bad --map value"),
        (["--events", str(DATA / "tiny_journeys.csv"), "--session-gap", "soon"], "Bad session gap"),
    ],
)
def test_bad_input_exits_2_with_title_on_stderr(args: list[str], title: str) -> None:
    done = _cli("journeys", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"error: {title}\n")


def test_rejects_file(tmp_path: Path) -> None:
    out = tmp_path / "rejects.csv"
    done = _cli(
        "journeys",
        "--events",
        str(DATA / "bad_inputs" / "bad_timestamps.csv"),
        "--rejects",
        str(out),
    )
    assert done.returncode == 0
    rejects = pd.read_csv(out)
    assert rejects["line"].tolist() == [3, 5, 6]
    assert json.loads(done.stdout)["load"]["rows_rejected"] == 3


def test_friction_command_on_a_log_without_friction(tmp_path: Path) -> None:
    """Too few events for any point to pass the tests: an empty ranking with its columns, and
    the rejected row still reported, not a crash."""
    events = tmp_path / "tiny.csv"
    events.write_text("customer,touchpoint,ts\nA,Log in,2026-01-01 10:00\nB,,not a time\n")
    done = _cli("friction", "--events", str(events))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["friction"] == [] and doc["load"]["rows_rejected"] == 1
    table = _cli("friction", "--events", str(events), "--format", "csv")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines() == [table.stdout.splitlines()[0]]
    assert table.stdout.startswith("rank,kind,point,")


def test_friction_command(tmp_path: Path, sample_truth: dict) -> None:
    done = _cli(
        "friction",
        "--events",
        str(SAMPLE / "events.csv"),
        "--surveys",
        str(SAMPLE / "surveys.csv"),
        "--customers",
        str(SAMPLE / "customers.csv"),
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    items = doc["friction"]
    order = {"incident": 0, "segment": 0, "chronic": 1, "pattern": 2}
    keys = [(order[i["finding"]], -i["score"]) for i in items]
    assert keys == sorted(keys)  # what changed first, each kind by score
    first = items[0]
    for key in (
        "kind",
        "touchpoint",
        "source",
        "target",
        "segment",
        "score",
        "customers_affected",
        "rate",
        "base_rate",
        "lift",
        "ci_low",
        "ci_high",
        "active_from",
        "active_to",
        "explanation",
        "finding",
        "baseline",
    ):
        assert key in first
    assert first["finding"] in ("incident", "segment")  # what changed leads
    chronic = next(i for i in items if i["finding"] == "chronic")
    assert chronic["touchpoint"] == sample_truth["stories"]["long_queue"]["touchpoint"]
    crisis = next(i for i in items if i["kind"] == "transfer")
    assert crisis["active_from"] == sample_truth["stories"]["transfer_crisis"]["start"]
    out = tmp_path / "friction.csv"
    csv = _cli(
        "friction",
        "--events",
        str(SAMPLE / "events.csv"),
        "--format",
        "csv",
        "--goal",
        "Pay invoice",
        "--goal",
        "Fault resolved",
        "--weight",
        "channel_switch=1",
        "--out",
        str(out),
    )
    assert csv.returncode == 0, csv.stderr
    assert pd.read_csv(out)["rank"].tolist()[:3] == [1, 2, 3]


def test_causes_command() -> None:
    done = _cli(
        "causes",
        "--events",
        str(SAMPLE / "events.csv"),
        "--effect",
        "friction:unresolved:Support call",
        "--bone",
        "queue=Policy & information",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    people = next(b for b in doc["bones"] if b["name"] == "People")
    assert people["causes"][0]["value"] == "Tech Support B"
    assert {"attribute", "value", "effect_size", "ci_low", "ci_high", "support", "lift"} <= set(
        people["causes"][0]
    )
    assert doc["bone_of"]["queue"] == "Policy & information"


def test_causes_command_takes_a_period(sample_model: wb.JourneyModel) -> None:
    effect, period = "friction:transfer:Moving call", ("2026-05-04", "2026-06-28")
    done = _cli(
        "causes",
        "--events",
        str(SAMPLE / "events.csv"),
        "--effect",
        effect,
        "--period",
        "..".join(period),
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    library = wb.group_causes(sample_model, effect, period=period)
    whole = wb.group_causes(sample_model, effect)
    assert doc["params"]["period"] == list(period)
    assert doc["title"] == "Transfers (friction at Moving call), 2026-05-04 to 2026-06-28"
    assert (doc["population"], doc["affected"]) == (library.population, library.affected)
    assert doc["population"] < whole.population


@pytest.mark.parametrize("period", ["2026-13-01..x", "2026-05-04", "2026-06-28..2026-05-04"])
def test_causes_command_says_how_to_write_a_period(period: str) -> None:
    done = _cli(
        "causes",
        "--events",
        str(DATA / "tiny_journeys.csv"),
        "--effect",
        "has:Buy",
        "--period",
        period,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: Period not understood\n")
    assert "FROM..TO, e.g. 2026-05-04..2026-06-28" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["causes", "--effect", "low_csat"], "No CSAT"),
        (["causes", "--effect", "nonsense"], "Unknown effect"),
        (["friction", "--goal", "Nowhere"], "Unknown goal"),
        (["friction", "--weight", "luck=2"], "Unknown signal"),
        (["friction", "--engine", "spark"], "Not available on Spark"),
        (["satisfaction", "--outcome", "nps", "--engine", "spark"], "Not available on Spark"),
        (["kpis", "--master", "local[2]"], "No Spark engine"),
    ],
)
def test_analysis_errors_exit_2(args: list[str], title: str) -> None:
    done = _cli(args[0], "--events", str(DATA / "tiny_journeys.csv"), *args[1:])
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {title}\n")


def test_kpis_and_satisfaction_commands() -> None:
    done = _cli(
        "kpis",
        "--events",
        str(DATA / "kpi_events.csv"),
        "--surveys",
        str(DATA / "kpi_surveys.csv"),
        "--by",
        "team",
        "--min-n",
        "1",
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["kpis"]
    t1 = next(r for r in rows if r["group"] == "T1" and r["kpi"] == "resolution_rate")
    assert t1["value"] == pytest.approx(200 / 3) and t1["n"] == 3
    done = _cli(
        "satisfaction",
        "--events",
        str(SAMPLE / "events.csv"),
        "--surveys",
        str(SAMPLE / "surveys.csv"),
        "--outcome",
        "detractor",
        "--boots",
        "200",
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["outcome"] == "detractor" and doc["verdict"] in (
        "journey",
        "touchpoint",
        "undecided",
    )
    for level in ("journey_level", "touchpoint_level", "difference"):
        assert set(doc[level]) == {"strength", "ci_low", "ci_high"}
    bad = _cli(
        "satisfaction",
        "--events",
        str(DATA / "kpi_events.csv"),
        "--surveys",
        str(DATA / "kpi_surveys.csv"),
        "--outcome",
        "nps",
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: Too few customers")


def test_store_keeps_the_import_and_reopens_it(tmp_path: Path, sample_json: dict) -> None:
    store = tmp_path / "store"
    args = ["journeys", "--events", str(SAMPLE / "events.csv"), "--store", str(store)]
    first = _cli(*args)
    assert first.returncode == 0, first.stderr
    files = list(store.glob("*.duckdb"))
    assert len(files) == 1 and not list(store.glob("*.part"))
    stamp = files[0].stat().st_mtime_ns
    again = _cli(*args)
    assert again.returncode == 0, again.stderr
    assert files[0].stat().st_mtime_ns == stamp  # reopened, not imported again
    assert json.loads(again.stdout) == json.loads(first.stdout) == sample_json


@pytest.mark.parametrize("cap", ["1MB", "8MB"])  # runs out while reading, then in a query
def test_running_out_of_memory_exits_2_and_names_the_cap_to_raise(
    cap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_MEMORY_LIMIT", cap)
    done = _cli("journeys", "--events", str(SAMPLE / "events.csv"))
    assert done.returncode == 2
    title, message = done.stderr.splitlines()[-2:]
    assert title == "error: Out of memory"
    assert "WORKBENCH_MEMORY_LIMIT" in message and "Traceback" not in done.stderr


def test_progress_goes_to_stderr_and_leaves_the_output_alone(tmp_path: Path) -> None:
    """--progress says each stage of the import, the journeys and the ranking on stderr, each
    ending at 100 %; stdout is the same JSON as without it."""
    args = ["friction", "--events", str(SAMPLE / "events.csv"), "--surveys"]
    args += [str(SAMPLE / "surveys.csv"), "--store", str(tmp_path)]
    quiet = _cli(*args)
    told = _cli(*args, "--progress")
    assert quiet.returncode == told.returncode == 0, told.stderr
    assert quiet.stderr == "" and json.loads(told.stdout) == json.loads(quiet.stdout)
    lines = told.stderr.splitlines()
    # the first run kept the import and the journey model in the dataset
    assert lines[0] == "  0%  journeys: Reopening the journey model the dataset keeps"
    assert "100%  journeys: Done" in lines and lines[-1] == "100%  friction: Done"
    assert any(
        line.endswith("friction: Finding where each point is concentrated") for line in lines
    )
    fresh = _cli(*args[:-1], str(tmp_path / "new"), "--progress").stderr.splitlines()
    assert fresh[0] == "  0%  import: Reading the file"
    assert fresh.index("100%  import: Done") < fresh.index(
        "  0%  journeys: Ordering each journey's steps"
    )
    assert any(line.endswith("import: Writing the events") for line in fresh)


def test_an_xes_named_csv_gives_one_journey_per_case_without_a_mapping() -> None:
    """The first 30 tickets of tests/worlds/tickets.py (seed 3): XES column names, no customer."""
    source = DATA / "xes_tickets.csv"
    done = _cli("journeys", "--events", str(source))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    cases = pd.read_csv(source)["case:concept:name"].nunique()
    assert doc["journeys"]["journeys"] == cases == doc["journeys"]["customers"]
    assert doc["journeys"]["customers_are_cases"] is True
    assert doc["journeys"]["split_by"] == "journey column"
    assert doc["load"]["mapping"]["journey"] == "case:concept:name"
    assert doc["load"]["mapping"]["touchpoint"] == "concept:name"
    assert doc["load"]["mapping"]["time"] == "time:timestamp"


def test_a_log_without_customer_or_case_names_an_id_column_to_map(tmp_path: Path) -> None:
    source = tmp_path / "log.csv"
    source.write_text("Activity,Ticket nr,When\nOpen,T1,2026-01-01 10:00\n")
    done = _cli("journeys", "--events", str(source))
    assert done.returncode == 2
    assert "--map journey=Ticket nr" in done.stderr and "=Activity" not in done.stderr
