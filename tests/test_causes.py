"""Ishikawa causes from the data: each planted cause leads its bone, and noise finds nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import workbench as wb
from workbench.analyses.attributes import BONES

from .conftest import full_model


def _check_planted_causes(model: wb.JourneyModel, truth: dict) -> None:
    ranking = wb.rank_friction(model, concentration=False)
    team = truth["low_resolution_team"]
    fb = wb.group_causes(model, f"friction:unresolved:{team['touchpoint']}")
    assert fb.leader("People")["value"] == team["team"], fb.bone("People")

    queue = truth["long_queue"]
    fb = wb.group_causes(model, f"friction:long_wait:{queue['touchpoint']}")
    lead = fb.leader("Process")
    assert (lead["attribute"], lead["value"]) in {
        ("touchpoint", queue["touchpoint"]),
        ("queue", queue["queue"]),
        ("journey_type", queue["journey_type"]),
    }, fb.bone("Process")

    crisis = truth["transfer_crisis"]
    fb = wb.group_causes(model, f"friction:transfer:{crisis['touchpoint']}")
    lead = fb.leader("Process")
    assert (lead["attribute"], lead["value"]) in {  # the line, by any of its names
        ("touchpoint", crisis["touchpoint"]),
        ("queue", crisis["queue"]),
        ("journey_type", crisis["journey_type"]),
    }, fb.bone("Process")
    when = fb.leader("Time & environment")
    assert when["attribute"] == "month"
    month_start = date.fromisoformat(when["value"] + "-01")
    assert (
        date.fromisoformat(crisis["start"]).replace(day=1)
        <= month_start
        <= date.fromisoformat(crisis["end"])
    ), fb.bone("Time & environment")

    loop = truth["app_phone_loop"]
    loop_rows = ranking.table[
        (ranking.table["kind"] == "loop")
        & ranking.table["cycle"].apply(
            lambda c: isinstance(c, list) and loop["app_touchpoint"] in c
        )
    ]
    point = loop_rows.iloc[0]["point"]
    fb = wb.group_causes(model, f"friction:loop:{point}")
    lead = fb.leader("Channel & technology")
    assert (lead["attribute"], lead["value"]) == ("device", loop["device"]), fb.bone(
        "Channel & technology"
    )


def test_planted_causes_lead_their_bones(
    sample_full_model: wb.JourneyModel, sample_truth: dict
) -> None:
    _check_planted_causes(sample_full_model, sample_truth["stories"])


def test_planted_causes_lead_when_moved(moved_stories: Path) -> None:
    truth = json.loads((moved_stories / "truth.json").read_text())["stories"]
    _check_planted_causes(full_model(moved_stories), truth)


@pytest.mark.parametrize("effect", ["detractor"])
def test_no_planted_cause_no_significant_cause(calm_data: Path, effect: str) -> None:
    """Loyalty depends on nothing in the calm data: no cause may be reported."""
    fb = wb.group_causes(full_model(calm_data), effect)
    assert fb.causes.empty, fb.causes[["bone", "label", "q_value"]]
    assert sum(fb.left_out.values()) > 20  # candidates were tested, and left out


def test_every_cause_carries_its_evidence(sample_full_model: wb.JourneyModel) -> None:
    fb = wb.group_causes(sample_full_model, "low_csat")
    c = fb.causes
    assert not c.empty
    assert (c["q_value"] < 0.05).all() and (c["lift"] > 1).all()
    assert (c["units"] >= 30).all() and (c["affected"] >= 10).all()
    assert (c["ci_low"] <= c["effect_size"]).all() and (c["effect_size"] <= c["ci_high"]).all()
    assert set(c["bone"]) <= set(BONES)
    for bone in BONES:
        rows = fb.bone(bone)
        assert (rows["explained"].diff().dropna() <= 1e-9).all()  # strongest first
        assert len(rows) <= 5
    assert fb.unit == "journeys" and 0 < fb.base_rate < 1


def test_attributes_can_move_to_another_bone(sample_full_model: wb.JourneyModel) -> None:
    fb = wb.group_causes(
        sample_full_model,
        "friction:unresolved:Support call",
        bones={"team": "Policy & information"},
    )
    assert fb.bone_of["team"] == "Policy & information"
    assert fb.leader("Policy & information")["value"] == "Tech Support B"
    assert (fb.bone("People")["attribute"] != "team").all()
    with pytest.raises(wb.ValidationError):
        wb.group_causes(sample_full_model, "low_csat", bones={"team": "Luck"})


def test_workshop_causes_are_marked(sample_full_model: wb.JourneyModel) -> None:
    fb = wb.group_causes(sample_full_model, "churned")
    more = fb.with_manual("Policy & information", "Retention offers are not personal")
    row = more.bone("Policy & information").iloc[-1]
    assert bool(row["manual"]) and row["label"].endswith("(workshop)")
    assert len(more.causes) == len(fb.causes) + 1  # the original is unchanged
    assert more.leader("Policy & information") == fb.leader("Policy & information")


@pytest.mark.parametrize(
    "effect",
    [
        "has:Second-line transfer",
        "no_goal:Fault resolved",
        "friction:dropoff:Compare plans",
        "detractor",
    ],
)
def test_outcome_effects(sample_full_model: wb.JourneyModel, effect: str) -> None:
    fb = wb.group_causes(sample_full_model, effect)
    assert fb.population > fb.affected > 0
    assert not (
        (fb.causes["attribute"] == "visits")
        & (fb.causes["value"] == effect.rsplit(":", maxsplit=1)[-1])
    ).any()


@pytest.mark.parametrize(
    ("effect", "title"),
    [
        ("colour", "Unknown effect"),
        ("has:Nowhere", "Unknown touchpoint"),
        ("friction:teleport:Log in", "Unknown effect"),
        # no journey heads to a sales call often enough: nothing to explain, not a crash
        ("no_goal:Sales call", "Nothing to explain"),
    ],
)
def test_bad_effects_are_titled(
    sample_full_model: wb.JourneyModel, effect: str, title: str
) -> None:
    with pytest.raises(wb.ValidationError) as err:
        wb.group_causes(sample_full_model, effect)
    assert err.value.title == title


def test_json_document(sample_full_model: wb.JourneyModel) -> None:
    doc = wb.group_causes(sample_full_model, "friction:unresolved:Support call").to_json()
    assert doc["effect"] == "friction:unresolved:Support call"
    assert [b["name"] for b in doc["bones"]] == list(BONES)
    people = doc["bones"][0]["causes"][0]
    for key in ("attribute", "value", "effect_size", "ci_low", "ci_high", "support", "lift"):
        assert key in people
    json.dumps(doc)


def test_journey_causes_count_each_journey_once(tmp_path: Path) -> None:
    """A journey with the same team on three contacts counts once for that team, and a value
    with a quote in it is a cause like any other."""
    rows = ["customer_id,journey_id,touchpoint,channel,timestamp,team,wait_seconds"]
    for j in range(120):
        team = "O'Brien & Co" if j < 40 else ("Ann" if j < 80 else "Bo")
        refund = j < 36 or j in (40, 41, 80)  # O'Brien's journeys nearly all reach a refund
        steps = ["Support call", "Support call", "Support call"] + (["Refund"] if refund else [])
        for k, touchpoint in enumerate(steps):
            rows.append(
                f"C{j:03d},J{j:03d},{touchpoint},phone,2026-03-{1 + j % 28:02d} "
                f'10:{k:02d}:00,"{team}",{30 * (j % 7) + k}'
            )
    path = tmp_path / "teams.csv"
    path.write_text("\n".join(rows) + "\n")
    model = wb.build_journeys(wb.load_events(path))
    fb = wb.group_causes(model, "has:Refund", min_support=10, min_affected=5)
    assert (fb.population, fb.affected) == (120, 39)
    lead = fb.leader("People")
    assert (lead["attribute"], lead["value"]) == ("team", "O'Brien & Co"), fb.bone("People")
    # 40 journeys, not the 120 contacts they hold; 36 of them reach the refund
    assert (int(lead["units"]), int(lead["affected"])) == (40, 36)


def test_moving_a_bone_or_a_floor_counts_nothing_again() -> None:
    """An effect's counts are kept on the model: moving an attribute to another bone or
    changing a floor relabels and re-tests them, with the same result as a fresh model."""
    sample = Path(__file__).parents[1] / "sample_data"
    model = full_model(sample)
    effect = "friction:unresolved:Support call"
    first = wb.group_causes(model, effect)
    with model.using() as cur:
        cur.execute("drop table visits")  # counting the effect again would now fail
    moved = wb.group_causes(model, effect, bones={"team": "Policy & information"}, alpha=0.01)
    fresh = wb.group_causes(
        full_model(sample), effect, bones={"team": "Policy & information"}, alpha=0.01
    )
    assert first.leader("People")["attribute"] == "team"
    assert moved.leader("Policy & information")["attribute"] == "team"
    assert moved.to_json() == fresh.to_json()
