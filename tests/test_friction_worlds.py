"""Friction on logs we did not shape around it: each generated world's planted stories lead its
ranking, found against their baselines, and each null twin raises no alarm (tests/worlds)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from tests.worlds import clickstream, contact_centre, tickets
from tests.worlds.harness import null_score, score, structure_found

#: The worlds, and the mapping each needs (the ticket log, in XES names with no customer
#: column, loads as it is: its journeys are its tickets).
WORLDS = {
    "clickstream": (clickstream, None),
    "contact_centre": (contact_centre, {"customer": "kundnr"}),
    "tickets": (tickets, None),
}

#: Worlds whose process differs by segment in both twins (their truth's ``structure``): their
#: null twins have true differences to find, and false discoveries are judged over several seeds.
STRUCTURED = {"tickets"}


def _ranking(tmp_path: Path, name: str, seed: int, stories: bool) -> tuple[wb.JourneyModel, dict]:
    module, mapping = WORLDS[name]
    module.generate(tmp_path, seed=seed, stories=stories)
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    model = wb.build_journeys(wb.load_events(tmp_path / "events.csv", mapping=mapping))
    return model, truth


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("name", sorted(WORLDS))
def test_every_planted_story_leads_the_ranking(tmp_path: Path, name: str, seed: int) -> None:
    model, truth = _ranking(tmp_path, name, seed, True)
    ranking = wb.rank_friction(model, goals=truth["goals"])
    result = score(ranking.table, truth, k=5)
    assert result.ok, result.summary()


@pytest.mark.parametrize("name", sorted(set(WORLDS) - STRUCTURED))
def test_a_null_twin_raises_no_alarm(tmp_path: Path, name: str) -> None:
    model, truth = _ranking(tmp_path, name, 1, False)
    ranking = wb.rank_friction(model, goals=truth["goals"])
    assert null_score(ranking.table) == 0, ranking.table[["finding", "point", "segment"]].head()


def test_a_structured_null_twin_finds_its_structure_and_little_else(tmp_path: Path) -> None:
    """The ticket desk's null twin has no story, but its groups differ (the Specialists take a
    day, groups send on the tickets they do not own): those are found, no incident is, and
    over eight seeds the false share of segment findings stays near the 5 % the
    false-discovery control allows (measured: 1 of 30 over seeds 1-10)."""
    found, false = 0, 0
    for seed in range(1, 9):
        model, truth = _ranking(tmp_path / str(seed), "tickets", seed, False)
        table = wb.rank_friction(model, goals=truth["goals"]).table
        assert not (table["finding"] == "incident").any(), (seed, table.head())
        facts = structure_found(table, truth)
        assert "specialists_take_a_day" in facts, (seed, facts)
        assert any(f.endswith("_sends_on") for f in facts), (seed, facts)
        found += int((table["finding"] == "segment").sum())
        false += null_score(table, truth=truth)
    assert false <= 0.1 * found, f"{false} false of {found} segment findings"


def test_the_guessed_goal_of_a_web_shop_is_its_purchase(tmp_path: Path) -> None:
    model, truth = _ranking(tmp_path, "clickstream", 1, True)
    ranking = wb.rank_friction(model)
    assert truth["goals"][0] in ranking.outcomes.goals
    assert score(ranking.table, truth, k=5).ok


def test_a_case_only_ticket_log_counts_its_tickets_as_its_customers(tmp_path: Path) -> None:
    model, truth = _ranking(tmp_path, "tickets", 1, True)
    cases = pd.read_csv(tmp_path / "events.csv")[truth["columns"]["journey"]].nunique()
    assert model.customers_are_cases and model.split_by == "journey column"
    assert model.n_journeys == model.n_customers == cases
    said = " ".join(wb.rank_friction(model, goals=truth["goals"]).table["explanation"])
    assert " cases." in said and " customers." not in said
