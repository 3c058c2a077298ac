"""A service desk's ticket log in process-mining (XES) column names, with no customer at all.

One row per activity of a ticket (``case:concept:name``), every one ``complete``; the ticket's
priority and product are case attributes, the group and person doing the work event attributes.
A ticket is created by the Service Desk, assigned to the group that owns its product (now and
then to the wrong one, which reassigns it), waits for the customer back and forth, is resolved,
and closes two days later unless the customer reopens it.

Stories planted when ``stories=True``:

- incident: for three weeks group Network bounces the tickets it gets (``Reassigned`` 55 % of
  the time instead of 3 %, and back again from Field Service), so ``Reassigned`` loops spike;
- segment: Invoicing tickets are escalated 35 % of the time, the others 5 %, all period;
- drift: TV tickets are reopened more and more, from 5 % in week 4 to 45 % at the end;
- pattern (not friction): ``Assigned`` <-> ``Wait for customer``, the same in every week and
  segment, whatever happens to the ticket.

With ``stories=False`` the desk is the same, waiting loop included, without the first three.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.worlds.world import Calendar, Draws, Story, write_world

WORLD = "tickets"
START = datetime(2025, 11, 3)  # a Monday
TICKETS_PER_WEEK = 210
HEADER = (
    "case:concept:name",
    "concept:name",
    "time:timestamp",
    "org:resource",
    "org:group",
    "lifecycle:transition",
    "case:priority",
    "case:product",
)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.000+00:00"
GOAL = "Closed"

CREATED = "Ticket created"
ASSIGNED = "Assigned"
WAIT = "Wait for customer"
REASSIGNED = "Reassigned"
ESCALATED = "Escalated"
RESOLVED = "Resolved"
CLOSED = "Closed"
REOPENED = "Reopened"

PRODUCTS = (  # product, owning group, weight
    ("Broadband", "Network", 0.28),
    ("Mobile", "Network", 0.18),
    ("TV", "Field Service", 0.18),
    ("Invoicing", "Billing", 0.20),
    ("Webshop", "Apps", 0.16),
)
GROUPS = ("Network", "Field Service", "Billing", "Apps")
STAFF = {  # group -> (prefix of its people's user names, how many people)
    "Service Desk": ("sd", 8),
    "Network": ("nw", 10),
    "Field Service": ("fs", 8),
    "Billing": ("bi", 7),
    "Apps": ("ap", 6),
    "Specialists": ("sp", 4),
}
PRIORITIES = (("Low", 0.35), ("Medium", 0.45), ("High", 0.20))
HOURS = (0, 0, 0, 0, 0, 0, 1, 3, 6, 7, 7, 6, 4, 6, 6, 6, 5, 3, 2, 1, 1, 0, 0, 0)
WEEKDAYS = (1.2, 1.1, 1.0, 1.0, 0.9, 0.15, 0.1)

# Rates of the healthy desk
MISROUTED = 0.12  # assigned to a group that does not own the product, which reassigns it
BOUNCES = 0.03  # the owning group reassigns anyway
MAX_REASSIGNMENTS = 6
WAIT_ROUND_TRIPS = 1.3  # mean Assigned -> Wait for customer -> Assigned round trips
ESCALATES = 0.05
REOPENS = 0.05

# Planted stories
OUTAGE_WEEKS = (10, 13)  # in a 16-week world; scaled to others
BOUNCING_GROUP = "Network"
OUTAGE_BOUNCES = 0.55
ESCALATED_PRODUCT = "Invoicing"
PRODUCT_ESCALATES = 0.35
DRIFT_PRODUCT = "TV"
DRIFT_FIRST_WEEK = 4
DRIFT_REOPENS_END = 0.45


@dataclass
class _Ticket:
    case: str
    product: str
    owner: str
    priority: str
    t: datetime
    rows: list[tuple[Any, ...]] = field(default_factory=list)


class _Desk:
    def __init__(self, d: Draws, cal: Calendar, stories: bool) -> None:
        self.d = d
        self.cal = cal
        self.stories = stories
        self.outage = cal.scaled(OUTAGE_WEEKS)

    def step(self, k: _Ticket, activity: str, group: str, after_h: float = 0.5) -> None:
        prefix, people = STAFF[group]
        person = f"{prefix}{1 + int(self.d.u() * people):03d}"
        k.rows.append(
            (
                k.case,
                activity,
                k.t.strftime(TIME_FORMAT),
                person,
                group,
                "complete",
                k.priority,
                k.product,
            )
        )
        k.t += timedelta(seconds=max(30, round(self.d.lognormal(after_h * 3600, 0.7))))

    def bounces(self, k: _Ticket, group: str) -> float:
        if group != k.owner:
            return 1.0
        if self.stories and group == BOUNCING_GROUP and self.outage[0] <= k.t < self.outage[1]:
            return OUTAGE_BOUNCES
        return BOUNCES

    def reopens(self, k: _Ticket) -> float:
        if self.stories and k.product == DRIFT_PRODUCT:
            return REOPENS + (DRIFT_REOPENS_END - REOPENS) * self.cal.ramp(k.t, DRIFT_FIRST_WEEK)
        return REOPENS

    def ticket(self, k: _Ticket) -> None:
        d = self.d
        self.step(k, CREATED, "Service Desk", after_h=1.0)
        group = k.owner
        if d.chance(MISROUTED):
            group = d.pick([g for g in GROUPS if g != k.owner])
        for _ in range(MAX_REASSIGNMENTS):
            self.step(k, ASSIGNED, group, after_h=2.0)
            if not d.chance(self.bounces(k, group)):
                break
            self.step(k, REASSIGNED, group, after_h=0.5)
            # a bounced ticket goes to a neighbouring group, which sends it back to the owner
            group = (
                k.owner
                if group != k.owner
                else ("Field Service" if group == "Network" else "Network")
            )
        for _ in range(d.repeats(WAIT_ROUND_TRIPS)):
            self.step(k, WAIT, group, after_h=20.0)
            self.step(k, ASSIGNED, group, after_h=2.0)
        escalates = ESCALATES
        if self.stories and k.product == ESCALATED_PRODUCT:
            escalates = PRODUCT_ESCALATES
        if d.chance(escalates):
            self.step(k, ESCALATED, group, after_h=4.0)
            group = "Specialists"
            self.step(k, ASSIGNED, group, after_h=24.0)
        self.step(k, RESOLVED, group, after_h=48.0)
        if d.chance(self.reopens(k)):
            self.step(k, REOPENED, group, after_h=3.0)
            self.step(k, ASSIGNED, group, after_h=8.0)
            self.step(k, RESOLVED, group, after_h=48.0)
        self.step(k, CLOSED, "Service Desk")

    def structure(self) -> list[Story]:
        """What differs between groups in both twins, because of how the desk works: they are
        true differences, so the null twin has them to find too."""
        return [
            Story(
                name="specialists_take_a_day",
                kind="segment",
                signal="slow",
                source=ASSIGNED,
                target=RESOLVED,
                segment=("org:group", "Specialists"),
                measure=f"median hours from {ASSIGNED} to {RESOLVED}",
                unit="hours",
                rate_inside=24.0,
                rate_outside=2.0,
                description="Escalated tickets wait about a day with the Specialists before "
                "they are resolved; the first line resolves within about two hours.",
            ),
            *(
                Story(
                    name=f"{group.lower().replace(' ', '_')}_sends_on",
                    kind="segment",
                    signal="loop",
                    touchpoint=REASSIGNED,
                    moves="either",
                    segment=("org:group", group),
                    measure=f"share of {group}'s assignments followed by {REASSIGNED}",
                    rate_inside=1.0,
                    rate_outside=BOUNCES,
                    description=f"{group} sends on every ticket it does not own: misrouted "
                    "ones, and the ones the owners bounce to their neighbour (Network, or Field "
                    "Service for Network's). A group that owns less gets a larger share of "
                    "others' tickets, so it reassigns more often, and its tickets come back to "
                    "Reassigned.",
                )
                for group in GROUPS
            ),
        ]

    def truth(self) -> list[Story]:
        loop = Story(
            name="waiting_for_customer",
            kind="pattern",
            signal="loop",
            source=ASSIGNED,
            target=WAIT,
            measure=f"{ASSIGNED} -> {WAIT} moves per ticket",
            unit="per journey",
            rate_inside=WAIT_ROUND_TRIPS,
            rate_outside=WAIT_ROUND_TRIPS,
            description="Tickets go back and forth between the agent and the customer, in every "
            "week and segment alike, and it does not change how tickets end.",
        )
        if not self.stories:
            return [loop]
        return [
            Story(
                name="network_bounces",
                kind="incident",
                signal="loop",
                touchpoint=REASSIGNED,
                moves="either",
                segment=("org:group", BOUNCING_GROUP),
                start=self.outage[0].date(),
                end=self.outage[1].date(),
                measure=f"share of {BOUNCING_GROUP}'s assignments of its own tickets (after "
                f"{CREATED} or {REASSIGNED}) followed by {REASSIGNED}",
                rate_inside=OUTAGE_BOUNCES,
                rate_outside=BOUNCES,
                description=f"For three weeks {BOUNCING_GROUP} reassigns "
                f"{OUTAGE_BOUNCES:.0%} of its own tickets instead of {BOUNCES:.0%}; they come "
                "back from Field Service, and bounce again.",
            ),
            Story(
                name="invoicing_escalations",
                kind="segment",
                signal="escalation",
                touchpoint=ESCALATED,
                moves="entering",
                segment=("case:product", ESCALATED_PRODUCT),
                measure="share of tickets escalated",
                rate_inside=PRODUCT_ESCALATES,
                rate_outside=ESCALATES,
                description=f"{ESCALATED_PRODUCT} tickets are escalated {PRODUCT_ESCALATES:.0%} "
                f"of the time, the others {ESCALATES:.0%}, all period.",
            ),
            Story(
                name="tv_reopen_drift",
                kind="drift",
                signal="reopen",
                touchpoint=REOPENED,
                moves="entering",
                segment=("case:product", DRIFT_PRODUCT),
                start=self.cal.week(DRIFT_FIRST_WEEK).date(),
                end=self.cal.end.date(),
                measure="share of tickets reopened after they were resolved",
                rate_inside_start=REOPENS,
                rate_inside=DRIFT_REOPENS_END,
                rate_outside=REOPENS,
                description=f"{DRIFT_PRODUCT} tickets are reopened more and more: "
                f"{REOPENS:.0%} in week {DRIFT_FIRST_WEEK}, {DRIFT_REOPENS_END:.0%} at the end.",
            ),
            loop,
        ]


def generate(out: Path, seed: int, stories: bool = True, weeks: int = 16) -> dict[str, Any]:
    """Write the service desk's ``events.csv`` and ``truth.json`` into ``out``; return the
    truth."""
    d = Draws(WORLD, seed)
    cal = Calendar(START, weeks)
    desk = _Desk(d, cal, stories)
    rows: list[tuple[Any, ...]] = []
    opened = []
    for _ in range(TICKETS_PER_WEEK * weeks):
        product, owner, _ = d.pick(PRODUCTS, [w for *_, w in PRODUCTS])
        priority = d.pick([p for p, _ in PRIORITIES], [w for _, w in PRIORITIES])
        opened.append((cal.moment(d, HOURS, WEEKDAYS), product, owner, priority))
    opened.sort()  # ticket numbers follow the order tickets were opened in
    for n, (t, product, owner, priority) in enumerate(opened, start=1):
        k = _Ticket(f"INC{n:07d}", product, owner, priority, t)
        desk.ticket(k)
        rows.extend(k.rows)
    return write_world(
        out,
        world=WORLD,
        seed=seed,
        stories_planted=stories,
        calendar=cal,
        header=HEADER,
        rows=rows,
        columns={
            "journey": "case:concept:name",
            "customer": None,
            "touchpoint": "concept:name",
            "time": "time:timestamp",
            "channel": None,
            "segments": ["org:group", "org:resource", "case:priority", "case:product"],
        },
        goals=[GOAL],
        stories=desk.truth(),
        structure=desk.structure(),
        time_format=TIME_FORMAT,
        description="A service desk's tickets in XES column names, one journey per ticket, "
        "no customer column.",
    )
