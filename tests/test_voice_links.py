"""What customers wrote, tied to the rest on the committed sample: a reason as an effect for
Causes (its causes name what the sample planted with it) and what customers said at a friction
point during an incident."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import workbench as wb
from workbench.analyses.voice import VoiceOfCustomer, reasons, said_at

from .conftest import ROOT, SAMPLE
from .test_voice_sample import _purity


@pytest.fixture(scope="module")
def voice(sample_full_model: wb.JourneyModel) -> VoiceOfCustomer:
    return reasons(sample_full_model, columns=[])


def _label(voice: VoiceOfCustomer, planted: str) -> str:
    home = _purity(voice, "en").loc[planted, "home"]
    return str(voice.reasons.set_index("reason").loc[home, "label"])


def test_a_reason_s_causes_name_what_was_planted_with_it(
    sample_full_model: wb.JourneyModel, voice: VoiceOfCustomer, sample_truth: dict[str, Any]
) -> None:
    crisis = sample_truth["stories"]["transfer_crisis"]
    fb = wb.group_causes(sample_full_model, f"reason:{_label(voice, 'transfer')}", voice=voice)
    assert fb.unit == "journeys" and 0 < fb.affected < fb.population
    labels = set(fb.causes["label"])
    # measured: team = Second line and transferred = true, 58 of 58 writers' journeys
    assert f"{crisis['attribute']} = true" in labels, labels
    queue = sample_truth["stories"]["long_queue"]
    fb = wb.group_causes(sample_full_model, f"reason:{_label(voice, 'queue')}", voice=voice)
    # measured: queue = billing, 51 of 62, against 1 % of the other writers' journeys
    assert f"queue = {queue['queue']}" in set(fb.bone("Process")["label"])
    fee = sample_truth["stories"]["rising_fee"]
    fb = wb.group_causes(sample_full_model, f"reason:{_label(voice, 'fee')}", voice=voice)
    months = set(fb.bone("Time & environment")["value"])
    # measured: 2026-08 (43 %) and 2026-07 (29 %) against 8-9 % before the fee
    assert {m for m in months if m >= fee["start"][:7]}, months


def test_a_reason_is_found_by_its_label_whatever_the_case(
    sample_full_model: wb.JourneyModel, voice: VoiceOfCustomer
) -> None:
    label = _label(voice, "fee")
    a = wb.group_causes(sample_full_model, f"reason:{label.upper()}", voice=voice)
    b = wb.group_causes(sample_full_model, f"reason:{label}", voice=voice)
    assert (a.population, a.affected) == (b.population, b.affected)
    assert label in a.title


def test_an_unknown_reason_says_which_reasons_exist(
    sample_full_model: wb.JourneyModel, voice: VoiceOfCustomer
) -> None:
    with pytest.raises(wb.ValidationError) as caught:
        wb.group_causes(sample_full_model, "reason:no such thing", voice=voice)
    assert caught.value.title == "Unknown reason"
    assert _label(voice, "fee") in caught.value.message
    with pytest.raises(wb.ValidationError, match="reason:<label>"):
        wb.group_causes(sample_full_model, "nonsense")  # the effects listed name it


def test_during_the_transfer_crisis_customers_at_its_point_speak_of_transfers(
    sample_full_model: wb.JourneyModel, voice: VoiceOfCustomer, sample_truth: dict[str, Any]
) -> None:
    crisis = sample_truth["stories"]["transfer_crisis"]
    said = said_at(
        sample_full_model, crisis["touchpoint"], (crisis["start"], crisis["end"]), voice=voice
    )
    top = said.reasons.iloc[0]
    # measured: 116 texts about 94 journeys, 55 % negative against 29 %; the transfer reason
    # 30 % of them against 3 % about the other journeys
    assert top["label"] == _label(voice, "transfer")
    assert top["share"] > 5 * top["share_elsewhere"]
    assert said.negative_share > said.negative_share_elsewhere
    assert said.texts >= said.journeys > 0
    assert top["label"] in said.sentence() and len(top["examples"]) <= 2


def test_said_at_a_point_with_no_journeys_or_a_bad_one(
    sample_full_model: wb.JourneyModel, voice: VoiceOfCustomer
) -> None:
    quiet = said_at(sample_full_model, "Moving call", ("2020-01-01", "2020-01-31"), voice=voice)
    assert quiet.texts == 0 and quiet.reasons.empty and quiet.sentence().startswith("No ")
    with pytest.raises(wb.ValidationError, match="no touchpoint"):
        said_at(sample_full_model, "Nowhere", voice=voice)
    moved = said_at(sample_full_model, "Moving call → Second-line transfer", voice=voice)
    assert moved.reasons.iloc[0]["label"] == _label(voice, "transfer")


def test_the_causes_page_offers_and_explains_a_reason(voice: VoiceOfCustomer) -> None:
    label = _label(voice, "transfer")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.session_state["ca_effect"] = f"reason:{label}"
    at.run()
    at.switch_page("pages/causes.py").run()
    assert not at.exception
    assert at.toggle(key="ca_reasons").value  # asked for a reason: reasons are offered
    assert f"Journeys whose customers wrote “{label}”" in at.selectbox(key="ca_effect").options
    assert at.markdown[0].value.startswith(f"**Journeys whose customers wrote “{label}”")
    at.selectbox(key="ca_effect").set_value("friction:transfer:Moving call").run()
    assert not at.exception  # what customers wrote counts on the Policy & information bone
    assert at.toggle(key="ca_reasons").value


def test_the_friction_page_says_what_customers_said_at_a_point() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.run()
    at.switch_page("pages/friction.py").run()
    assert not at.exception
    at.toggle(key="fr_said").set_value(True).run()
    assert not at.exception
    assert any(" journeys through " in m.value for m in at.markdown), at.markdown


def test_what_customers_wrote_is_evidence_on_the_policy_bone(
    sample_full_model: wb.JourneyModel, voice: VoiceOfCustomer, sample_truth: dict[str, Any]
) -> None:
    crisis = sample_truth["stories"]["transfer_crisis"]
    effect = f"friction:transfer:{crisis['touchpoint']}"
    period = (crisis["start"], crisis["end"])
    fb = wb.group_causes(sample_full_model, effect, period=period, voice=voice)
    policy = fb.bone("Policy & information")
    # measured: 37 of the 39 contacts whose customers wrote it were transferred (95 %),
    # against 69 % of the others at the point, q = 0.012
    wrote = policy[policy["attribute"] == "wrote"]
    assert wrote["value"].iloc[0] == _label(voice, "transfer"), policy
    assert wrote["label"].iloc[0] == f"customers wrote “{_label(voice, 'transfer')}”"
    plain = wb.group_causes(sample_full_model, effect, period=period)
    assert "wrote" not in set(plain.causes["attribute"])  # no reasons given, none read
    label = _label(voice, "fee")
    own = wb.group_causes(sample_full_model, f"reason:{label}", voice=voice)
    assert label not in set(own.causes["value"])  # the effect's own reason explains nothing


def test_the_causes_command_takes_a_reason(voice: VoiceOfCustomer) -> None:
    label = _label(voice, "queue")
    files = ["--events", str(SAMPLE / "events.csv"), "--surveys", str(SAMPLE / "surveys.csv")]
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "causes", *files, "--effect", f"reason:{label}"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["title"] == f"Journeys whose customers wrote “{label}”" and doc["unit"] == "journeys"
    process = next(b for b in doc["bones"] if b["name"] == "Process")
    assert "queue = billing" in {c["label"] for c in process["causes"]}
    wrong = subprocess.run(
        [sys.executable, "-m", "workbench", "causes", *files, "--effect", "reason:no such"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert wrong.returncode != 0 and "Unknown reason" in wrong.stderr
    assert label in wrong.stderr  # the reasons there are
