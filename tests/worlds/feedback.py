"""A support line whose customers write comments, in Swedish and English, with planted reasons.

One row per event in ``events.csv`` (``event_id``, ``customer_id``, ``journey_id``,
``touchpoint``, ``channel``, ``timestamp``, ``team``, ``agent_note``: a free-text note on the
contacts, ``order_ref``: digits), and one transactional CSAT (1-5) per rated journey in
``surveys.csv`` (``survey_id``, ``customer_id``, ``journey_id``, ``interaction_id``,
``touchpoint``, ``kind``, ``score``, ``timestamp``, ``comment``), about its last contact.

Each journey has one planted reason (``truth["reasons"]``); its comment, about a third of them in
Swedish, says it in varied words, warmer or angrier with the score given. From week 10 (of 16)
the *invoice* reason rises: three times as many journeys and mostly angry ones
(``truth["rising"]``), their Billing calls mostly taken by team *Stockholm 2* (three in four).
A few comments are empty, in German, or hold a phone number, an e-mail
address or a personnummer (``truth["personal"]`` lists them, to prove they are masked).
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.worlds.world import Calendar, Draws

WORLD = "feedback"
START = datetime(2026, 1, 5)
JOURNEYS_PER_WEEK = 160
RISING_WEEK = 10
TEAMS = ["Stockholm 1", "Stockholm 2", "Malmö"]
HOURS = [0, 0, 0, 0, 0, 0, 0, 1, 3, 4, 4, 4, 3, 4, 4, 4, 3, 2, 1, 1, 0, 0, 0, 0]
WEEKDAYS = [5, 5, 5, 5, 4, 1, 1]

# reason: its path (touchpoint, channel), its weight, and how often its customers are unhappy
REASONS: dict[str, tuple[tuple[tuple[str, str], ...], float, float]] = {
    "invoice": ((("View invoice", "web"), ("Billing call", "phone")), 1.0, 0.45),
    "queue": ((("Support call", "phone"),), 1.0, 0.75),
    "transfer": ((("Support call", "phone"), ("Second-line support", "phone")), 1.0, 0.7),
    "app_status": ((("Check status", "app"), ("Support chat", "chat")), 1.0, 0.6),
    "technician": ((("Book technician", "web"), ("Technician visit", "field")), 1.0, 0.55),
    "praise": ((("Support call", "phone"),), 1.2, 0.05),
}
CORE = {
    "invoice": {
        "en": [
            "the invoice was wrong",
            "I was charged twice on my invoice",
            "my invoice is much higher than agreed",
            "the invoice amount makes no sense",
            "a strange fee on the invoice",
            "an invoice for a month I had already paid",
        ],
        "sv": [
            "fakturan var fel",
            "jag blev dubbeldebiterad på fakturan",
            "fakturan är mycket högre än avtalat",
            "fakturans belopp stämmer inte",
            "en konstig avgift på fakturan",
            "en faktura för en månad jag redan betalat",
        ],
    },
    "queue": {
        "en": [
            "I waited almost an hour in the phone queue",
            "the queue was endless",
            "waited forty minutes in the queue before anyone answered",
            "far too long queue on the phone",
            "stuck in the queue for ages",
        ],
        "sv": [
            "jag väntade nästan en timme i telefonkön",
            "kön var oändlig",
            "väntade fyrtio minuter i kön innan någon svarade",
            "alldeles för lång kö i telefon",
            "fastnade i kön en evighet",
        ],
    },
    "transfer": {
        "en": [
            "I was transferred between departments",
            "transferred from one person to another",
            "transferred three times and explained everything again",
            "nobody owned my case, just transferred around",
        ],
        "sv": [
            "jag blev kopplad mellan avdelningar",
            "kopplad från den ena personen till den andra",
            "kopplades vidare tre gånger och fick förklara allt igen",
            "ingen tog ansvar för ärendet, bara kopplad runt",
        ],
    },
    "app_status": {
        "en": [
            "the app showed the wrong status",
            "the app said my fault was fixed but it was not",
            "status in the app never updated",
            "app status was misleading",
        ],
        "sv": [
            "appen visade fel status",
            "appen sa att felet var åtgärdat men det var det inte",
            "statusen i appen uppdaterades aldrig",
            "appens status var missvisande",
        ],
    },
    "technician": {
        "en": [
            "the technician never showed up",
            "the technician came a day late",
            "had to book the technician twice",
            "technician cancelled the appointment",
        ],
        "sv": [
            "teknikern dök aldrig upp",
            "teknikern kom en dag för sent",
            "fick boka teknikern två gånger",
            "teknikern ställde in besöket",
        ],
    },
    "praise": {
        "en": [
            "friendly and helpful staff",
            "the staff were kind and solved it quickly",
            "really helpful staff on the phone",
            "polite staff who knew the answer",
        ],
        "sv": [
            "trevlig och hjälpsam personal",
            "personalen var vänlig och löste det snabbt",
            "riktigt hjälpsam personal i telefon",
            "artig personal som kunde svaret",
        ],
    },
}
MOOD = {
    "en": {
        "neg": ["Terrible.", "Very disappointed,", "Awful service,", "Really annoyed:", ""],
        "neu": ["", "Okay I guess,", "Hmm,"],
        "pos": ["Great!", "Thanks,", "Very happy,", ""],
    },
    "sv": {
        "neg": ["Katastrof.", "Mycket besviken,", "Usel service,", "Riktigt irriterad:", ""],
        "neu": ["", "Okej antar jag,", "Hmm,"],
        "pos": ["Toppen!", "Tack,", "Mycket nöjd,", ""],
    },
}
END = {
    "en": {"neg": [" Not acceptable.", " Never again.", ""], "neu": ["", "."], "pos": ["", " 👍"]},
    "sv": {"neg": [" Inte okej.", " Aldrig mer.", ""], "neu": ["", "."], "pos": ["", " Tack!"]},
}
GERMAN = ["Ich habe sehr lange gewartet und niemand konnte helfen", "Die Rechnung war falsch"]
PERSONAL = [
    "Ring mig på 070-123 45 67 om fakturan",
    "Call me on +46 70 765 43 21 about the bill",
    "Mail anna.svensson@example.se om fakturan, tack",
    "Mitt personnummer är 19850312-1234 och fakturan är fel",
    "My reference is 850312-1234, invoice still wrong",
]
NOTES = ["cust asked about", "caller upset re", "followed up on", "explained", "checked"]
NOTE_TOPICS = ["invoice lines", "queue time", "open ticket", "app status page", "tech booking",
               "fee refund", "contract dates", "payment plan"]  # fmt: skip


def _week_weights(week: int, stories: bool) -> dict[str, float]:
    w = {r: spec[1] for r, spec in REASONS.items()}
    if stories and week >= RISING_WEEK:
        w["invoice"] *= 3.0
    return w


def _comment(d: Draws, reason: str, lang: str, mood: str) -> str:
    core = d.pick(CORE[reason][lang])
    start = d.pick(MOOD[lang][mood])
    text = f"{start} {core}" if start else core[0].upper() + core[1:]
    return (text + d.pick(END[lang][mood])).strip()


def _score(d: Draws, mood: str) -> int:
    return {"neg": d.pick([1, 2, 2]), "neu": 3, "pos": d.pick([4, 5, 5])}[mood]


def generate(out: Path, seed: int, stories: bool = True, weeks: int = 16) -> dict[str, Any]:
    """Write ``events.csv``, ``surveys.csv`` and ``truth.json`` into ``out``; return the truth."""
    d = Draws(WORLD, seed)
    cal = Calendar(START, weeks)
    events: list[list[Any]] = []
    surveys: list[list[Any]] = []
    journey_reason: dict[str, str] = {}
    personal: list[str] = []
    n_ev = n_sv = n_j = 0
    for week in range(weeks):
        weights = _week_weights(week, stories)
        for _ in range(JOURNEYS_PER_WEEK):
            reason = d.pick(list(weights), list(weights.values()))
            n_j += 1
            jid, cid = f"J{n_j:05d}", f"C{1 + int(d.u() * 2500):05d}"
            t = cal.start + timedelta(weeks=week, days=d.pick(range(7), WEEKDAYS))
            t += timedelta(hours=d.pick(range(24), HOURS), seconds=int(d.u() * 3600))
            path, _, unhappy = REASONS[reason]
            if stories and reason == "invoice" and week >= RISING_WEEK:
                unhappy = 0.85
            last = ""
            for tp, channel in path:
                n_ev += 1
                last = f"E{n_ev:06d}"
                contact = channel in ("phone", "chat", "field")
                note = f"{d.pick(NOTES)} {d.pick(NOTE_TOPICS)} #{n_ev}" if contact else ""
                ref = str(100000 + int(d.u() * 900000)) if contact else ""
                busy = stories and reason == "invoice" and week >= RISING_WEEK
                team = d.pick(TEAMS, [1, 6, 1] if busy else None) if contact else ""
                ts = t.strftime("%Y-%m-%d %H:%M:%S")
                events.append([last, cid, jid, tp, channel, ts, team, note, ref])
                t += timedelta(minutes=5 + int(d.u() * 120))
            journey_reason[jid] = reason
            if not d.chance(0.7):
                continue
            u = d.u()
            mood = "neg" if u < unhappy else ("neu" if u < unhappy + 0.15 else "pos")
            lang = "sv" if d.chance(1 / 3) else "en"
            comment = _comment(d, reason, lang, mood)
            if d.chance(0.02):
                comment = d.pick(["", "  ", "-"])
            elif d.chance(0.01):
                comment = d.pick(GERMAN)
            elif d.chance(0.01):
                comment = d.pick(PERSONAL)
                personal.append(comment)
            n_sv += 1
            ts = t.strftime("%Y-%m-%d %H:%M:%S")
            surveys.append(
                [
                    f"S{n_sv:06d}",
                    cid,
                    jid,
                    last,
                    path[-1][0],
                    "csat",
                    _score(d, mood),
                    ts,
                    comment,
                ]
            )
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "events.csv", EVENT_HEADER, events)
    _write(out / "surveys.csv", SURVEY_HEADER, surveys)
    rising = cal.week(RISING_WEEK).date().isoformat()
    truth = {
        "world": WORLD,
        "seed": seed,
        "stories_planted": stories,
        "reasons": journey_reason,
        "rising": {
            "reason": "invoice",
            "start": rising,
            "touchpoint": "Billing call",
            "team": "Stockholm 2",
        }
        if stories
        else None,
        "personal": personal,
        "text_column": "agent_note",
        "numeric_column": "order_ref",
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False))
    return truth


EVENT_HEADER = ["event_id", "customer_id", "journey_id", "touchpoint", "channel", "timestamp",
                "team", "agent_note", "order_ref"]  # fmt: skip
SURVEY_HEADER = ["survey_id", "customer_id", "journey_id", "interaction_id", "touchpoint", "kind",
                 "score", "timestamp", "comment"]  # fmt: skip


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
