"""The user's reasons: renamed, merged and split on the feedback world, kept beside the dataset
and found again when it is opened again, and the Voice page's controls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import workbench as wb
from tests.worlds import feedback
from ui import reasons as kept
from ui.state import Dataset
from workbench.analyses.voice import VoiceOfCustomer, reasons
from workbench.analyses.voice.edits import ReasonEdits, apply_edits, split_id, unknown

from .conftest import ROOT


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("feedback")
    return out, feedback.generate(out, seed=1)


@pytest.fixture(scope="module")
def voice(world: tuple[Path, dict[str, Any]]) -> VoiceOfCustomer:
    out, _ = world
    log = wb.load_events(out / "events.csv", surveys=out / "surveys.csv")
    return reasons(wb.build_journeys(log), columns=[])


def _english(voice: VoiceOfCustomer) -> list[str]:
    return voice.reasons.loc[voice.reasons["language"] == "en", "reason"].tolist()


def test_rename_keeps_the_counts_and_names_the_alerts(voice: VoiceOfCustomer) -> None:
    rising = voice.alerts["reason"].iloc[0]
    edited = apply_edits(voice, ReasonEdits().rename(rising, "Invoice errors"))
    row = edited.reasons.set_index("reason").loc[rising]
    assert row["label"] == "Invoice errors"
    assert row["count"] == voice.reasons.set_index("reason").loc[rising, "count"]
    assert "Invoice errors" in set(edited.alerts["label"])
    assert "Invoice errors rising since week" in " ".join(edited.alerts["explanation"])
    assert voice.reasons.set_index("reason").loc[rising, "label"] != "Invoice errors"  # unchanged


def test_merge_adds_the_texts_up_and_removes_the_merged(voice: VoiceOfCustomer) -> None:
    a, b = _english(voice)[:2]
    counts = voice.reasons.set_index("reason")["count"]
    edited = apply_edits(voice, ReasonEdits().merge([a], into=b))
    assert a not in set(edited.reasons["reason"]) and a not in set(edited.texts["reason"])
    assert edited.reasons.set_index("reason").loc[b, "count"] == counts[a] + counts[b]
    assert len(edited.reasons) == len(voice.reasons) - 1
    assert edited.by_week["reason"].isin(edited.reasons["reason"]).all()


def test_split_takes_the_texts_holding_a_word(voice: VoiceOfCustomer) -> None:
    reason = _english(voice)[0]
    word = voice.reasons.set_index("reason").loc[reason, "terms"][0]
    edited = apply_edits(voice, ReasonEdits().split(reason, word.upper(), "Split off"))
    new = split_id(reason, word.lower())
    row = edited.reasons.set_index("reason").loc[new]
    assert row["label"] == "Split off" and row["count"] > 0 and len(row["examples"]) == 3
    moved = edited.texts[edited.texts["reason"] == new]["text"].str.lower()
    assert moved.str.contains(word.lower(), regex=False).all()
    left = edited.texts[edited.texts["reason"] == reason]["text"].str.lower()
    assert not left.str.contains(word.lower(), regex=False).any()
    assert len(edited.texts) == len(voice.texts)


def test_edits_of_reasons_not_found_are_skipped_and_said(voice: VoiceOfCustomer) -> None:
    edits = ReasonEdits().rename("xx9", "Gone").merge(["xx8"], into=_english(voice)[0])
    assert unknown(voice, edits) == ["xx8", "xx9"]
    assert apply_edits(voice, edits).reasons.equals(apply_edits(voice, ReasonEdits()).reasons)
    with pytest.raises(wb.ValidationError):
        ReasonEdits().rename("en1", "  ")


def test_edits_are_kept_beside_the_dataset_and_found_again(tmp_path: Path) -> None:
    ds = Dataset("/data/events.csv", "events", surveys="/data/surveys.csv")
    edits = ReasonEdits().rename("en1", "Fakturan – fel").merge(["en2"], "en3")
    edits = edits.split("sv1", "kö", "Kön")
    kept.save(ds, edits, tmp_path)
    again = Dataset("/data/events.csv", "events again", surveys="/data/surveys.csv")
    assert kept.load(again, tmp_path) == edits  # the same file, opened again
    other = ds.with_changes(mapping=(("touchpoint", "page"),))
    assert kept.load(other, tmp_path) == ReasonEdits()  # another mapping: other journeys
    assert ReasonEdits.from_json(edits.to_json()) == edits


def test_the_page_shows_the_names_kept_with_the_dataset(
    world: tuple[Path, dict[str, Any]],
    voice: VoiceOfCustomer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, _ = world
    monkeypatch.chdir(tmp_path)  # the edits are kept under the working folder
    ds = Dataset(str(out / "events.csv"), "feedback", surveys=str(out / "surveys.csv"))
    kept.save(ds, ReasonEdits().rename(voice.reasons["reason"].iloc[0], "My own reason"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.session_state["dataset"] = ds
    at.run()
    at = at.switch_page("pages/voice.py").run()
    assert not at.exception
    assert any("My own reason" in m.value for m in at.markdown), [m.value for m in at.markdown]
    assert at.button(key="voice_edit_rn_go") and at.button(key="voice_edit_reset")


def test_the_page_s_buttons_keep_each_edit(
    world: tuple[Path, dict[str, Any]],
    voice: VoiceOfCustomer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, _ = world
    monkeypatch.chdir(tmp_path)  # the edits are kept under the working folder
    ds = Dataset(str(out / "events.csv"), "feedback", surveys=str(out / "surveys.csv"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.session_state["dataset"] = ds
    at.run()
    at = at.switch_page("pages/voice.py").run()
    first, second, third = _english(voice)[:3]
    # each run of a page opened on its own starts again inside the app: the click must survive
    at.selectbox(key="voice_edit_rn").set_value(first)
    at.text_input(key="voice_edit_rn_name").input("Renamed here")
    at = at.button(key="voice_edit_rn_go").click().run()
    assert not at.exception
    assert kept.load(ds).names == ((first, "Renamed here"),)
    assert any("Renamed here" in m.value for m in at.markdown)
    at.multiselect(key="voice_edit_m").set_value([second])
    at.selectbox(key="voice_edit_m_to").set_value(third)
    at = at.button(key="voice_edit_m_go").click().run()
    assert kept.load(ds).merges == ((second, third),)
    word = voice.reasons.set_index("reason").loc[third, "terms"][0]
    at.selectbox(key="voice_edit_s").set_value(third)
    at.text_input(key="voice_edit_s_word").input(word)
    at.text_input(key="voice_edit_s_name").input("Split here")
    at = at.button(key="voice_edit_s_go").click().run()
    assert kept.load(ds).splits == ((third, word, "Split here"),)
    assert kept.load(ds).names == ((first, "Renamed here"),)  # the earlier edits stay
    at.text_input(key="voice_edit_rn_name").input("  ")
    at = at.button(key="voice_edit_rn_go").click().run()
    assert any("Empty name" in e.value for e in at.error)  # said, and nothing lost
    assert kept.load(ds).names == ((first, "Renamed here"),)
    at = at.button(key="voice_edit_reset").click().run()
    assert kept.load(ds) == ReasonEdits()
