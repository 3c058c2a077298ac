"""Generate the Journey Workbench sample data: a Nordic telecom's customers over six months.

The generator is seeded and deterministic: the same ``--seed``, ``--events``, ``--placement`` and
``--driver`` always give the same files. It writes three tables and the ground truth of the
stories it planted:

- ``events``    one row per interaction (web, app, IVR, phone, chat, e-mail, SMS, store)
- ``surveys``   transactional CSAT (1-5) and CES (1-7, 7 = very easy) after agent interactions,
                journey CSAT at the end of some journeys, and NPS (0-10) per customer
- ``customers`` segment, region, plan, tenure, monthly revenue, churned flag
- ``truth.json`` where each planted story sits (touchpoint, queue, team, period, device)

Usage::

    python sample_data/generate.py --events 30000 --seed 7 --out sample_data
    python sample_data/generate.py --events 10000000 --seed 1 --out /tmp/big --format parquet
    python sample_data/generate.py --events 30000 --seed 11 --placement random --out /tmp/other
    python sample_data/generate.py --seed 3 --stories none --driver none --out /tmp/calm

``--placement random`` moves every story to another touchpoint, queue, team, device and period
drawn from the seed. ``--driver`` decides what loyalty (NPS, churn, revenue) depends on: the
effort of whole journeys (``journey``, the default), the experience of single interactions
(``touchpoint``), or nothing (``none``). ``--stories none`` plants no friction at all.

Customers are generated in chunks, so memory stays flat however many events are asked for.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

START = datetime(2026, 3, 2)  # a Monday
WEEKS = 26
EVENTS_PER_CUSTOMER = 10.5  # measured on the default mix; used to size the customer base
CHUNK_CUSTOMERS = 20_000

# Phone lines: queue -> (touchpoint, teams, median wait in seconds)
LINES: dict[str, tuple[str, tuple[str, ...], float]] = {
    "sales": ("Sales call", ("Sales",), 70.0),
    "billing": ("Billing call", ("Billing 1", "Billing 2"), 110.0),
    "technical": ("Support call", ("Tech Support A", "Tech Support B", "Tech Support C"), 130.0),
    "moving": ("Moving call", ("Moving",), 120.0),
    "retention": ("Cancellation call", ("Retention",), 80.0),
    "second_line": ("Second-line transfer", ("Second line",), 200.0),
}
LINE_JOURNEY = {
    "sales": "buy_subscription",
    "billing": "billing_question",
    "technical": "fault_report",
    "moving": "move_house",
    "retention": "cancel",
    "second_line": "",
}
TEAM_SIZE = {
    "Sales": 10,
    "Billing 1": 12,
    "Billing 2": 12,
    "Tech Support A": 12,
    "Tech Support B": 12,
    "Tech Support C": 12,
    "Moving": 8,
    "Retention": 6,
    "Second line": 6,
    "Chat": 10,
    "Store": 14,
}
JOURNEY_MIX = {
    "usage_check": 0.07,
    "buy_subscription": 0.16,
    "move_house": 0.15,
    "billing_question": 0.28,
    "fault_report": 0.26,
    "cancel": 0.08,
}
GOALS = {
    "usage_check": ("View usage",),
    "buy_subscription": ("Activate SIM",),
    "move_house": ("Moving confirmed",),
    "billing_question": ("Pay invoice",),
    "fault_report": ("Fault resolved",),
    "cancel": ("Cancellation confirmed", "Offer accepted"),
}
LOOP_SITES = (  # (journey type, app touchpoint, phone line) where an app <-> phone loop can sit
    ("fault_report", "Check fault status", "technical"),
    ("billing_question", "View invoice", "billing"),
    ("buy_subscription", "Order status", "sales"),
)
TEAMS_WITH_VOLUME = ("Tech Support A", "Tech Support B", "Tech Support C", "Billing 1", "Billing 2")
SEGMENTS = (("Consumer", 0.62), ("Business", 0.14), ("Youth", 0.12), ("Senior", 0.12))
REGIONS = ("Oslo", "Bergen", "Stockholm", "Gothenburg", "Helsinki", "Copenhagen", "Aarhus")
PLANS = (
    ("Mobile S", 0.25, 19.0),
    ("Mobile M", 0.3, 29.0),
    ("Mobile L", 0.15, 42.0),
    ("Broadband", 0.15, 45.0),
    ("Bundle", 0.15, 69.0),
)
DEVICES = (("android", 0.53), ("ios", 0.47))  # the phone each customer runs the app on
# Survey comments: each planted reason in English and Swedish, tied to what happened (see
# _Voice). Each reason has its own words, so a reader can tell them apart.
REASON_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "transfer": {
        "en": (
            "I was transferred to another department",
            "transferred twice and had to explain everything from the start",
            "they transferred me to second line",
            "got transferred around between people",
            "transferred and had to start over",
        ),
        "sv": (
            "jag blev kopplad till en annan avdelning",
            "blev kopplad vidare två gånger och fick förklara allt igen",
            "blev kopplad till andra linjen",
            "blev kopplad runt mellan olika personer",
            "blev kopplad vidare och fick börja om",
        ),
    },
    "queue": {
        "en": (
            "waited far too long in the phone queue",
            "the queue on the phone was endless",
            "twenty minutes in the queue before I got through",
            "stuck in the queue for ages",
            "the phone queue is far too long",
        ),
        "sv": (
            "väntade alldeles för länge i kön",
            "kön i telefon var oändlig",
            "tjugo minuter i kön innan jag kom fram",
            "fastnade i kön en evighet",
            "kön är alldeles för lång",
        ),
    },
    "app_status": {
        "en": (
            "the app showed the wrong fault status",
            "the app status said my fault was repaired but it was not",
            "fault status in the app never updated",
            "the app status was wrong for days",
            "the status in the app keeps saying the fault is open",
        ),
        "sv": (
            "appen visade fel status på felanmälan",
            "statusen i appen sa att felet var åtgärdat men det var det inte",
            "statusen i appen uppdaterades aldrig",
            "fel status i appen i flera dagar",
            "appen visar fortfarande status öppet på felet",
        ),
    },
    "not_solved": {
        "en": (
            "my problem is still not solved",
            "the problem was not solved",
            "they promised to solve it but nothing happened",
            "still not solved a week later",
            "nobody solved my problem",
        ),
        "sv": (
            "mitt problem är fortfarande inte löst",
            "problemet löstes inte",
            "de lovade att lösa det men inget hände",
            "fortfarande inte löst efter en vecka",
            "ingen löste mitt problem",
        ),
    },
    "fee": {
        "en": (
            "a new fee appeared on my invoice",
            "why is there a new fee on the invoice now",
            "the new monthly fee was never announced",
            "charged a fee I never agreed to",
            "the fee on the invoice went up without warning",
        ),
        "sv": (
            "en ny avgift dök upp på fakturan",
            "varför finns det en ny avgift på fakturan nu",
            "den nya avgiften per månad aviserades aldrig",
            "debiterad en avgift jag aldrig godkänt",
            "avgiften på fakturan höjdes utan förvarning",
        ),
    },
    "staff": {
        "en": (
            "friendly and helpful staff",
            "the staff were kind and helpful",
            "really helpful staff",
            "polite and friendly staff",
        ),
        "sv": (
            "trevlig och hjälpsam personal",
            "personalen var trevlig och hjälpsam",
            "riktigt hjälpsam personal",
            "artig och trevlig personal",
        ),
    },
    "online": {
        "en": (
            "easy to sort out online",
            "everything was easy online",
            "simple and easy online",
            "quick and easy to do online",
        ),
        "sv": (
            "enkelt att ordna på nätet",
            "allt var enkelt på nätet",
            "smidigt och enkelt på nätet",
            "snabbt och enkelt att göra på nätet",
        ),
    },
}
#: The planted story each reason comes from (None: the customers' general experience).
REASON_STORIES = {
    "transfer": "transfer_crisis",
    "queue": "long_queue",
    "app_status": "app_phone_loop",
    "not_solved": "low_resolution_team",
    "fee": "rising_fee",
    "staff": None,
    "online": None,
}
MOOD_TEXTS = {
    "en": {
        "negative": ("Terrible.", "Very disappointed,", "Awful service,", "Really annoyed:",
                     "Not good enough,", "Bad experience,", "Unacceptable:", "", "", "", ""),
        "neutral": ("", "", "", "", "Okay I guess,", "Hmm,", "It was fine, but", "So-so,",
                    "Meh,", "Well,"),
        "positive": ("Great!", "Thanks,", "Very happy,", "Excellent,", "", ""),
    },
    "sv": {
        "negative": ("Katastrof.", "Mycket besviken,", "Usel service,", "Riktigt irriterad:",
                     "Inte bra nog,", "Dålig upplevelse,", "Oacceptabelt:", "", "", "", ""),
        "neutral": ("", "", "", "", "Okej antar jag,", "Hmm,", "Det var okej, men", "Sådär,",
                    "Nja,", "Tja,"),
        "positive": ("Toppen!", "Tack,", "Mycket nöjd,", "Utmärkt,", "", ""),
    },
}  # fmt: skip
MOOD_ENDINGS = {
    "en": {"negative": (" Not acceptable.", " Never again.", "!", "", ""), "neutral": ("", "."),
           "positive": ("", " Thanks!", " 👍")},
    "sv": {"negative": (" Inte okej.", " Aldrig mer.", "!", "", ""), "neutral": ("", "."),
           "positive": ("", " Tack!", " 👍")},
}  # fmt: skip
#: How often a customer writes a comment with a CSAT or NPS score, by how they felt.
COMMENT_CHANCE = {"negative": 0.95, "neutral": 0.7, "positive": 0.08}
SWEDISH_SHARE = 1 / 3


@dataclass(frozen=True)
class Placement:
    """Where each planted story sits; written to ``truth.json``."""

    transfer_line: str = "moving"
    transfer_start_week: int = 9
    transfer_weeks: int = 8
    long_queue_line: str = "billing"
    long_queue_factor: float = 6.5
    loop_site: tuple[str, str, str] = LOOP_SITES[0]
    loop_device: str = "android"
    low_team: str = "Tech Support B"
    stories: bool = True
    fee_start_week: int = 19

    @classmethod
    def random(cls, rng: np.random.Generator, stories: bool = True) -> Placement:
        """A placement drawn from ``rng`` in which every story sits somewhere else than in the
        canonical one: another line, queue, loop site, team and period."""
        canon = cls()
        transfer_line = str(
            rng.choice([q for q in ("moving", "technical", "billing") if q != canon.transfer_line])
        )
        queue_choices = [
            q
            for q in ("billing", "technical", "moving", "sales", "retention")
            if q not in (transfer_line, canon.long_queue_line)
        ]
        sites = [s for s in LOOP_SITES if s != canon.loop_site]
        loop_site = sites[int(rng.integers(len(sites)))]
        team_choices = [
            t for t in TEAMS_WITH_VOLUME if t not in LINES[loop_site[2]][1] and t != canon.low_team
        ]
        start_weeks = [w for w in range(4, 17) if abs(w - canon.transfer_start_week) >= 3]
        return cls(
            transfer_line=transfer_line,
            transfer_start_week=int(rng.choice(start_weeks)),
            transfer_weeks=int(rng.integers(6, 10)),
            long_queue_line=str(rng.choice(queue_choices)),
            loop_site=loop_site,
            loop_device=str(rng.choice(["android", "ios"])),
            low_team=str(rng.choice(team_choices)),
            stories=stories,
            fee_start_week=int(rng.choice([w for w in range(10, 23) if w != canon.fee_start_week])),
        )

    @property
    def transfer_start(self) -> datetime:
        return START + timedelta(weeks=self.transfer_start_week)

    @property
    def transfer_end(self) -> datetime:
        return self.transfer_start + timedelta(weeks=self.transfer_weeks)

    @property
    def fee_start(self) -> datetime:
        return START + timedelta(weeks=self.fee_start_week)

    def truth(self) -> dict[str, Any]:
        if not self.stories:
            return {}
        line_tp, _line_teams, base_wait = LINES[self.long_queue_line]
        loop_type, loop_app, loop_line = self.loop_site
        low_line = next(q for q, (_, teams, _) in LINES.items() if self.low_team in teams)
        return {
            "transfer_crisis": {
                "touchpoint": LINES[self.transfer_line][0],
                "queue": self.transfer_line,
                "journey_type": LINE_JOURNEY[self.transfer_line],
                "transfer_touchpoint": LINES["second_line"][0],
                "attribute": "transferred",
                "start": self.transfer_start.date().isoformat(),
                "end": self.transfer_end.date().isoformat(),
                "transfer_rate_in_period": 0.7,
                "transfer_rate_otherwise": 0.06,
            },
            "long_queue": {
                "queue": self.long_queue_line,
                "touchpoint": line_tp,
                "journey_type": LINE_JOURNEY[self.long_queue_line],
                "median_wait_seconds": round(base_wait * self.long_queue_factor),
                "median_wait_seconds_elsewhere": "70-200",
            },
            "app_phone_loop": {
                "journey_type": loop_type,
                "app_touchpoint": loop_app,
                "phone_touchpoint": LINES[loop_line][0],
                "device": self.loop_device,
                "check_probability_on_device": 0.9,
                "check_probability_otherwise": 0.25,
                "call_again_probability_on_device": 0.55,
                "call_again_probability_otherwise": 0.08,
            },
            "low_resolution_team": {
                "team": self.low_team,
                "touchpoint": LINES[low_line][0],
                "resolution_rate": 0.45,
                "resolution_rate_other_teams": 0.86,
            },
            "rising_fee": {
                "reason": "fee",
                "journey_type": "billing_question",
                "touchpoint": LINES["billing"][0],
                "start": self.fee_start.date().isoformat(),
                "what": "a new fee on the invoice: from this week most unhappy billing "
                "customers, and some others, write about it",
            },
        }


class _Draws:
    """Uniform and normal draws from numpy, handed out one at a time without per-call overhead."""

    def __init__(self, rng: np.random.Generator, block: int = 1 << 18) -> None:
        self._rng = rng
        self._block = block
        self._u: list[float] = []
        self._n: list[float] = []

    def u(self) -> float:
        if not self._u:
            self._u = self._rng.random(self._block).tolist()
        return self._u.pop()

    def normal(self) -> float:
        if not self._n:
            self._n = self._rng.standard_normal(self._block).tolist()
        return self._n.pop()

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.normal())

    def choice(self, items: tuple[Any, ...] | list[Any], cum: list[float] | None = None) -> Any:
        if cum is None:
            return items[int(self.u() * len(items))]
        return items[bisect.bisect_right(cum, self.u() * cum[-1])]


def _cum(weights: tuple[float, ...] | list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


@dataclass
class _Journey:
    """Events and experience of one journey while it is being simulated."""

    jid: str
    jtype: str
    customer: int
    device: str
    t: datetime
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    contacts: int = 0
    unresolved: int = 0
    transfers: int = 0
    wait_min: float = 0.0
    loops: int = 0
    score: float = 0.0
    interactions: list[tuple[str, float, str, datetime]] = field(default_factory=list)


def _feeling(kind: str, score: int) -> str | None:
    """How a customer felt, read from the score they gave (CSAT 1-2, 3, 4-5; NPS 0-6, 7-8,
    9-10); None for scores no comment is asked with."""
    low, high = {"csat": (2, 4), "nps": (6, 9)}.get(kind, (None, None))
    if low is None or high is None:
        return None
    return "negative" if score <= low else ("positive" if score >= high else "neutral")


class _Voice:
    """Survey comments, written from their own random stream, so a seed's events, scores and
    every other draw stay the same whatever the comments say.

    A customer who gives a CSAT or NPS score sometimes writes a line, in English or (a third of
    them) Swedish, about what happened to them: a transfer, a long wait in the queue, the app's
    wrong fault status, a problem left unsolved, an agent with no answer; happy customers praise
    the staff or the online service. From the planted week a new fee on the invoice is what
    most unhappy billing customers write about (and some others).
    """

    def __init__(self, seed: int, placement: Placement) -> None:
        self.d = _Draws(np.random.default_rng([seed, 7]), block=1 << 14)
        self.p = placement
        self.written: dict[str, dict[str, int]] = {r: {"en": 0, "sv": 0} for r in REASON_TEXTS}

    def comment(self, kind: str, score: int, j: _Journey | None, eid: str | None) -> str | None:
        """The comment written with a score about journey ``j`` (contact ``eid``), or None."""
        feeling = _feeling(kind, score)
        if j is None or feeling is None or self.d.u() >= COMMENT_CHANCE[feeling]:
            return None
        reason = self._reason(feeling, j, eid)
        lang = "sv" if self.d.u() < SWEDISH_SHARE else "en"
        self.written[reason][lang] += 1
        core = self.d.choice(REASON_TEXTS[reason][lang])
        start = self.d.choice(MOOD_TEXTS[lang][feeling])
        text = f"{start} {core}" if start else core[0].upper() + core[1:]
        return (text + self.d.choice(MOOD_ENDINGS[lang][feeling])).strip()

    def _reason(self, feeling: str, j: _Journey, eid: str | None) -> str:
        happened = {r: w for r, w in self._what_happened(j, eid).items() if w > 0}
        rising = self.p.stories and j.t >= self.p.fee_start
        if rising and feeling != "positive":
            happened["fee"] = 6.0 if j.jtype == "billing_question" else 0.5
        mention = {"negative": 1.0, "neutral": 0.8, "positive": 0.5}[feeling]
        if not happened or self.d.u() >= mention:
            if feeling == "negative":
                happened = {"not_solved": 1.0, "fee": 0.1}
            else:
                return "staff" if j.contacts and self.d.u() < 0.85 else "online"
        names = list(happened)
        return str(self.d.choice(names, _cum([happened[r] for r in names])))

    def _what_happened(self, j: _Journey, eid: str | None) -> dict[str, float]:
        """What a customer might write about, weighed by what happened: in the contact rated,
        or (for a journey's CSAT and NPS) in the whole journey."""
        row = next((r for r in j.rows if r[0] == eid), None) if eid else None
        if row is None:
            return {
                "transfer": 3.0 * (j.transfers > 0),
                "queue": 3.0 * (j.wait_min > 12),
                "app_status": 4.0 * (j.loops > 0),
                "not_solved": 2.0 * (j.unresolved > 0),
            }
        team, wait, transferred, resolved = row[10], row[11] or 0, row[13], row[14]
        return {
            "transfer": 4.0 * bool(transferred),
            "queue": 4.0 * (wait > 480),
            "app_status": 4.0 * (j.loops > 0),
            "not_solved": (4.0 if team == self.p.low_team else 2.0) * (not resolved),
        }

    def truth(self) -> dict[str, Any]:
        """Where the comments' planted reasons come from, and how many were written."""
        return {
            "languages": {
                lang: sum(n[lang] for n in self.written.values()) for lang in ("en", "sv")
            },
            "reasons": {
                r: {"story": REASON_STORIES[r], "texts": n, "example": REASON_TEXTS[r]["en"][0]}
                for r, n in self.written.items()
            },
        }


class Generator:
    """Simulates customers and their journeys; see the module docstring."""

    def __init__(self, seed: int, placement: Placement, driver: str) -> None:
        self.rng = np.random.default_rng(seed)
        self.d = _Draws(self.rng)
        self.p = placement
        self.driver = driver
        self.agents = {
            team: [f"A{100 + i * 20 + k:03d}" for k in range(n)]
            for i, (team, n) in enumerate(TEAM_SIZE.items())
        }
        self.agent_skill = {a: 0.25 * self.d.normal() for ag in self.agents.values() for a in ag}
        self.event_no = 0
        self.journey_no = 0
        self.survey_no = 0
        self.mix = list(JOURNEY_MIX)
        self.mix_cum = _cum(list(JOURNEY_MIX.values()))
        self.dev_cum = _cum([w for _, w in DEVICES])
        self.voice = _Voice(seed, placement)

    # -- event helpers -----------------------------------------------------------------------
    def _emit(
        self,
        j: _Journey,
        touchpoint: str,
        channel: str,
        *,
        queue: str | None = None,
        agent: str | None = None,
        team: str | None = None,
        wait: float | None = None,
        handling: float | None = None,
        transferred: bool | None = None,
        resolved: bool | None = None,
    ) -> str:
        self.event_no += 1
        eid = f"E{self.event_no:08d}"
        device = None
        if channel == "app":
            device = j.device
        elif channel == "web":
            device = "desktop" if self.d.u() < 0.6 else "mobile_web"
        j.rows.append(
            (
                eid,
                f"C{j.customer:07d}",
                j.jid,
                j.jtype,
                touchpoint,
                channel,
                j.t.strftime("%Y-%m-%d %H:%M:%S"),
                device,
                queue,
                agent,
                team,
                None if wait is None else round(wait),
                None if handling is None else round(handling),
                transferred,
                resolved,
            )
        )
        return eid

    def _step(self, j: _Journey, tp: str, channel: str, gap_min: float = 2.0) -> None:
        self._emit(j, tp, channel)
        j.t += timedelta(minutes=gap_min * (0.5 + self.d.u()))

    def _later(self, j: _Journey, days_lo: float, days_hi: float) -> None:
        """Move on by some days, into opening hours (08-20), never backwards."""
        j.t += timedelta(days=days_lo + (days_hi - days_lo) * self.d.u())
        if j.t.hour >= 20:
            j.t += timedelta(days=1)
        if j.t.hour < 8 or j.t.hour >= 20:
            j.t = j.t.replace(hour=8 + int(11 * self.d.u()), minute=int(60 * self.d.u()))

    def _in_transfer_period(self, j: _Journey) -> bool:
        return self.p.stories and self.p.transfer_start <= j.t < self.p.transfer_end

    def _agent_contact(
        self,
        j: _Journey,
        touchpoint: str,
        channel: str,
        team: str,
        queue: str | None,
        wait: float,
        resolve_p: float,
        transfer_p: float = 0.0,
    ) -> bool:
        agent = self.d.choice(self.agents[team])
        handling = self.d.lognormal(900 if channel == "store" else 330, 0.5)
        transferred = self.d.u() < transfer_p
        resolved = (not transferred) and self.d.u() < resolve_p + 0.1 * self.agent_skill[agent]
        eid = self._emit(
            j,
            touchpoint,
            channel,
            queue=queue,
            agent=agent,
            team=team,
            wait=wait,
            handling=handling,
            transferred=transferred,
            resolved=resolved,
        )
        j.contacts += 1
        j.wait_min += wait / 60.0
        x = (
            0.7
            - 0.05 * wait / 60.0
            - 0.8 * transferred
            - 0.9 * (not resolved)
            + self.agent_skill[agent]
            + 0.5 * self.d.normal()
        )
        j.interactions.append((eid, x, touchpoint, j.t))
        j.t += timedelta(seconds=wait + handling)
        if transferred:
            j.transfers += 1
            resolved = self._call(j, "second_line", resolve_p=0.75)
        if not resolved:
            j.unresolved += 1
        return resolved

    def _call(
        self, j: _Journey, line: str, resolve_p: float = 0.86, with_ivr: bool = False
    ) -> bool:
        touchpoint, teams, median_wait = LINES[line]
        if with_ivr:
            self._emit(j, "IVR menu", "ivr", queue=line)
            j.t += timedelta(seconds=40 + 60 * self.d.u())
        if self.p.stories and line == self.p.long_queue_line:
            median_wait *= self.p.long_queue_factor
        wait = self.d.lognormal(median_wait, 0.55)
        team = self.d.choice(teams)
        if self.p.stories and team == self.p.low_team:
            resolve_p = 0.45
        transfer_p = 0.0
        if line in ("moving", "technical", "billing"):
            transfer_p = 0.06
            if line == self.p.transfer_line and self._in_transfer_period(j):
                transfer_p = 0.7
        return self._agent_contact(j, touchpoint, "phone", team, line, wait, resolve_p, transfer_p)

    def _serve(self, j: _Journey, line: str, first_with_ivr: bool = True) -> bool:
        """Contact the company until resolved or the customer gives up (max 3 repeats)."""
        if self._call(j, line, with_ivr=first_with_ivr):
            return True
        for _ in range(3):
            self._later(j, 0.3, 3.0)
            r = self.d.u()
            if r < 0.62:
                ok = self._call(j, line, with_ivr=True)
            elif r < 0.85:
                ok = self._agent_contact(
                    j, "Support chat", "chat", "Chat", None, self.d.lognormal(45, 0.5), 0.8
                )
            else:
                ok = self._agent_contact(
                    j, "Store visit", "store", "Store", None, self.d.lognormal(300, 0.6), 0.85
                )
            if ok:
                return True
            if self.d.u() < 0.25:
                return False
        return False

    def _loop(self, j: _Journey, site_type: str, app_tp: str, line: str) -> bool:
        """Checking the app after a call, and calling again; False if the customer gives up.

        Normally a quarter of customers check the app afterwards and few of them call again.
        At the planted site, on the planted device, the app shows a wrong status: nearly
        everyone checks, and more than half call again, round and round.
        """
        planted = self.p.stories and self.p.loop_site == (site_type, app_tp, line)
        on_device = planted and j.device == self.p.loop_device
        p_check, p_call = (0.9, 0.55) if on_device else (0.25, 0.08)
        for _ in range(4):
            if self.d.u() >= p_check:
                return True
            self._later(j, 0.1, 1.5)
            self._step(j, "Log in", "app", 0.5)
            self._step(j, app_tp, "app", 1.5)
            if self.d.u() >= p_call:
                return True
            j.loops += 1
            if not self._serve(j, line):
                return False
        return True

    # -- journey types -------------------------------------------------------------------------
    def usage_check(self, j: _Journey) -> bool:
        self._step(j, "Log in", "app", 0.5)
        self._step(j, "View usage", "app", 2)
        if self.d.u() < 0.3:
            self._step(j, "Change add-on", "app", 2)
        return True

    def buy_subscription(self, j: _Journey) -> bool:
        self._step(j, "Browse plans", "web", 3)
        if self.d.u() < 0.7:
            self._step(j, "Compare plans", "web", 4)
        if self.d.u() < 0.08:
            self._agent_contact(
                j, "Sales chat", "chat", "Chat", None, self.d.lognormal(40, 0.5), 0.9
            )
            j.t += timedelta(minutes=5)
        if self.d.u() < 0.12:
            return False  # left without buying
        if self.d.u() < 0.7:
            self._step(j, "Order online", "web", 3)
        else:
            self._later(j, 0.5, 4)
            self._agent_contact(
                j, "Store visit", "store", "Store", None, self.d.lognormal(300, 0.6), 0.95
            )
        self._step(j, "Order confirmation", "email", 5)
        if not self._loop(j, "buy_subscription", "Order status", "sales"):
            return False
        self._later(j, 1, 3)
        self._step(j, "SIM delivered", "sms", 60)
        if self.d.u() < 0.05:
            return False
        self._step(j, "Log in", "app", 0.5)
        self._step(j, "Activate SIM", "app", 2)
        return True

    def move_house(self, j: _Journey) -> bool:
        self._step(j, "Log in", "web", 0.5)
        self._step(j, "Moving form", "web", 6)
        if self.d.u() < 0.3:  # the form is enough
            self._later(j, 1, 5)
            self._step(j, "Moving confirmed", "email", 1)
            return True
        if not self._serve(j, "moving"):
            return False
        if self.d.u() < 0.5:
            self._later(j, 0.2, 1)
            self._step(j, "Technician booked", "sms", 10)
        self._later(j, 1, 5)
        self._step(j, "Moving confirmed", "email", 1)
        return True

    def billing_question(self, j: _Journey) -> bool:
        self._step(j, "Log in", "app", 0.5)
        self._step(j, "View invoice", "app", 2)
        if self.d.u() < 0.55:  # the invoice is clear
            self._step(j, "Pay invoice", "app", 1)
            return True
        if self.d.u() < 0.5:
            self._step(j, "Billing FAQ", "web", 4)
            if self.d.u() < 0.4:
                self._step(j, "Pay invoice", "app", 1)
                return True
        if self.d.u() < 0.06:
            return False
        if not self._serve(j, "billing"):
            return False
        if self.d.u() < 0.4:
            self._later(j, 0.1, 1)
            self._step(j, "Credit note", "email", 30)
        if not self._loop(j, "billing_question", "View invoice", "billing"):
            return False
        self._later(j, 0.2, 4)
        self._step(j, "Log in", "app", 0.5)
        self._step(j, "Pay invoice", "app", 1)
        return True

    def fault_report(self, j: _Journey) -> bool:
        self._step(j, "Log in", "app", 0.5)
        self._step(j, "Troubleshoot", "app", 6)
        if self.d.u() < 0.3:
            self._step(j, "Fault resolved", "sms", 1)
            return True
        self._step(j, "Fault report", "app", 3)
        if self.d.u() < 0.55:  # the report is enough: a technician is sent
            self._later(j, 0.1, 1)
            self._step(j, "Technician booked", "sms", 10)
            self._later(j, 1, 4)
            self._step(j, "Fault resolved", "sms", 1)
            return True
        if not self._serve(j, "technical"):
            return False
        if not self._loop(j, "fault_report", "Check fault status", "technical"):
            return False
        if self.d.u() < 0.4:
            self._later(j, 0.1, 1)
            self._step(j, "Technician booked", "sms", 10)
            self._later(j, 1, 4)
        self._step(j, "Fault resolved", "sms", 1)
        return True

    def cancel(self, j: _Journey) -> bool:
        self._step(j, "Cancellation page", "web", 3)
        if self.d.u() < 0.45:  # cancelled online
            self._step(j, "Cancellation confirmed", "email", 5)
            return True
        if not self._serve(j, "retention"):
            return False
        self._step(j, "Retention offer", "email", 60)
        self._later(j, 0.5, 5)
        if self.d.u() < 0.35:
            self._step(j, "Offer accepted", "web", 1)
        else:
            self._step(j, "Cancellation confirmed", "email", 1)
        return True

    # -- customers -----------------------------------------------------------------------------
    def chunk(self, first_customer: int, n: int) -> tuple[pa.Table, pa.Table, pa.Table]:
        """Simulate customers ``first_customer .. first_customer + n - 1``."""
        rng, d = self.rng, self.d
        seg_names = [s for s, _ in SEGMENTS]
        segs = rng.choice(len(SEGMENTS), size=n, p=[w for _, w in SEGMENTS])
        plans = rng.choice(len(PLANS), size=n, p=[w for _, w, _ in PLANS])
        regions = rng.integers(len(REGIONS), size=n)
        tenure = np.clip(rng.gamma(1.6, 22, size=n), 0, 240).astype(int)
        acq = rng.choice(["web", "store", "partner", "phone"], size=n, p=[0.45, 0.3, 0.15, 0.1])
        n_journeys = 1 + rng.poisson(1.0, size=n)
        span = WEEKS * 7 * 24 * 3600
        ev_rows: list[tuple[Any, ...]] = []
        sv_rows: list[tuple[Any, ...]] = []
        cu_rows: list[tuple[Any, ...]] = []
        for i in range(n):
            cid = first_customer + i
            device = d.choice(DEVICES, self.dev_cum)[0]
            starts = sorted(rng.integers(0, span - 10 * 24 * 3600, size=int(n_journeys[i])))
            journeys: list[_Journey] = []
            cancelled = False
            for s in starts:
                t0 = START + timedelta(seconds=int(s))
                t0 = t0.replace(hour=7 + int(14 * d.u()))
                jtype = d.choice(self.mix, self.mix_cum)
                if cancelled and jtype == "cancel":
                    jtype = "billing_question"
                self.journey_no += 1
                j = _Journey(f"J{self.journey_no:08d}", jtype, cid, device, t0)
                completed = getattr(self, jtype)(j)
                j.score = (
                    1.0
                    - 0.45 * max(j.contacts - 1, 0)
                    - 0.7 * j.transfers
                    - 0.05 * j.wait_min
                    - 0.6 * j.loops
                    - 0.5 * j.unresolved
                    - 1.3 * (not completed)
                    + 0.45 * d.normal()
                )
                journeys.append(j)
                ev_rows.extend(j.rows)
                if jtype == "cancel" and completed and j.rows[-1][4] == "Cancellation confirmed":
                    cancelled = True
                # transactional surveys after agent interactions
                for eid, x, tp, t in j.interactions:
                    if d.u() < 0.32:
                        ts = t + timedelta(minutes=20 + 120 * d.u())
                        csat = int(min(5, max(1, round(3.9 + 1.0 * x + 0.45 * d.normal()))))
                        ces = int(min(7, max(1, round(5.0 + 1.3 * x + 0.7 * d.normal()))))
                        sv_rows.append(self._survey(cid, j.jid, eid, tp, "csat", csat, ts, csat, j))
                        sv_rows.append(self._survey(cid, j.jid, eid, tp, "ces", ces, ts, None))
                # journey survey at the end of some journeys
                if d.u() < 0.22:
                    jcsat = int(min(5, max(1, round(3.8 + 1.0 * j.score + 0.4 * d.normal()))))
                    sv_rows.append(
                        self._survey(
                            cid,
                            j.jid,
                            None,
                            None,
                            "csat",
                            jcsat,
                            j.t + timedelta(hours=2 + 20 * d.u()),
                            jcsat,
                            j,
                        )
                    )
            # loyalty: what drives it depends on the chosen driver
            j_mean = float(np.mean([jj.score for jj in journeys]))
            xs = [x for jj in journeys for _, x, _, _ in jj.interactions]
            t_mean = float(np.mean(xs)) if xs else 0.6
            if self.driver == "journey":
                latent = 7.4 + 1.7 * j_mean + 1.0 * d.normal()
            elif self.driver == "touchpoint":
                latent = 7.4 + 2.4 * (t_mean - 0.3) + 1.0 * d.normal()
            else:
                latent = 7.4 + 1.9 * d.normal()
            if d.u() < 0.6:
                last = journeys[-1]
                ts = last.t + timedelta(days=1 + 6 * d.u())
                nps = int(min(10, max(0, round(latent + 0.6 * d.normal()))))
                sv_rows.append(
                    self._survey(
                        cid,
                        None,
                        None,
                        None,
                        "nps",
                        nps,
                        ts,
                        None if 5 < nps < 9 else (1 if nps <= 5 else 5),
                        last,
                    )
                )
            if self.driver == "none":  # nothing about this customer depends on loyalty
                latent = 7.4 + 1.9 * d.normal()
            churn_p = 1 / (1 + math.exp(2.0 + 0.55 * (latent - 6.5)))
            churned = cancelled or d.u() < churn_p
            _, _, base = PLANS[int(plans[i])]
            revenue = base * (1 + 0.035 * (latent - 7.0)) * (1.6 if segs[i] == 1 else 1.0)
            revenue = round(max(9.0, revenue + 3.0 * d.normal()), 2)
            cu_rows.append(
                (
                    f"C{cid:07d}",
                    seg_names[int(segs[i])],
                    REGIONS[int(regions[i])],
                    PLANS[int(plans[i])][0],
                    int(tenure[i]),
                    revenue,
                    str(acq[i]),
                    bool(churned),
                )
            )
        return _events_table(ev_rows), _surveys_table(sv_rows), _customers_table(cu_rows)

    def _survey(
        self,
        cid: int,
        jid: str | None,
        eid: str | None,
        tp: str | None,
        kind: str,
        score: int,
        ts: datetime,
        mood: int | None,
        about: _Journey | None = None,
    ) -> tuple[Any, ...]:
        self.survey_no += 1
        # the draws that once chose a comment stay, so a seed's other columns stay the same
        if mood is not None and self.d.u() < 0.35 and (mood <= 2 or mood >= 5):
            self.d.u()
        comment = self.voice.comment(kind, score, about, eid)
        return (
            f"S{self.survey_no:08d}",
            f"C{cid:07d}",
            jid,
            eid,
            tp,
            kind,
            score,
            ts.strftime("%Y-%m-%d %H:%M:%S"),
            comment,
        )


EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("customer_id", pa.string()),
        ("journey_id", pa.string()),
        ("journey_type", pa.string()),
        ("touchpoint", pa.string()),
        ("channel", pa.string()),
        ("timestamp", pa.string()),
        ("device", pa.string()),
        ("queue", pa.string()),
        ("agent_id", pa.string()),
        ("team", pa.string()),
        ("wait_seconds", pa.int32()),
        ("handling_seconds", pa.int32()),
        ("transferred", pa.bool_()),
        ("resolved", pa.bool_()),
    ]
)
SURVEY_SCHEMA = pa.schema(
    [
        ("survey_id", pa.string()),
        ("customer_id", pa.string()),
        ("journey_id", pa.string()),
        ("interaction_id", pa.string()),
        ("touchpoint", pa.string()),
        ("kind", pa.string()),
        ("score", pa.int8()),
        ("timestamp", pa.string()),
        ("comment", pa.string()),
    ]
)
CUSTOMER_SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("segment", pa.string()),
        ("region", pa.string()),
        ("plan", pa.string()),
        ("tenure_months", pa.int16()),
        ("monthly_revenue", pa.float64()),
        ("acquisition_channel", pa.string()),
        ("churned", pa.bool_()),
    ]
)


def _table(rows: list[tuple[Any, ...]], schema: pa.Schema) -> pa.Table:
    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(cols, schema, strict=True)], schema=schema
    )


def _events_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    return _table(rows, EVENT_SCHEMA)


def _surveys_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    return _table(rows, SURVEY_SCHEMA)


def _customers_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    return _table(rows, CUSTOMER_SCHEMA)


class _Writer:
    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.path = path.with_suffix("." + fmt)
        if fmt == "parquet":
            ts_schema = schema
            if "timestamp" in schema.names:
                i = schema.get_field_index("timestamp")
                ts_schema = schema.set(i, pa.field("timestamp", pa.timestamp("s")))
            self.schema = ts_schema
            self.w: Any = pq.ParquetWriter(self.path, ts_schema, compression="zstd")
        else:  # pandas writes minimal quoting, which is what spreadsheet users expect
            self.schema = schema
            self.w = None
            self.path.write_text(",".join(schema.names) + "\n")

    def write(self, table: pa.Table) -> None:
        if self.w is None:
            frame = table.to_pandas()
            for f in table.schema:
                if pa.types.is_integer(f.type):  # keep integers integer where values are missing
                    frame[f.name] = frame[f.name].astype("Int64")
            for name in ("transferred", "resolved", "churned"):
                if name in frame:  # lower-case booleans, empty where unknown
                    frame[name] = frame[name].map({True: "true", False: "false"})
            frame.to_csv(self.path, mode="a", header=False, index=False)
            return
        if table.schema != self.schema:
            table = table.cast(self.schema)
        self.w.write_table(table)

    def close(self) -> None:
        if self.w is not None:
            self.w.close()


def generate(
    events: int,
    seed: int,
    out: Path,
    fmt: str = "csv",
    placement: str = "canonical",
    driver: str = "journey",
    stories: bool = True,
) -> dict[str, Any]:
    """Write events, surveys, customers and truth.json to ``out``; return the truth."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 10_000)
    place = Placement.random(rng, stories) if placement == "random" else Placement(stories=stories)
    gen = Generator(seed, place, driver)
    n_customers = max(50, round(events / EVENTS_PER_CUSTOMER))
    writers = {
        name: _Writer(out / name, schema, fmt)
        for name, schema in (
            ("events", EVENT_SCHEMA),
            ("surveys", SURVEY_SCHEMA),
            ("customers", CUSTOMER_SCHEMA),
        )
    }
    counts = {"events": 0, "surveys": 0, "customers": 0}
    try:
        for first in range(1, n_customers + 1, CHUNK_CUSTOMERS):
            size = min(CHUNK_CUSTOMERS, n_customers + 1 - first)
            for name, table in zip(
                ("events", "surveys", "customers"), gen.chunk(first, size), strict=True
            ):
                writers[name].write(table)
                counts[name] += table.num_rows
    finally:
        for w in writers.values():
            w.close()
    truth = {
        "seed": seed,
        "placement": placement,
        "driver": driver,
        "period": {
            "start": START.date().isoformat(),
            "end": (START + timedelta(weeks=WEEKS)).date().isoformat(),
        },
        "rows": counts,
        "goals": {k: list(v) for k, v in GOALS.items()},
        "stories": place.truth(),
        "comments": gen.voice.truth(),
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    return truth


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=30_000, help="approximate number of events")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent)
    ap.add_argument("--format", choices=("csv", "parquet"), default="csv")
    ap.add_argument("--placement", choices=("canonical", "random"), default="canonical")
    ap.add_argument("--driver", choices=("journey", "touchpoint", "none"), default="journey")
    ap.add_argument("--stories", choices=("all", "none"), default="all")
    a = ap.parse_args(argv)
    truth = generate(a.events, a.seed, a.out, a.format, a.placement, a.driver, a.stories == "all")
    print(json.dumps(truth["rows"]))


if __name__ == "__main__":
    main()
