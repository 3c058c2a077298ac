"""Properties of loading and journey building that hold for any log (hypothesis).

- every loaded event is in exactly one journey, and every input row is loaded or rejected;
- transitions = events - journeys, and the journey graph's edges count them all;
- variant counts sum to the journeys, variant shares to 1;
- with distinct times per customer, nothing depends on the order of the input rows; with tied
  times the counts still do not (ties keep the file's order, the only evidence there is).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench as wb

TOUCHPOINTS = ["Browse", "Cart", "Pay", "Call", "Chat"]
CHANNELS = ["web", "app", "phone"]
BASE = pd.Timestamp("2026-03-01 08:00:00")


@st.composite
def logs(draw: Any, distinct_times: bool) -> pd.DataFrame:
    n = draw(st.integers(1, 60))
    customers = draw(st.lists(st.sampled_from("ABCDEF"), min_size=n, max_size=n))
    touchpoints = draw(st.lists(st.sampled_from(TOUCHPOINTS), min_size=n, max_size=n))
    channels = draw(st.lists(st.sampled_from(CHANNELS), min_size=n, max_size=n))
    if distinct_times:
        minutes = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True))
    else:
        minutes = draw(st.lists(st.integers(0, 200), min_size=n, max_size=n))
    blanks = draw(st.lists(st.booleans(), min_size=n, max_size=n)) if not distinct_times else []
    frame = pd.DataFrame(
        {
            "customer_id": customers,
            "touchpoint": touchpoints,
            "channel": channels,
            "timestamp": [BASE + pd.Timedelta(minutes=m) for m in minutes],
        }
    )
    if blanks:  # some rows without a customer: rejected, never lost
        frame.loc[[i for i, b in enumerate(blanks) if b and i % 3 == 0], "customer_id"] = None
    return frame


def _model(frame: pd.DataFrame, gap: str) -> tuple[wb.EventLog, wb.JourneyModel]:
    log = wb.load_events(frame, {"journey": None})
    return log, wb.build_journeys(log, gap)


def _invariants(frame: pd.DataFrame, log: wb.EventLog, model: wb.JourneyModel) -> None:
    r = log.report
    assert r.rows_read == len(frame) == r.rows_loaded + r.rows_rejected
    assert r.rows_rejected == int(frame["customer_id"].isna().sum())
    journeys = model.journeys()
    steps = model.steps()
    assert model.n_events == r.rows_loaded == len(steps) == int(journeys["length"].sum())
    assert steps["row_no"].is_unique  # each event in exactly one journey
    assert set(steps["journey"]) == set(journeys["journey"])
    assert model.n_transitions == model.n_events - model.n_journeys
    assert int(model.edges["transitions"].sum()) == model.n_transitions
    assert int(model.variants["journeys"].sum()) == model.n_journeys == len(journeys)
    assert abs(float(model.variants["share"].sum()) - 1.0) < 1e-9 or model.n_journeys == 0
    assert int(model.starts["journeys"].sum()) == int(model.ends["journeys"].sum())
    assert int(model.starts["journeys"].sum()) == model.n_journeys


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    frame=logs(distinct_times=True),
    gap=st.sampled_from(["30min", "2h", "1d"]),
    seed=st.integers(0, 99),
)
def test_any_log_with_distinct_times(frame: pd.DataFrame, gap: str, seed: int) -> None:
    log, model = _model(frame, gap)
    _invariants(frame, log, model)
    shuffled = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    log2, model2 = _model(shuffled, gap)
    _invariants(shuffled, log2, model2)
    for table in ("edges", "variants", "starts", "ends", "touchpoints"):
        a, b = getattr(model, table), getattr(model2, table)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=table)


@SETTINGS
@given(frame=logs(distinct_times=False), seed=st.integers(0, 99))
def test_any_log_with_ties_and_missing_customers(frame: pd.DataFrame, seed: int) -> None:
    if frame["customer_id"].isna().all():
        return  # nothing to load: a titled error, tested elsewhere
    log, model = _model(frame, "30min")
    _invariants(frame, log, model)
    shuffled = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    _, model2 = _model(shuffled, "30min")
    assert (model2.n_events, model2.n_journeys, model2.n_transitions) == (
        model.n_events,
        model.n_journeys,
        model.n_transitions,
    )
    assert sorted(model2.journeys()["length"]) == sorted(model.journeys()["length"])
