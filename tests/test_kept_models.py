"""A dataset keeps the journey models built on it (workbench.store.kept)."""

from __future__ import annotations

import gc
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench.store import kept as kept_models
from workbench.store.kept import forget_models
from workbench.store.kept import list_models as kept

from .conftest import SAMPLE

SOURCES = {"surveys": SAMPLE / "surveys.csv", "customers": SAMPLE / "customers.csv"}
FRAMES = ("edges", "starts", "ends", "variants", "touchpoints")


def _dataset(folder: Path) -> Path:
    path = folder / "sample.duckdb"
    wb.load_events(SAMPLE / "events.csv", **SOURCES, database=path).con.close()
    return path


def _same(a: wb.JourneyModel, b: wb.JourneyModel) -> None:
    assert a.summary() == b.summary()
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    pd.testing.assert_frame_equal(a.journeys(), b.journeys())
    pd.testing.assert_frame_equal(a.steps(), b.steps())


def test_a_reopened_dataset_reads_its_kept_model_not_its_events(tmp_path: Path) -> None:
    memory = wb.build_journeys(wb.load_events(SAMPLE / "events.csv", **SOURCES))
    path = _dataset(tmp_path)
    log = wb.open_dataset(path)
    first = wb.build_journeys(log)
    _same(memory, first)
    record = kept(log).iloc[0]
    assert (record["split_by"], record["journeys"]) == ("journey column", memory.n_journeys)
    assert record["events"] == memory.n_events and record["build_seconds"] > 0
    del first
    log.con.close()
    log = wb.open_dataset(path)
    seen: list[tuple[float, str]] = []
    reopened = wb.build_journeys(log, progress=lambda done, what: seen.append((done, what)))
    assert seen == [(0.0, "Reopening the journey model the dataset keeps"), (1.0, "Done")]
    _same(memory, reopened)
    pd.testing.assert_frame_equal(
        wb.rank_friction(memory).table, wb.rank_friction(reopened).table, check_exact=True
    )
    # with its events gone, only the kept tables can give the model back
    log.con.execute("delete from events")
    _same(memory, wb.build_journeys(log))
    assert wb.build_journeys(log, keep=False).n_events == 0


def test_each_split_has_its_own_kept_model(tmp_path: Path) -> None:
    log = wb.open_dataset(_dataset(tmp_path))
    by_column = wb.build_journeys(log)
    by_gap = wb.build_journeys(log, "2h")
    assert by_gap.n_journeys != by_column.n_journeys
    assert list(kept(log)["session_gap"].fillna("-")) == ["2h", "-"]
    # "120min" is the same split as "2h": it reopens, keeping nothing more
    assert wb.build_journeys(log, "120min").n_journeys == by_gap.n_journeys
    assert len(kept(log)) == 2
    listed = wb.datasets.list_datasets(tmp_path)
    assert listed[["events", "models"]].to_dict("records") == [
        {"events": by_column.n_events, "models": 2}
    ]


def test_a_read_only_dataset_reuses_a_kept_model_and_keeps_none(tmp_path: Path) -> None:
    path = _dataset(tmp_path)
    log = wb.open_dataset(path)
    built = wb.build_journeys(log)
    summary = built.summary()
    del built
    log.con.close()
    ro = wb.open_dataset(path, read_only=True)
    assert wb.build_journeys(ro).summary() == summary
    assert wb.build_journeys(ro, "1h").n_journeys > 0
    assert len(kept(ro)) == 1
    assert forget_models(ro) == 0


def test_keeping_another_model_drops_the_oldest_one_not_in_use(tmp_path: Path) -> None:
    log = wb.open_dataset(_dataset(tmp_path))
    held = wb.build_journeys(log, "1h")
    for gap in ("2h", "3h", "4h"):
        wb.build_journeys(log, gap)
        gc.collect()
    # two kept (the limit) plus the one still read by a model in this process
    assert kept_models.KEEP == 2
    assert list(kept(log)["session_gap"]) == ["4h", "3h", "1h"]
    assert len(held.journeys()) == held.n_journeys  # its tables are still there
    del held
    gc.collect()
    wb.build_journeys(log, "5h")
    gc.collect()
    assert list(kept(log)["session_gap"]) == ["5h", "4h"]
    tables = log.cursor().execute(
        "select count(*) from duckdb_tables() where schema_name = ?", [kept_models.SCHEMA]
    )
    assert tables.fetchone() == (2 * len(kept_models.TABLES) + 2,)  # and the two registries


def test_a_build_stopped_half_way_keeps_nothing(tmp_path: Path) -> None:
    log = wb.open_dataset(_dataset(tmp_path))

    def stop(done: float, what: str) -> None:
        if what.startswith("Ranking"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        wb.build_journeys(log, progress=stop)
    assert kept(log).empty
    assert wb.build_journeys(log).n_journeys > 0
    assert len(kept(log)) == 1


def test_forgetting_drops_the_kept_models_and_a_log_in_memory_keeps_none(tmp_path: Path) -> None:
    log = wb.open_dataset(_dataset(tmp_path))
    wb.build_journeys(log)
    wb.build_journeys(log, "1h")
    gc.collect()
    assert forget_models(log) == 2
    assert kept(log).empty
    memory = wb.load_events(SAMPLE / "events.csv")
    wb.build_journeys(memory)
    assert kept(memory).empty and forget_models(memory) == 0


def _built(model: wb.JourneyModel, table: str) -> bool:
    """Whether ``table`` was computed in this session (a temp table on the model's cursor)."""
    with model.using() as cur:
        found = cur.execute(
            "select count(*) from duckdb_tables() where temporary and table_name = ?", [table]
        ).fetchone()
    return bool(found and found[0])


def _visits_built(model: wb.JourneyModel) -> bool:
    return _built(model, "visits")


def _ranked(model: wb.JourneyModel, **kw: object) -> pd.DataFrame:
    table = wb.rank_friction(model, **kw).table  # type: ignore[arg-type]
    return table.assign(signals=table["signals"].astype(str)).astype({"concentration": str})


def test_the_next_session_reads_the_friction_counts_a_dataset_keeps(tmp_path: Path) -> None:
    memory = wb.build_journeys(wb.load_events(SAMPLE / "events.csv", **SOURCES))
    path = _dataset(tmp_path)
    log = wb.open_dataset(path)
    first = wb.build_journeys(log)
    pd.testing.assert_frame_equal(_ranked(first), _ranked(memory))
    assert _visits_built(first)
    del first
    log.con.close()

    log = wb.open_dataset(path)
    later = wb.build_journeys(log)
    pd.testing.assert_frame_equal(_ranked(later), _ranked(memory))
    assert not _visits_built(later)  # counts and concentrations were read back, not counted
    # and so were the outcomes: what the ranking says about goals and surveys is the same
    assert not _built(later, "journey_outcomes") and not _built(later, "survey_links")
    said = wb.rank_friction(later).outcomes.describe()
    assert said == wb.rank_friction(memory).outcomes.describe() and "Survey responses" in said[1]
    # other weights bring other points to the top: only their concentrations are counted
    weights = {"long_wait": 0.0, "abandoned": 0.0, "transfer": 0.0, "unresolved": 0.0}
    pd.testing.assert_frame_equal(_ranked(later, weights=weights), _ranked(memory, weights=weights))
    assert _visits_built(later)
    # another repeat window is another set of visits, counted afresh
    pd.testing.assert_frame_equal(
        _ranked(later, repeat_window="1d"), _ranked(memory, repeat_window="1d")
    )
    del later
    log.con.close()

    log = wb.open_dataset(path, read_only=True)
    again = wb.build_journeys(log)
    for kw in ({}, {"weights": weights}, {"repeat_window": "1d"}, {"segment": "device"}):
        pd.testing.assert_frame_equal(_ranked(again, **kw), _ranked(memory, **kw))
    assert wb.rank_friction(again, segment="device").table["segment"].nunique() > 1


def test_the_next_session_reads_the_kpi_counts_a_dataset_keeps(tmp_path: Path) -> None:
    memory = wb.build_journeys(wb.load_events(SAMPLE / "events.csv", **SOURCES))
    path = _dataset(tmp_path)
    log = wb.open_dataset(path)
    for by in (None, "month", "channel"):
        pd.testing.assert_frame_equal(
            wb.kpis(wb.build_journeys(log), by=by).table, wb.kpis(memory, by=by).table
        )
    log.con.close()
    log = wb.open_dataset(path)
    later = wb.build_journeys(log)
    for by in (None, "month", "channel"):
        pd.testing.assert_frame_equal(wb.kpis(later, by=by).table, wb.kpis(memory, by=by).table)
    assert not _visits_built(later)
    pd.testing.assert_frame_equal(wb.kpis(later, by="week").table, wb.kpis(memory, by="week").table)
    assert _visits_built(later)


def test_the_next_session_reads_the_cause_counts_a_dataset_keeps(tmp_path: Path) -> None:
    memory = wb.build_journeys(wb.load_events(SAMPLE / "events.csv", **SOURCES))
    effects = [
        "friction:unresolved:Support call",
        "low_csat",
        "friction:loop:IVR menu → Support call",
    ]
    path = _dataset(tmp_path)
    log = wb.open_dataset(path)
    first = wb.build_journeys(log)
    for effect in effects:
        assert wb.group_causes(first, effect).to_json() == wb.group_causes(memory, effect).to_json()
    del first
    log.con.close()
    log = wb.open_dataset(path)
    later = wb.build_journeys(log)
    for effect in effects:
        assert wb.group_causes(later, effect).to_json() == wb.group_causes(memory, effect).to_json()
    assert not _visits_built(later)
    moved = {"device": "Customer"}
    assert (
        wb.group_causes(later, effects[0], bones=moved).to_json()
        == wb.group_causes(memory, effects[0], bones=moved).to_json()
    )
    assert not _visits_built(later)  # moving a bone relabels the kept counts


def test_the_next_session_reads_the_customer_measures_a_dataset_keeps(tmp_path: Path) -> None:
    memory = wb.build_journeys(wb.load_events(SAMPLE / "events.csv", **SOURCES))
    path = _dataset(tmp_path)
    log = wb.open_dataset(path)
    first = wb.build_journeys(log)
    expected = wb.compare_levels(memory, "nps").to_json()
    assert wb.compare_levels(first, "nps").to_json() == expected
    wb.kpis(first, by="team")  # kept: the next session's team view finds these, not its own
    del first
    log.con.close()
    log = wb.open_dataset(path)
    later = wb.build_journeys(log)
    assert wb.compare_levels(later, "nps").to_json() == expected
    pd.testing.assert_frame_equal(wb.loyalty_value(later).groups, wb.loyalty_value(memory).groups)
    assert not _visits_built(later)
    # the KPIs by team are kept, so the team view must not count on the tables they once built
    pd.testing.assert_frame_equal(wb.team_view(later, "team"), wb.team_view(memory, "team"))
    pd.testing.assert_frame_equal(wb.journey_drivers(later), wb.journey_drivers(memory))
    del later
    log.con.close()
    log = wb.open_dataset(path)
    again = wb.build_journeys(log)
    pd.testing.assert_frame_equal(wb.team_view(again, "team"), wb.team_view(memory, "team"))
    pd.testing.assert_frame_equal(wb.journey_drivers(again), wb.journey_drivers(memory))
    assert not _visits_built(again)


def test_a_model_kept_by_another_session_meanwhile_leaves_this_build_in_memory(
    tmp_path: Path,
) -> None:
    log = wb.open_dataset(_dataset(tmp_path))
    wb.build_journeys(log, "1h")  # the dataset keeps a model already
    other = log.cursor()
    key = kept_models.model_key("journey column", None)

    told: list[str] = []

    def meanwhile(done: float, what: str) -> None:
        told.append(what)
        if told.count(what) == 1 and what.startswith("Ranking"):  # another session was quicker
            other.execute(
                "insert into workbench_models.models values "
                "(?, 'journey column', null, 0, 0, 0, 0, now())",
                [key],
            )

    model = wb.build_journeys(log, progress=meanwhile)
    memory = wb.build_journeys(wb.load_events(SAMPLE / "events.csv", **SOURCES))
    assert model.kept_key is None and model.summary() == memory.summary()
    assert len(model.steps()) == memory.n_events
    assert told.count("Ordering each journey's steps") == 2  # built again, in memory


def test_a_model_of_other_journey_queries_is_replaced_not_kept_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = wb.open_dataset(_dataset(tmp_path))
    wb.build_journeys(log, "2h")
    wb.build_journeys(log)
    gc.collect()
    before = set(kept(log)["session_gap"].fillna("-"))
    # a later workbench whose journey queries differ has other keys for the same splits
    monkeypatch.setattr(kept_models, "_FORMAT", "another version")
    rebuilt = wb.build_journeys(log)
    assert rebuilt.kept_key is not None
    gc.collect()
    listed = kept(log)
    assert before == {"2h", "-"} and len(listed) == 2
    assert list(listed["session_gap"].fillna("-")) == ["-", "2h"]
    keys = log.cursor().execute("select key from workbench_models.models").fetchall()
    assert (rebuilt.kept_key,) in keys
