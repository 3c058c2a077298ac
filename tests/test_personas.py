"""Personas: conditions read as written, members counted exactly, analyses run per persona."""

from __future__ import annotations

import pytest

import workbench as wb
from workbench.analyses.personas import (
    Condition,
    compare_kpis,
    parse_persona,
    persona_log,
    persona_size,
)


def test_parse_reads_names_operators_and_lists() -> None:
    p = parse_persona("New mobile: device in [android, ios], tenure_months <= 3, plan != Family")
    assert p.name == "New mobile"
    assert p.conditions == (
        Condition("device", "in", "android, ios"),
        Condition("tenure_months", "<=", "3"),
        Condition("plan", "!=", "Family"),
    )
    assert parse_persona("Everyone").conditions == ()
    with pytest.raises(wb.ValidationError) as err:
        parse_persona("Bad: tenure_months about 3")
    assert err.value.title == "Bad persona"


def test_members_match_a_hand_count(sample_full_model: wb.JourneyModel) -> None:
    log = sample_full_model.log
    cur = log.cursor()
    expected = cur.execute(
        "select count(*) from customers c where c.tenure_months < 12 and exists ("
        "select 1 from events e where e.customer_key = c.customer_key and e.device = 'android')"
    ).fetchall()[0][0]
    persona = parse_persona("New android: device = android, tenure_months < 12")
    assert persona_size(log, persona) == expected > 0
    with pytest.raises(wb.ValidationError) as err:
        persona_size(log, parse_persona("X: shoe_size > 3"))
    assert err.value.title == "Unknown attribute"
    with pytest.raises(wb.ValidationError):
        persona_size(log, parse_persona("X: plan < cheap"))


def test_a_persona_log_is_a_complete_log_of_its_customers(
    sample_full_model: wb.JourneyModel,
) -> None:
    log = sample_full_model.log
    persona = parse_persona("Youth: segment = Youth")
    own = persona_log(log, persona)
    cur = log.cursor()
    (n_customers,) = cur.execute(
        "select count(*) from customers where segment = 'Youth'"
    ).fetchall()[0]
    (n_events,) = cur.execute(
        "select count(*) from events e join customers c using (customer_key) "
        "where c.segment = 'Youth'"
    ).fetchall()[0]
    assert own.report.rows_read == own.report.rows_loaded == n_events
    assert own.customer_report is not None and own.customer_report.rows_loaded == n_customers
    assert own.survey_report is not None and own.survey_report.unmatched == 0
    model = wb.build_journeys(own)
    assert model.n_customers <= n_customers
    assert set(own.attributes) == set(log.attributes)
    everyone = wb.kpis(sample_full_model).table
    side = compare_kpis([("All", everyone), ("Youth", wb.kpis(model).table)])
    nps = side[side["kpi"] == "nps"].iloc[0]
    assert nps["Youth n"] < nps["All n"]
    with pytest.raises(wb.ValidationError) as err:
        persona_log(log, parse_persona("Nobody: tenure_months > 100000"))
    assert err.value.title == "Empty persona"
