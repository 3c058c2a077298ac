"""A web shop's clickstream: visitors' sessions of page views, ending (sometimes) in a purchase.

One row per page view. Journeys are sessions (``session_id``); a visitor (``visitor_id``) may
come back for several sessions. There is no contact centre: the only help is the ``chat`` page.

Stories planted when ``stories=True``:

- incident: for three weeks the payment page breaks; conversion after it falls from 84 % to
  35 % and 13 % of payers open the chat instead of 0.6 %;
- segment: android visitors fail at checkout for the whole period (40 % go on to payment
  instead of 86 %);
- drift: iOS visitors drop off at search more and more, from 15 % in week 4 to 65 % at the end;
- pattern (not friction): visitors go back and forth between category and product pages, the
  same in every week and segment, whatever they do next.

With ``stories=False`` the shop is the same, browsing loop included, without the first three.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.worlds.world import Calendar, Draws, Story, write_world

WORLD = "clickstream"
START = datetime(2025, 9, 1)  # a Monday
SESSIONS_PER_WEEK = 300
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
HEADER = (
    "session_id",
    "visitor_id",
    "page",
    "timestamp",
    "device",
    "platform",
    "customer_type",
    "country",
)
GOAL = "purchase"

# (device, platform, weight): each visitor keeps one
PLATFORMS = (
    ("desktop", "windows", 0.30),
    ("desktop", "macos", 0.15),
    ("mobile", "android", 0.27),
    ("mobile", "ios", 0.23),
    ("tablet", "android", 0.02),
    ("tablet", "ios", 0.03),
)
COUNTRIES = (("SE", 0.40), ("NO", 0.20), ("DK", 0.15), ("FI", 0.15), ("DE", 0.10))
HOURS = (1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 5, 5, 5, 5, 6, 7, 8, 9, 9, 6, 3)
WEEKDAYS = (1.0, 1.0, 1.0, 1.0, 1.0, 1.2, 1.3)

# Rates of the healthy shop
ENTRY = (("home", 0.40), ("category", 0.20), ("search", 0.25), ("product", 0.15))
SEARCH_DROP = 0.15  # sessions ending at search
BROWSE_ROUND_TRIPS = 1.4  # mean product -> category -> product round trips per session
ADD_TO_CART = 0.42
CART_TO_CHECKOUT = 0.78
CHECKOUT_TO_PAYMENT = 0.86
PAYMENT_TO_PURCHASE = 0.84
PAYMENT_TO_CHAT = 0.006
PRODUCT_CHAT = 0.01

# Planted stories
OUTAGE_WEEKS = (6, 9)  # in a 16-week world; scaled to others
OUTAGE_PURCHASE = 0.35
OUTAGE_CHAT = 0.13
BROKEN_PLATFORM = "android"
BROKEN_CHECKOUT_TO_PAYMENT = 0.40
DRIFT_PLATFORM = "ios"
DRIFT_FIRST_WEEK = 4
DRIFT_SEARCH_DROP_END = 0.65


@dataclass
class _Session:
    sid: str
    visitor: str
    device: str
    platform: str
    customer_type: str
    country: str
    t: datetime
    rows: list[tuple[Any, ...]] = field(default_factory=list)


class _Shop:
    def __init__(self, d: Draws, cal: Calendar, stories: bool) -> None:
        self.d = d
        self.cal = cal
        self.stories = stories
        self.outage = cal.scaled(OUTAGE_WEEKS)

    def view(self, s: _Session, page: str) -> None:
        s.rows.append(
            (
                s.sid,
                s.visitor,
                page,
                s.t.strftime(TIME_FORMAT),
                s.device,
                s.platform,
                s.customer_type,
                s.country,
            )
        )
        s.t += timedelta(seconds=max(2, round(self.d.lognormal(35, 0.8))))

    def search_drop(self, s: _Session) -> float:
        if self.stories and s.platform == DRIFT_PLATFORM:
            ramp = self.cal.ramp(s.t, DRIFT_FIRST_WEEK)
            return SEARCH_DROP + (DRIFT_SEARCH_DROP_END - SEARCH_DROP) * ramp
        return SEARCH_DROP

    def session(self, s: _Session) -> None:
        d = self.d
        page = d.pick([p for p, _ in ENTRY], [w for _, w in ENTRY])
        self.view(s, page)
        if page == "home":
            page = d.pick(("category", "search", "exit"), (0.55, 0.35, 0.10))
            if page == "exit":
                return
            self.view(s, page)
        if page == "search":
            if d.chance(0.12):  # refines the query
                self.view(s, "search")
            if d.chance(self.search_drop(s)):
                return
        # Browsing: product pages, and round trips back to the category, as many whatever
        # happens next (the normal back-and-forth of a shop, not friction).
        self.view(s, "product")
        for _ in range(d.repeats(BROWSE_ROUND_TRIPS)):
            self.view(s, "category")
            self.view(s, "product")
        if d.chance(PRODUCT_CHAT):
            self.view(s, "chat")
            self.view(s, "product")
        if not d.chance(ADD_TO_CART):
            return
        self.view(s, "cart")
        if not d.chance(CART_TO_CHECKOUT):
            return
        self.view(s, "checkout")
        to_payment = CHECKOUT_TO_PAYMENT
        if self.stories and s.platform == BROKEN_PLATFORM:
            to_payment = BROKEN_CHECKOUT_TO_PAYMENT
        if not d.chance(to_payment):
            return
        self.view(s, "payment")
        purchase, chat = PAYMENT_TO_PURCHASE, PAYMENT_TO_CHAT
        if self.stories and self.outage[0] <= s.t < self.outage[1]:
            purchase, chat = OUTAGE_PURCHASE, OUTAGE_CHAT
        x = d.u()
        if x < purchase:
            self.view(s, GOAL)
        elif x < purchase + chat:
            self.view(s, "chat")

    def truth(self) -> list[Story]:
        loop = Story(
            name="browsing_loop",
            kind="pattern",
            signal="loop",
            source="category",
            target="product",
            measure="product -> category moves per session that views a product",
            unit="per journey",
            rate_inside=BROWSE_ROUND_TRIPS,
            rate_outside=BROWSE_ROUND_TRIPS,
            description="Visitors go back and forth between category and product pages, in "
            "every week and segment alike, and it does not change whether they buy.",
        )
        if not self.stories:
            return [loop]
        end = self.cal.end.date()
        return [
            Story(
                name="payment_outage",
                kind="incident",
                signal="conversion",
                touchpoint="payment",
                moves="leaving",
                start=self.outage[0].date(),
                end=self.outage[1].date(),
                measure="share of payment views followed by purchase (and by chat)",
                rate_inside=OUTAGE_PURCHASE,
                rate_outside=PAYMENT_TO_PURCHASE,
                description=f"The payment page breaks for three weeks: {OUTAGE_PURCHASE:.0%} "
                f"buy after it instead of {PAYMENT_TO_PURCHASE:.0%}, {OUTAGE_CHAT:.0%} open "
                f"the chat instead of {PAYMENT_TO_CHAT:.1%}.",
            ),
            Story(
                name="android_checkout",
                kind="segment",
                signal="drop-off",
                touchpoint="checkout",
                moves="leaving",
                segment=("platform", BROKEN_PLATFORM),
                measure="share of checkout views followed by payment",
                rate_inside=BROKEN_CHECKOUT_TO_PAYMENT,
                rate_outside=CHECKOUT_TO_PAYMENT,
                description=f"Android visitors fail at checkout all period: "
                f"{BROKEN_CHECKOUT_TO_PAYMENT:.0%} reach payment instead of "
                f"{CHECKOUT_TO_PAYMENT:.0%}.",
            ),
            Story(
                name="ios_search_drift",
                kind="drift",
                signal="drop-off",
                touchpoint="search",
                moves="leaving",
                segment=("platform", DRIFT_PLATFORM),
                start=self.cal.week(DRIFT_FIRST_WEEK).date(),
                end=end,
                measure="share of sessions with a search that end at search",
                rate_inside_start=SEARCH_DROP,
                rate_inside=DRIFT_SEARCH_DROP_END,
                rate_outside=SEARCH_DROP,
                description=f"iOS visitors leave at search more and more: from "
                f"{SEARCH_DROP:.0%} in week {DRIFT_FIRST_WEEK} to {DRIFT_SEARCH_DROP_END:.0%} "
                "at the end.",
            ),
            loop,
        ]


def generate(out: Path, seed: int, stories: bool = True, weeks: int = 16) -> dict[str, Any]:
    """Write the web shop's ``events.csv`` and ``truth.json`` into ``out``; return the truth."""
    d = Draws(WORLD, seed)
    cal = Calendar(START, weeks)
    shop = _Shop(d, cal, stories)
    n_sessions = SESSIONS_PER_WEEK * weeks
    rows: list[tuple[Any, ...]] = []
    visitor_no = session_no = 0
    while session_no < n_sessions:
        visitor_no += 1
        device, platform, _ = d.pick(PLATFORMS, [w for *_, w in PLATFORMS])
        country = d.pick([c for c, _ in COUNTRIES], [w for _, w in COUNTRIES])
        starts = sorted(cal.moment(d, HOURS, WEEKDAYS) for _ in range(1 + d.count(0.7)))
        for i, t in enumerate(starts[: n_sessions - session_no]):
            session_no += 1
            s = _Session(
                f"s{session_no:06d}",
                f"v{visitor_no:05d}",
                device,
                platform,
                "new" if i == 0 else "returning",
                country,
                t,
            )
            shop.session(s)
            rows.extend(s.rows)
    rows.sort(key=lambda r: (r[3], r[0]))  # an analytics export: in time order
    return write_world(
        out,
        world=WORLD,
        seed=seed,
        stories_planted=stories,
        calendar=cal,
        header=HEADER,
        rows=rows,
        columns={
            "journey": "session_id",
            "customer": "visitor_id",
            "touchpoint": "page",
            "time": "timestamp",
            "channel": None,
            "segments": ["device", "platform", "customer_type", "country"],
        },
        goals=[GOAL],
        stories=shop.truth(),
        time_format=TIME_FORMAT,
        description="A web shop's page views, one journey per session.",
    )
