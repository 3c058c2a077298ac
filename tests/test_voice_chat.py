"""Voice of the customer on agents' chat summaries (tests/worlds/chat.py): short, with typos,
often Swedish and English in one line, and no score beside them. Scored like the feedback
world: the planted reasons' purity and the week the rising reason is alerted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import workbench as wb
from tests.worlds import chat
from workbench.analyses.voice import VoiceOfCustomer, reasons
from workbench.analyses.voice.sentiment import LEXICON
from workbench.analyses.voice.texts import text_columns


def _world(
    path: Path, stories: bool = True, seed: int = 1
) -> tuple[wb.JourneyModel, dict[str, Any]]:
    truth = chat.generate(path, seed=seed, stories=stories)
    return wb.build_journeys(wb.load_events(path / "events.csv")), truth


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[wb.JourneyModel, dict[str, Any]]:
    return _world(tmp_path_factory.mktemp("chat"))


@pytest.fixture(scope="module")
def voice(world: tuple[wb.JourneyModel, dict[str, Any]]) -> VoiceOfCustomer:
    return reasons(world[0])  # the summary column is found by its look


def _crosstab(voice: VoiceOfCustomer, truth: dict[str, Any], lang: str) -> pd.DataFrame:
    texts = voice.texts[voice.texts["language"] == lang]
    return pd.crosstab(texts["journey"].map(truth["reasons"]), texts["reason"].fillna("(none)"))


def _purity(table: pd.DataFrame) -> pd.DataFrame:
    """Per planted reason: its home (the reason holding most of its texts), the share there,
    and the share in the reasons it owns (whose texts are mostly its own)."""
    owner = table.idxmax(axis=0)
    own = {r: table.loc[r, owner[owner == r].index].sum() for r in table.index}
    return pd.DataFrame(
        {
            "home": table.idxmax(axis=1),
            "purity": table.max(axis=1) / table.sum(axis=1),
            "own": pd.Series(own) / table.sum(axis=1),
        }
    )


def test_the_summaries_are_found_and_mixed(
    world: tuple[wb.JourneyModel, dict[str, Any]], voice: VoiceOfCustomer
) -> None:
    model, truth = world
    assert text_columns(model) == [truth["text_column"]]
    # measured: 1,304 of 3,520 summaries mix Swedish and English
    assert truth["mixed"] > 0.3 * len(truth["reasons"])
    assert voice.languages["en"] > voice.languages["sv"] > 0.3 * len(voice.texts)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_planted_reasons_come_out_as_reasons_of_their_own(
    voice: VoiceOfCustomer, world: tuple[wb.JourneyModel, dict[str, Any]], lang: str
) -> None:
    purity = _purity(_crosstab(voice, world[1], lang))
    assert set(purity.index) == set(chat.REASONS)
    assert purity["home"].is_unique, purity  # no two planted reasons share one
    # measured (seed 1): in English 89-100 % of each planted reason's texts in reasons of its
    # own, in Swedish 74-92 %; in its single home 47-96 % and 35-92 %: English logins split in
    # two (BankID failing, locked out), and Swedish summaries partly group by what the agent
    # did (ärende skapat, skickade länk) instead of the customer's issue
    assert (purity["own"] > (0.85 if lang == "en" else 0.7)).all(), purity
    assert (purity["purity"] > (0.45 if lang == "en" else 0.3)).all(), purity


def _unplanted(voice: VoiceOfCustomer, truth: dict[str, Any]) -> pd.DataFrame:
    """The alerts whose texts in their weeks are not mostly about the reason planted rising."""
    texts = voice.texts.assign(planted=voice.texts["journey"].map(truth["reasons"]))
    wrong = []
    for a in voice.alerts.to_dict(orient="records"):
        ts = pd.to_datetime(texts["ts"])
        inside = texts[
            (texts["reason"] == a["reason"])
            & (ts >= pd.Timestamp(a["from"]))
            & (ts < pd.Timestamp(a["to"]) + pd.Timedelta(days=1))
        ]
        top = inside["planted"].value_counts()
        if truth["rising"] is None or top.index[0] != truth["rising"]["reason"]:
            wrong.append(a)
    return pd.DataFrame(wrong)


def test_the_rising_reason_is_alerted_within_a_week(
    voice: VoiceOfCustomer, world: tuple[wb.JourneyModel, dict[str, Any]]
) -> None:
    truth = world[1]
    alerts = voice.alerts
    assert not alerts.empty
    # measured: six alerts, every one a reason whose texts in its weeks are mostly logins (two
    # English, two Swedish, one English reason of agents' "ticket created" that logins filled,
    # 15 logins read as Danish), volume from 2026-04-06 (planted) or 2026-03-23 (the Danish 15)
    assert _unplanted(voice, truth).empty, alerts
    start = pd.Timestamp(truth["rising"]["start"])
    biggest = alerts[alerts["extra"] >= 20]
    assert (abs(pd.to_datetime(biggest["from"]) - start) <= pd.Timedelta(days=7)).all(), alerts
    assert set(alerts["where"]) == {truth["rising"]["touchpoint"]}
    assert alerts["team"].isna().all()  # the chat log names no team
    assert (alerts["rate_during"] > 1.5 * alerts["rate_before"]).all()


@pytest.mark.parametrize("seed", [2, 3])
def test_no_reason_is_alerted_because_another_rose(tmp_path: Path, seed: int) -> None:
    # measured with every reason's share of all texts: seed 2 alerted roaming (6.0 % -> 9.8 %,
    # 2026-02-09 to 03-22) and seed 3 refund (5.7 % -> 9.4 %), before the logins rose
    model, truth = _world(tmp_path, seed=seed)
    voice = reasons(model)
    assert not voice.alerts.empty
    assert _unplanted(voice, truth).empty, voice.alerts


def test_the_null_twin_raises_no_alert(tmp_path: Path) -> None:
    model, _ = _world(tmp_path, stories=False)
    assert reasons(model).alerts.empty


def test_without_scores_the_lexicon_is_named_and_not_checked(voice: VoiceOfCustomer) -> None:
    assert voice.sentiment_method.startswith(LEXICON)
    assert voice.agreement["n"] == 0
    assert "cannot be checked" in voice.sentiment_sentence
