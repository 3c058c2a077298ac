"""A Swedish contact centre's cases (ärenden), exported with Swedish column names and ``;``.

One row per step of a case (``ärende``); a customer (``kundnr``) may have several cases. Cases
start in self-service (``Logga in`` with BankID, ``Mina sidor``, ``Faktura``) or by phone, chat,
e-mail or a store visit, are answered by a team, and end in ``Ärende löst`` or not at all.
Transfers and escalations are steps of their own (``Överflyttning till andra linjen``,
``Eskalering``), as a case management system logs them.

Stories planted when ``stories=True``:

- incident: for three weeks BankID login fails 60 % of the time instead of 4 %, and customers
  retry (``Logga in`` again, up to four attempts) before they give up and call;
- segment: Team Malmö escalates 32 % of the contacts it answers, the other teams 4 %;
- drift: in region Norr the wait before a call is answered grows from a median of 4 minutes in
  week 4 to 28 minutes at the end;
- pattern (not friction): ``Mina sidor`` <-> ``Faktura``, customers flicking between their page
  and their invoices, the same in every week and segment, whatever happens to the case.

With ``stories=False`` the centre is the same, invoice browsing included, without the first three.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.worlds.world import Calendar, Draws, Story, write_world

WORLD = "contact_centre"
START = datetime(2026, 1, 5)  # a Monday
CASES_PER_WEEK = 280
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
HEADER = ("kundnr", "ärende", "händelse", "tidpunkt", "kanal", "team", "region", "kundtyp")
GOAL = "Ärende löst"

LOGIN = "Logga in"
MY_PAGES = "Mina sidor"
INVOICE = "Faktura"
CALL_IN = "Inkommande samtal"
CALL_ANSWERED = "Samtal besvarat"
CHAT_IN = "Chatt startad"
CHAT_ANSWERED = "Chatt besvarad"
MAIL_IN = "E-post mottaget"
MAIL_ANSWERED = "E-post besvarat"
STORE = "Butiksbesök"
TRANSFER = "Överflyttning till andra linjen"
SECOND_LINE = "Andra linjen"
ESCALATION = "Eskalering"
CALL_BACK = "Återkoppling"

TEAMS = ("Team Luleå", "Team Sundsvall", "Team Stockholm", "Team Göteborg", "Team Malmö")
REGIONS = (("Norr", 0.20), ("Mitt", 0.20), ("Stockholm", 0.25), ("Väst", 0.20), ("Syd", 0.15))
CUSTOMER_TYPES = (("privat", 0.8), ("företag", 0.2))
HOURS = (0, 0, 0, 0, 0, 0, 0, 1, 6, 8, 8, 7, 5, 6, 7, 7, 6, 4, 2, 1, 1, 0, 0, 0)
WEEKDAYS = (1.3, 1.1, 1.0, 1.0, 0.9, 0.3, 0.2)

# Rates of the healthy centre
FIRST_CONTACT = (("webb", 0.30), ("app", 0.35), ("telefon", 0.20), ("chatt", 0.08),
                 ("e-post", 0.05), ("butik", 0.02))  # fmt: skip
LOGIN_FAILS = 0.04
LOGIN_ATTEMPTS = 4
INVOICE_ROUND_TRIPS = 1.6  # mean Mina sidor -> Faktura -> Mina sidor round trips
SELF_SERVICE_SOLVES = 0.58
CALL_WAIT_MIN = 4.0
ESCALATES = 0.04
TRANSFERS = 0.10
FIRST_LINE_SOLVES = 0.86

# Planted stories
OUTAGE_WEEKS = (9, 12)  # in a 16-week world; scaled to others
OUTAGE_LOGIN_FAILS = 0.60
ESCALATING_TEAM = "Team Malmö"
TEAM_ESCALATES = 0.32
DRIFT_REGION = "Norr"
DRIFT_FIRST_WEEK = 4
DRIFT_WAIT_END_MIN = 28.0


@dataclass
class _Case:
    customer: str
    case: str
    region: str
    customer_type: str
    t: datetime
    rows: list[tuple[Any, ...]] = field(default_factory=list)


class _Centre:
    def __init__(self, d: Draws, cal: Calendar, stories: bool) -> None:
        self.d = d
        self.cal = cal
        self.stories = stories
        self.outage = cal.scaled(OUTAGE_WEEKS)

    def step(
        self, c: _Case, event: str, channel: str, team: str | None = None, after_s: float = 40
    ) -> None:
        c.rows.append(
            (
                c.customer,
                c.case,
                event,
                c.t.strftime(TIME_FORMAT),
                channel,
                team,
                c.region,
                c.customer_type,
            )
        )
        c.t += timedelta(seconds=max(5, round(self.d.lognormal(after_s, 0.6))))

    def later(self, c: _Case, hours: float) -> None:
        """Move on by about ``hours``, into opening hours (08-18) on a weekday."""
        c.t += timedelta(hours=self.d.lognormal(hours, 0.5))
        if c.t.hour >= 18:
            c.t = c.t.replace(hour=8) + timedelta(days=1)
        elif c.t.hour < 8:
            c.t = c.t.replace(hour=8)
        while c.t.weekday() >= 5:
            c.t += timedelta(days=1)

    def call_wait_min(self, c: _Case) -> float:
        if self.stories and c.region == DRIFT_REGION:
            ramp = self.cal.ramp(c.t, DRIFT_FIRST_WEEK)
            return CALL_WAIT_MIN + (DRIFT_WAIT_END_MIN - CALL_WAIT_MIN) * ramp
        return CALL_WAIT_MIN

    def case(self, c: _Case) -> None:
        d = self.d
        channel = d.pick([k for k, _ in FIRST_CONTACT], [w for _, w in FIRST_CONTACT])
        if channel in ("webb", "app"):
            if self.self_service(c, channel):
                return
            channel = d.pick(("telefon", "chatt", "e-post"), (0.6, 0.3, 0.1))
            self.later(c, 0.5)
        self.contact(c, channel)

    def self_service(self, c: _Case, channel: str) -> bool:
        """Log in, browse; True when the case ends here (solved or given up)."""
        d = self.d
        fails = LOGIN_FAILS
        if self.stories and self.outage[0] <= c.t < self.outage[1]:
            fails = OUTAGE_LOGIN_FAILS
        for _ in range(LOGIN_ATTEMPTS):
            self.step(c, LOGIN, channel, after_s=25)
            if not d.chance(fails):
                break
        else:
            return False  # gave up: calls, chats or writes instead
        self.step(c, MY_PAGES, channel)
        for _ in range(d.repeats(INVOICE_ROUND_TRIPS)):
            self.step(c, INVOICE, channel, after_s=50)
            self.step(c, MY_PAGES, channel)
        if d.chance(SELF_SERVICE_SOLVES):
            self.step(c, GOAL, channel)
            return True
        return False

    def contact(self, c: _Case, channel: str, attempt: int = 1) -> None:
        d = self.d
        if channel == "butik":
            self.step(c, STORE, channel, "Butik", after_s=900)
            if d.chance(FIRST_LINE_SOLVES):
                self.step(c, GOAL, channel, "Butik")
            return
        team = d.pick(TEAMS)
        if channel == "telefon":
            self.step(c, CALL_IN, channel, after_s=self.call_wait_min(c) * 60)
            self.step(c, CALL_ANSWERED, channel, team, after_s=360)
        elif channel == "chatt":
            self.step(c, CHAT_IN, channel, after_s=90)
            self.step(c, CHAT_ANSWERED, channel, team, after_s=480)
        else:
            self.step(c, MAIL_IN, channel, after_s=5 * 3600)
            self.step(c, MAIL_ANSWERED, channel, team)
        escalates = ESCALATES
        if self.stories and team == ESCALATING_TEAM:
            escalates = TEAM_ESCALATES
        x = d.u()
        if x < escalates:
            self.step(c, ESCALATION, channel, team)
            self.later(c, 30)
            self.step(c, CALL_BACK, "telefon", "Specialistgruppen", after_s=600)
            if d.chance(0.7):
                self.step(c, GOAL, "telefon", "Specialistgruppen")
        elif x < escalates + TRANSFERS:
            self.step(c, TRANSFER, channel, team, after_s=120)
            self.step(c, SECOND_LINE, channel, "Andra linjen", after_s=500)
            if d.chance(0.85):
                self.step(c, GOAL, channel, "Andra linjen")
        elif d.chance(FIRST_LINE_SOLVES):
            self.step(c, GOAL, channel, team)
        elif attempt == 1 and d.chance(0.6):  # not solved: the customer tries again
            self.later(c, 20)
            self.contact(c, d.pick(("telefon", "chatt"), (0.7, 0.3)), attempt + 1)

    def truth(self) -> list[Story]:
        loop = Story(
            name="invoice_browsing",
            kind="pattern",
            signal="loop",
            source=MY_PAGES,
            target=INVOICE,
            measure=f"{MY_PAGES} -> {INVOICE} moves per case that reaches {MY_PAGES}",
            unit="per journey",
            rate_inside=INVOICE_ROUND_TRIPS,
            rate_outside=INVOICE_ROUND_TRIPS,
            description="Customers flick between Mina sidor and their invoices, in every week "
            "and segment alike, and it does not change whether the case is solved.",
        )
        if not self.stories:
            return [loop]
        return [
            Story(
                name="bankid_outage",
                kind="incident",
                signal="retry",
                touchpoint=LOGIN,
                moves="leaving",
                start=self.outage[0].date(),
                end=self.outage[1].date(),
                measure=f"share of {LOGIN} attempts that fail, i.e. are not followed by "
                f"{MY_PAGES} (each failure is retried, up to {LOGIN_ATTEMPTS} attempts, then the "
                "customer calls, chats or writes)",
                rate_inside=OUTAGE_LOGIN_FAILS,
                rate_outside=LOGIN_FAILS,
                description=f"BankID login fails {OUTAGE_LOGIN_FAILS:.0%} of the time for three "
                f"weeks instead of {LOGIN_FAILS:.0%}; customers retry, then call.",
            ),
            Story(
                name="malmo_escalations",
                kind="segment",
                signal="escalation",
                touchpoint=ESCALATION,
                moves="entering",
                segment=("team", ESCALATING_TEAM),
                measure="share of the team's answered contacts that are escalated",
                rate_inside=TEAM_ESCALATES,
                rate_outside=ESCALATES,
                description=f"{ESCALATING_TEAM} escalates {TEAM_ESCALATES:.0%} of the contacts "
                f"it answers, the other teams {ESCALATES:.0%}, all period.",
            ),
            Story(
                name="norr_wait_drift",
                kind="drift",
                signal="wait",
                touchpoint=CALL_ANSWERED,
                moves="entering",
                segment=("region", DRIFT_REGION),
                start=self.cal.week(DRIFT_FIRST_WEEK).date(),
                end=self.cal.end.date(),
                measure=f"median minutes from {CALL_IN} to {CALL_ANSWERED}",
                unit="minutes",
                rate_inside_start=CALL_WAIT_MIN,
                rate_inside=DRIFT_WAIT_END_MIN,
                rate_outside=CALL_WAIT_MIN,
                description=f"Calls from region {DRIFT_REGION} wait longer and longer: a median "
                f"of {CALL_WAIT_MIN:.0f} minutes in week {DRIFT_FIRST_WEEK}, "
                f"{DRIFT_WAIT_END_MIN:.0f} at the end.",
            ),
            loop,
        ]


def generate(out: Path, seed: int, stories: bool = True, weeks: int = 16) -> dict[str, Any]:
    """Write the contact centre's ``events.csv`` and ``truth.json`` into ``out``; return the
    truth."""
    d = Draws(WORLD, seed)
    cal = Calendar(START, weeks)
    centre = _Centre(d, cal, stories)
    n_cases = CASES_PER_WEEK * weeks
    rows: list[tuple[Any, ...]] = []
    customer_no = case_no = 0
    while case_no < n_cases:
        customer_no += 1
        customer = str(100_000 + customer_no * 7)  # customer numbers as a billing system hands out
        region = d.pick([r for r, _ in REGIONS], [w for _, w in REGIONS])
        kind = d.pick([k for k, _ in CUSTOMER_TYPES], [w for _, w in CUSTOMER_TYPES])
        starts = sorted(cal.moment(d, HOURS, WEEKDAYS) for _ in range(1 + d.count(0.5)))
        for t in starts[: n_cases - case_no]:
            case_no += 1
            c = _Case(customer, f"ÄR-{case_no:06d}", region, kind, t)
            centre.case(c)
            rows.extend(c.rows)
    return write_world(
        out,
        world=WORLD,
        seed=seed,
        stories_planted=stories,
        calendar=cal,
        header=HEADER,
        rows=rows,
        columns={
            "journey": "ärende",
            "customer": "kundnr",
            "touchpoint": "händelse",
            "time": "tidpunkt",
            "channel": "kanal",
            "segments": ["team", "region", "kundtyp"],
        },
        goals=[GOAL],
        stories=centre.truth(),
        delimiter=";",
        time_format=TIME_FORMAT,
        description="A Swedish contact centre's cases, one journey per ärende.",
    )
