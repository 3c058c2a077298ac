"""Guessed goals: the planted goals of the sample and of logs we did not write, never a contact,
and never a drop-off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from tests.worlds import generate
from workbench.analyses.outcomes import GOAL_END_RATE, SUCCESS_END_RATE, guess_goals
from workbench.ingest.vocabulary import is_contact
from workbench.journeys.model import JourneyTables

#: How each world's events load (tests/worlds/README.md).
MAPPINGS: dict[str, dict[str, str] | None] = {
    "clickstream": None,
    "contact_centre": {"customer": "kundnr"},
}

World = Callable[[str, int], tuple[wb.JourneyModel, dict]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A world's journeys and truth by name and seed, made once for the module."""
    made: dict[tuple[str, int], tuple[wb.JourneyModel, dict]] = {}

    def get(name: str, seed: int) -> tuple[wb.JourneyModel, dict]:
        if (name, seed) not in made:
            out = tmp_path_factory.mktemp(f"{name}-{seed}")
            truth = generate(name, out, seed)
            log = wb.load_events(out / "events.csv", mapping=MAPPINGS[name])
            made[name, seed] = (wb.build_journeys(log), truth)
        return made[name, seed]

    return get


def _contacts(model: JourneyTables) -> set[str]:
    t = model.touchpoints
    return {str(n) for n, c in zip(t["touchpoint"], t["channel"], strict=True) if is_contact(n, c)}


def _dropoffs_at(ranking: wb.FrictionRanking, touchpoints: list[str]) -> pd.DataFrame:
    c = ranking.candidates
    return c[(c["signal"] == "dropoff") & c["touchpoint"].isin(touchpoints)]


# -- guessing -------------------------------------------------------------------------------------


def test_the_samples_planted_goals_are_guessed_and_no_contact(
    sample_model: wb.JourneyModel, sample_truth: dict
) -> None:
    planted = {g for goals in sample_truth["goals"].values() for g in goals}
    goals = guess_goals(sample_model)
    # "Change add-on" ends every journey that reaches it: a goal the sample does not list
    assert set(goals) == planted | {"Change add-on"}
    assert not set(goals) & _contacts(sample_model)
    assert {"Support call", "IVR menu", "Support chat"} <= _contacts(sample_model)


@pytest.mark.parametrize("seed", [1, 4])
def test_the_shops_purchase_is_a_goal_and_its_chat_is_not(world: World, seed: int) -> None:
    model, truth = world("clickstream", seed)
    assert guess_goals(model) == truth["goals"] == ["purchase"]


def test_a_chat_that_ends_most_of_its_visits_is_still_no_goal(world: World) -> None:
    # seed 4: half the chats end the session, which made the chat a goal by end rate alone
    model, _ = world("clickstream", 4)
    t = model.touchpoints.set_index("touchpoint")
    assert t.loc["chat", "ends"] / t.loc["chat", "events"] >= GOAL_END_RATE
    assert "chat" not in guess_goals(model)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_contact_centres_goal_is_guessed_and_no_phone_chat_or_mail(
    world: World, seed: int
) -> None:
    model, truth = world("contact_centre", seed)
    goals = guess_goals(model)
    assert goals == truth["goals"] == ["Ärende löst"]
    # the goal is logged in the channel of the case's last contact, mostly telefon
    t = model.touchpoints.set_index("touchpoint")
    assert t.loc["Ärende löst", "channel"] == "telefon"
    phone_chat_mail = set(t.index[t["channel"].isin(["telefon", "chatt", "e-post"])])
    assert not set(goals) & (phone_chat_mail - {"Ärende löst"})


def _shop(out: Path) -> wb.JourneyModel:
    """100 sessions: 50 buy, and 30 of them go on to the home page, so the purchase ends 40 % of
    its visits; 50 read the newsletter, and 30 of them go on to a product, so the newsletter
    ends 40 % of its visits too."""
    sessions = []
    for s in range(50):
        sessions.append(["home", "product", "cart", "purchase"] + (["home"] if s < 30 else []))
        sessions.append(["home", "newsletter"] + (["product"] if s < 30 else []))
    rows = [
        (f"s{n}", f"v{n}", page, f"2025-09-01 10:{n // 60:02d}:{n % 60:02d}.{i}")
        for n, pages in enumerate(sessions)
        for i, page in enumerate(pages)
    ]
    frame = pd.DataFrame(rows, columns=["session_id", "visitor_id", "page", "timestamp"])
    frame.to_csv(out / "shop.csv", index=False)
    return wb.build_journeys(wb.load_events(out / "shop.csv"))


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> wb.JourneyModel:
    return _shop(tmp_path_factory.mktemp("shop"))


def test_a_purchase_that_customers_browse_on_from_is_still_a_goal(shop: wb.JourneyModel) -> None:
    t = shop.touchpoints.set_index("touchpoint")
    end_rate = t["ends"] / t["events"]
    # under the bar for a name that says nothing, over the one for a name that says success
    assert SUCCESS_END_RATE <= end_rate["purchase"] < GOAL_END_RATE
    assert end_rate["newsletter"] == end_rate["purchase"]
    assert guess_goals(shop) == ["purchase"]


def test_without_a_channel_the_names_alone_decide() -> None:
    # a model from Spark may carry only the touchpoints' names
    touchpoints = pd.DataFrame(
        {
            "touchpoint": ["Support chat", "Order confirmed", "Browse", "Card lost", "Rare end"],
            "events": [100, 100, 100, 100, 10],
            "ends": [80, 40, 60, 40, 10],
        }
    )
    empty = pd.DataFrame()
    model = JourneyTables(
        "journey column", None, empty, empty, empty, empty, touchpoints, 500, 1000, 900
    )
    # "Rare end" ends all its visits but only 10 of 1,000 journeys (1 %): enough
    assert guess_goals(model) == ["Order confirmed", "Browse", "Rare end"]
    few = JourneyTables(
        "journey column", None, empty, empty, empty, empty, touchpoints, 500, 4000, 900
    )
    assert "Rare end" not in guess_goals(few)  # 10 of 4,000 journeys is under 0.5 %


# -- a goal is never a drop-off -------------------------------------------------------------------


def test_journeys_that_end_at_a_goal_do_not_drop_off_there(shop: wb.JourneyModel) -> None:
    ranking = wb.rank_friction(shop, min_units=1, min_affected=1, concentration=False)
    assert list(ranking.outcomes.goals) == ["purchase"]
    assert shop.touchpoints.set_index("touchpoint").loc["purchase", "ends"] == 20
    drop = _dropoffs_at(ranking, ["purchase"])
    assert len(drop) == 1 and drop["units"].iloc[0] == 50
    assert drop["affected"].iloc[0] == 0 and drop["customers_affected"].iloc[0] == 0
    assert not (ranking.table["point"] == "purchase").any()
    # the newsletter, as often left, is a drop-off
    assert _dropoffs_at(ranking, ["newsletter"])["affected"].iloc[0] == 20


@pytest.mark.parametrize(
    ("name", "segment"),
    [("clickstream", None), ("clickstream", "device"), ("contact_centre", None),
     ("contact_centre", "region")],
)  # fmt: skip
def test_a_worlds_goal_has_no_drop_off(world: World, name: str, segment: str | None) -> None:
    model, truth = world(name, 1)
    ranking = wb.rank_friction(model, segment=segment, concentration=False)
    goals = truth["goals"]
    assert list(ranking.outcomes.goals) == goals
    assert model.touchpoints.set_index("touchpoint").loc[goals, "ends"].min() > 0
    drop = _dropoffs_at(ranking, goals)
    assert not drop.empty and drop["units"].sum() > 0
    assert drop["affected"].sum() == 0
    table = ranking.table
    assert not ((table["kind"] == "dropoff") & table["touchpoint"].isin(goals)).any()
