"""A web shop's chat desk whose agents write a short summary of each chat: terse, with typos,
and often in two languages at once (Swedish and English in one line).

One row per event in ``events.csv`` (``conversation_id``, ``customer_id``, ``step``,
``timestamp``, ``channel``, ``queue``, ``summary``): each chat starts (``Chat started``), may
pass the bot (``Bot``) and an order lookup (``Order lookup``), and ends with an agent (``Agent
chat``), whose event carries the agent's summary. There are no surveys: no score comes with a
text, so sentiment can only come from a lexicon.

Each chat has one planted reason (``truth["reasons"]``: conversation id -> reason). Its summary
is an opener, the reason's issue and what the agent did, written in Swedish (two in five) or
English, each part switching to the other language one time in seven (``truth["mixed"]`` counts
the summaries holding both), with a typo in about one word of twelve. From week 9 (of 16) the
*login* reason rises: BankID logins fail, and three and a half times as many chats are about it
(``truth["rising"]``); absent in the null twin.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.worlds.world import Calendar, Draws

WORLD = "chat"
START = datetime(2026, 2, 2)
CHATS_PER_WEEK = 220
RISING_WEEK = 9
RISE = 3.5
SWEDISH = 0.4  # the chance an agent writes a summary in Swedish ...
SWITCH = 0.15  # ... and that each part of it is in the other language
TYPO = 1 / 12  # the chance a word has a typo
HOURS = [0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 1, 0]

# reason: its queue, whether the agent looks the order up, its weight
REASONS: dict[str, tuple[str, bool, float]] = {
    "login": ("account", False, 1.0),
    "delivery": ("orders", True, 1.4),
    "refund": ("orders", True, 1.0),
    "plan": ("sales", False, 0.9),
    "roaming": ("technical", False, 0.8),
}
ISSUE = {
    "login": {
        "en": ["cant log in", "login fails with bankid", "bankid login not working",
               "locked out of account after login"],
        "sv": ["kan inte logga in", "inloggning med bankid funkar inte",
               "bankid inloggning strular", "utelåst från kontot vid inloggning"],
    },
    "delivery": {
        "en": ["package not delivered", "order still not delivered", "delivery late again",
               "tracking shows nothing for the package"],
        "sv": ["paketet har inte kommit", "leveransen har inte kommit fram",
               "leveransen är sen igen", "spårningen visar inget på paketet"],
    },
    "refund": {
        "en": ["wants refund for return", "refund not received after return",
               "return sent but no refund"],
        "sv": ["vill ha återbetalning för returen", "återbetalning saknas efter retur",
               "returen skickad men ingen återbetalning"],
    },
    "plan": {
        "en": ["wants to upgrade subscription plan", "change plan to bigger subscription",
               "asked about subscription plan prices"],
        "sv": ["vill uppgradera abonnemanget", "byta till större abonnemang",
               "frågade om priser på abonnemanget"],
    },
    "roaming": {
        "en": ["roaming not working abroad", "no mobile data abroad roaming",
               "roaming charges too high abroad"],
        "sv": ["roaming funkar inte utomlands", "ingen mobildata utomlands roaming",
               "för dyr roaming utomlands"],
    },
}  # fmt: skip
OPENER = {"en": ["cust", "customer", "caller says", "c/o"], "sv": ["kund", "kunden", "kund säger"]}
CLOSER = {
    "en": ["solved", "ticket created", "escalated to l2", "sent link", "asked to wait 24h", ""],
    "sv": ["löst", "ärende skapat", "eskalerat", "skickade länk", "bad kund vänta 24h", ""],
}


def _typo(d: Draws, word: str) -> str:
    """``word`` with two letters swapped, one dropped or one doubled."""
    if len(word) < 4:
        return word
    i = 1 + int(d.u() * (len(word) - 2))
    kind = d.pick(["swap", "drop", "double"])
    if kind == "swap":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _summary(d: Draws, reason: str) -> tuple[str, bool]:
    """A summary of a chat about ``reason``, and whether it mixes the two languages."""
    main, other = ("sv", "en") if d.chance(SWEDISH) else ("en", "sv")
    langs = [other if d.chance(SWITCH) else main for _ in range(3)]
    parts = [d.pick(OPENER[langs[0]]), d.pick(ISSUE[reason][langs[1]]), d.pick(CLOSER[langs[2]])]
    words = " ".join(p for p in parts if p).split()
    text = " ".join(_typo(d, w) if d.chance(TYPO) else w for w in words)
    mixed = len(set(langs if parts[2] else langs[:2])) > 1
    return (text.replace(" solved", ", solved").replace(" löst", ", löst"), mixed)


def generate(out: Path, seed: int, stories: bool = True, weeks: int = 16) -> dict[str, Any]:
    """Write ``events.csv`` and ``truth.json`` into ``out``; return the truth."""
    d = Draws(WORLD, seed)
    cal = Calendar(START, weeks)
    events: list[list[Any]] = []
    chat_reason: dict[str, str] = {}
    mixed = 0
    for week in range(weeks):
        weights = {r: spec[2] for r, spec in REASONS.items()}
        if stories and week >= RISING_WEEK:
            weights["login"] *= RISE
        for _ in range(CHATS_PER_WEEK):
            reason = d.pick(list(weights), list(weights.values()))
            conversation = f"CH{len(chat_reason) + 1:06d}"
            customer = f"K{1 + int(d.u() * 3000):05d}"
            t = cal.start + timedelta(weeks=week, days=int(d.u() * 7))
            t += timedelta(hours=d.pick(range(24), HOURS), seconds=int(d.u() * 3600))
            queue, lookup, _ = REASONS[reason]
            steps = ["Chat started", *(["Bot"] if d.chance(0.6) else [])]
            steps += [*(["Order lookup"] if lookup else []), "Agent chat"]
            for step in steps:
                text = ""
                if step == "Agent chat":
                    text, both = _summary(d, reason)
                    mixed += both
                ts = t.strftime("%Y-%m-%d %H:%M:%S")
                events.append([conversation, customer, step, ts, "chat", queue, text])
                t += timedelta(minutes=1 + int(d.u() * 15))
            chat_reason[conversation] = reason
    out.mkdir(parents=True, exist_ok=True)
    with (out / "events.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(EVENT_HEADER)
        w.writerows(events)
    truth = {
        "world": WORLD,
        "seed": seed,
        "stories_planted": stories,
        "reasons": chat_reason,
        "mixed": mixed,
        "rising": {
            "reason": "login",
            "start": cal.week(RISING_WEEK).date().isoformat(),
            "touchpoint": "Agent chat",
        }
        if stories
        else None,
        "text_column": "summary",
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False))
    return truth


EVENT_HEADER = ["conversation_id", "customer_id", "step", "timestamp", "channel", "queue",
                "summary"]  # fmt: skip
