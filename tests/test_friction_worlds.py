"""Friction on logs we did not shape around it: each generated world's planted stories lead its
ranking, found against their baselines, and each null twin raises no alarm (tests/worlds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import workbench as wb
from tests.worlds import clickstream, contact_centre
from tests.worlds.harness import null_score, score

#: The worlds the library loads today, and the mapping each needs (the case-only ticket log
#: needs a customer column it does not have).
WORLDS = {
    "clickstream": (clickstream, None),
    "contact_centre": (contact_centre, {"customer": "kundnr"}),
}


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


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_a_null_twin_raises_no_alarm(tmp_path: Path, name: str) -> None:
    model, truth = _ranking(tmp_path, name, 1, False)
    ranking = wb.rank_friction(model, goals=truth["goals"])
    assert null_score(ranking.table) == 0, ranking.table[["finding", "point", "segment"]].head()


def test_the_guessed_goal_of_a_web_shop_is_its_purchase(tmp_path: Path) -> None:
    model, truth = _ranking(tmp_path, "clickstream", 1, True)
    ranking = wb.rank_friction(model)
    assert truth["goals"][0] in ranking.outcomes.goals
    assert score(ranking.table, truth, k=5).ok
