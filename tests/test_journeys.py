"""Journeys rebuilt in DuckDB, checked against counts worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import workbench as wb
from workbench.core.durations import parse_duration
from workbench.journeys import build as journeys
from workbench.journeys.model import Split


def _edge(model: wb.JourneyModel, source: str, target: str) -> dict:
    e = model.edges
    rows = e[(e["source"] == source) & (e["target"] == target)]
    assert len(rows) == 1, f"{source} -> {target} not found exactly once"
    return rows.iloc[0].to_dict()


def test_tiny_log_uses_case_column(tiny_log: wb.EventLog, tiny_model: wb.JourneyModel) -> None:
    assert tiny_log.mapping.journey == "case"
    assert tiny_model.split_by == "journey column"
    assert (tiny_model.n_events, tiny_model.n_journeys, tiny_model.n_customers) == (10, 4, 3)
    assert tiny_model.n_transitions == 6


@pytest.mark.parametrize(
    ("source", "target", "transitions", "customers", "median", "p90", "mean"),
    [
        ("Browse", "Call", 1, 1, 600.0, 600.0, 600.0),
        ("Call", "Browse", 2, 2, 630.0, 1086.0, 630.0),  # 1200 s (A) and 60 s (C)
        ("Browse", "Buy", 2, 2, 750.0, 1110.0, 750.0),  # 300 s (A) and 1200 s (B)
        ("Call", "Call", 1, 1, 300.0, 300.0, 300.0),
    ],
)
def test_tiny_graph_edge_by_edge(
    tiny_model: wb.JourneyModel,
    source: str,
    target: str,
    transitions: int,
    customers: int,
    median: float,
    p90: float,
    mean: float,
) -> None:
    edge = _edge(tiny_model, source, target)
    assert edge["transitions"] == transitions
    assert edge["customers"] == customers
    assert edge["median_seconds"] == pytest.approx(median)
    assert edge["p90_seconds"] == pytest.approx(p90)
    assert edge["mean_seconds"] == pytest.approx(mean)


def test_tiny_graph_has_no_other_edges(tiny_model: wb.JourneyModel) -> None:
    assert len(tiny_model.edges) == 4
    assert tiny_model.edges["transitions"].sum() == tiny_model.n_transitions


def test_starts_and_ends(tiny_model: wb.JourneyModel) -> None:
    starts = dict(zip(tiny_model.starts["touchpoint"], tiny_model.starts["journeys"], strict=True))
    ends = dict(zip(tiny_model.ends["touchpoint"], tiny_model.ends["journeys"], strict=True))
    assert starts == {"Browse": 3, "Call": 1}
    assert ends == {"Buy": 2, "Browse": 2}
    assert tiny_model.starts["share"].sum() == pytest.approx(1.0)


def test_variants_ranked_with_coverage(tiny_model: wb.JourneyModel) -> None:
    v = tiny_model.variants
    assert v["path"].tolist() == [
        ["Browse"],
        ["Browse", "Buy"],
        ["Browse", "Call", "Browse", "Buy"],
        ["Call", "Call", "Browse"],
    ]
    assert v["journeys"].tolist() == [1, 1, 1, 1]
    assert v["share"].tolist() == pytest.approx([0.25] * 4)
    assert v["cumulative_share"].tolist() == pytest.approx([0.25, 0.5, 0.75, 1.0])


def test_per_journey_rows(tiny_model: wb.JourneyModel) -> None:
    j = tiny_model.journeys().set_index("journey")
    assert j.loc["1", "length"] == 4
    assert j.loc["1", "loops"] == 1  # Browse again
    assert j.loc["1", "channel_switches"] == 2  # web -> phone -> web
    assert j.loc["1", "channels"] == 2
    assert j.loc["1", "duration_seconds"] == 35 * 60
    assert (j.loc["1", "first_touchpoint"], j.loc["1", "last_touchpoint"]) == ("Browse", "Buy")
    assert j.loc["3", "loops"] == 1 and j.loc["3", "channel_switches"] == 1
    assert j.loc["2", "loops"] == 0 and j.loc["2", "channel_switches"] == 0
    assert j.loc["4", "length"] == 1 and j.loc["4", "duration_seconds"] == 0
    assert j.loc["1", "variant"] == 3


def test_steps_follow_time_not_file_order(tiny_model: wb.JourneyModel) -> None:
    steps = tiny_model.steps()
    a = steps[steps["journey"] == "1"]
    assert a["touchpoint"].astype(str).tolist() == ["Browse", "Call", "Browse", "Buy"]
    assert a["dwell_seconds"].tolist()[:3] == [600.0, 1200.0, 300.0]
    assert pd.isna(a["dwell_seconds"].tolist()[3])


def test_session_gap_cuts_at_inactivity(tiny_log: wb.EventLog) -> None:
    m30 = wb.build_journeys(tiny_log, session_gap="30min")
    assert m30.split_by == "session gap" and m30.session_gap == "30min"
    assert m30.n_journeys == 4  # the same cut as the case column here
    m15 = wb.build_journeys(tiny_log, session_gap="15min")
    paths = sorted(
        tuple(p) for p in m15.variants.explode("path").groupby("variant")["path"].apply(tuple)
    )
    # A: 10:00, 10:10 | 10:30, 10:35 ; B: 11:00 | 11:20 ; C: 09:00-09:06 | next day
    assert m15.n_journeys == 6
    assert ("Browse", "Call") in paths and ("Browse", "Buy") in paths and ("Buy",) in paths


def test_ties_keep_source_row_order(tmp_path) -> None:
    csv = tmp_path / "ties.csv"
    csv.write_text(
        "customer,touchpoint,ts\nA,First,2026-01-01 10:00\nA,Second,2026-01-01 10:00\n"
        "A,Third,2026-01-01 10:00\n"
    )
    model = wb.build_journeys(wb.load_events(csv))
    assert model.variants["path"].tolist() == [["First", "Second", "Third"]]


def test_sample_model_invariants(sample_model: wb.JourneyModel) -> None:
    m = sample_model
    assert m.n_transitions == m.n_events - m.n_journeys
    assert m.edges["transitions"].sum() == m.n_transitions
    assert m.variants["journeys"].sum() == m.n_journeys
    assert m.starts["journeys"].sum() == m.n_journeys == m.ends["journeys"].sum()
    assert m.variants["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert (m.edges["p90_seconds"] >= m.edges["median_seconds"]).all()
    journeys = m.journeys()
    assert len(journeys) == m.n_journeys
    assert journeys["length"].sum() == m.n_events


def test_paths_read_back_by_code_are_the_ordered_touchpoints(sample_model: wb.JourneyModel) -> None:
    """``journeys.path`` sorts step/code numbers and reads touchpoints back by their code; it is
    exactly each journey's touchpoints in step order, with loops and the ENUM type kept."""
    cur = sample_model.cursor
    differ = cur.execute(
        "select count(*) from journeys j join (select journey_key, list(touchpoint order by step) "
        "as p from steps group by journey_key) s using (journey_key) where j.path is distinct "
        "from s.p"
    ).fetchone()
    looped = cur.execute("select count(*) from journeys where loops > 0").fetchone()
    kind = cur.execute("select typeof(path[1]) = typeof(touchpoint) from journeys, steps limit 1")
    assert differ == (0,) and looped is not None and looped[0] > 100
    assert kind.fetchone() == (True,)


@pytest.mark.parametrize("session_gap", [None, "30min"])
def test_bit_set_and_hashed_distinct_counts_agree(
    sample_log: wb.EventLog, session_gap: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Journeys and customers per touchpoint and per move: the bit sets (keys few enough) and the
    hashed distinct counts (too many keys for the memory) give the same tables."""
    dense = wb.build_journeys(sample_log, session_gap=session_gap)
    cur = dense.cursor
    sizes = journeys._bitset_sizes(cur)
    assert journeys._bitsets_fit(sizes, 35, "customer_span")
    assert journeys._bitsets_fit(sizes, 35, "journey_span") is (session_gap is None)
    monkeypatch.setattr(journeys, "BITSET_BUDGET", 0)
    hashed = wb.build_journeys(sample_log, session_gap=session_gap)
    assert not journeys._bitsets_fit(journeys._bitset_sizes(hashed.cursor), 1, "customer_span")
    pd.testing.assert_frame_equal(dense.touchpoints, hashed.touchpoints)
    pd.testing.assert_frame_equal(dense.edges, hashed.edges)
    assert (dense.touchpoints["customers"] <= dense.touchpoints["journeys"]).all()
    assert dense.edges["customers"].sum() > dense.touchpoints["customers"].max()


def test_two_models_on_one_log_do_not_interfere(sample_log: wb.EventLog) -> None:
    by_case = wb.build_journeys(sample_log)
    by_gap = wb.build_journeys(sample_log, session_gap="30min")
    assert by_case.n_journeys != by_gap.n_journeys
    assert len(by_case.journeys()) == by_case.n_journeys
    assert len(by_gap.journeys()) == by_gap.n_journeys


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30min", 1800), ("2h", 7200), ("1 day", 86400), ("90s", 90), ("45", 45), (600, 600)],
)
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text, "session gap") == seconds


@pytest.mark.parametrize("bad", ["soon", "-5min", "0", "10 parsecs"])
def test_parse_duration_rejects_nonsense(bad: str) -> None:
    with pytest.raises(wb.ValidationError) as err:
        parse_duration(bad, "session gap")
    assert err.value.title == "Bad session gap"


def test_building_reports_its_stages(sample_log: wb.EventLog) -> None:
    seen: list[tuple[float, str]] = []
    model = wb.build_journeys(sample_log, progress=lambda done, what: seen.append((done, what)))
    # a build from the events: every stage but reopening a kept model
    assert [what for _, what in seen] == [label for label, _ in journeys.MODEL_STAGES[1:]] + [
        "Done"
    ]
    fractions = [done for done, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions) and len(set(fractions)) == len(fractions)
    assert model.n_journeys > 0


def test_the_bounds_benchmark_names_every_stage_of_a_build() -> None:
    """bench/bounds.py times each stage from these reports and adds up the steps table and the
    ordered paths; a renamed stage would drop out of that sum unnoticed."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "bounds.py"
    spec = importlib.util.spec_from_file_location("bench_bounds", path)
    assert spec is not None and spec.loader is not None
    bounds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bounds)
    assert list(bounds.STAGES) == [label for label, _ in journeys.MODEL_STAGES[1:]]
    assert set(bounds.REQUIRED) <= set(bounds.STAGES.values())


def test_more_than_64_touchpoints_are_counted_from_the_path(tmp_path) -> None:
    """Beyond 64 touchpoints a mask of their codes cannot hold them: the distinct touchpoints
    and loops come from the path instead."""
    rows = [f"A,T{i},2026-01-01 10:{i // 60:02d}:{i % 60:02d}" for i in range(70)]
    csv = tmp_path / "wide.csv"
    csv.write_text("customer,touchpoint,ts\n" + "\n".join([*rows, "A,T3,2026-01-01 11:30"]) + "\n")
    journey = wb.build_journeys(wb.load_events(csv), session_gap="1d").journeys().iloc[0]
    assert (journey["length"], journey["distinct_touchpoints"], journey["loops"]) == (71, 70, 1)


def test_a_case_only_log_has_one_journey_per_case() -> None:
    from .test_load import XES_TICKETS

    cases = pd.read_csv(XES_TICKETS)
    gaps = pd.to_datetime(cases["time:timestamp"]).groupby(cases["case:concept:name"]).diff()
    assert (gaps > pd.Timedelta("30min")).any()  # a session gap would cut these cases
    model = wb.build_journeys(wb.load_events(XES_TICKETS))
    n_cases = cases["case:concept:name"].nunique()
    assert model.split_by == "journey column" and model.session_gap is None
    assert model.n_journeys == model.n_customers == n_cases
    assert model.customers_are_cases and model.summary()["customers_are_cases"]
    assert model.customer_noun == "cases"
    assert sorted(model.journeys()["journey"]) == sorted(cases["case:concept:name"].unique())


def test_one_column_as_customer_and_journey_means_exactly_that() -> None:
    from .test_load import XES_TICKETS

    case = "case:concept:name"
    alone = wb.build_journeys(wb.load_events(XES_TICKETS))
    both = wb.build_journeys(
        wb.load_events(XES_TICKETS, mapping={"customer": case, "journey": case})
    )
    as_customer = wb.build_journeys(wb.load_events(XES_TICKETS, mapping={"customer": case}))
    for model in (both, as_customer):
        assert model.split_by == "journey column" and model.customers_are_cases
        pd.testing.assert_frame_equal(model.variants, alone.variants)
    # cutting the cases by a gap is still there when asked for
    cut = wb.build_journeys(
        wb.load_events(XES_TICKETS, mapping={"customer": case, "journey": None})
    )
    assert cut.split_by == "session gap" and cut.n_journeys > alone.n_journeys
    assert not cut.customers_are_cases and cut.customer_noun == "customers"


def test_the_default_never_cuts_a_journey_column_by_a_gap() -> None:
    assert Split.choose(None, has_journey_column=True) == Split(by_column=True)
    assert Split.choose("2h", has_journey_column=True).gap == "2h"  # only when asked
    assert Split.choose(None, has_journey_column=False).gap == "30min"
