"""Outcomes of journeys: goals reached, CSAT, NPS detractors, churn.

Friction and causes are measured against these. *Goals* are the touchpoints that mean a
customer got what they came for (an order activated, a fault resolved, an invoice paid); the
analyst chooses them, and until then they are guessed from the data and the names (see
:func:`guess_goals`): touchpoints that end most of their visits, or whose name says success and
that end a third of them, and never a contact with the company (a call, a chat, an e-mail).

Survey responses are tied to journeys by journey id when journeys come from the journey column,
else by the interaction they rate, else to the customer's latest journey that started before
the response and ended at most ``survey_window`` before it (default 7 days). NPS belongs to the
customer (their latest answer), churn to the customer list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from workbench.analyses.attributes import AttributeRoles, classify
from workbench.analyses.contacts import Contacts, classify_contacts, contacts_of
from workbench.core import db
from workbench.core.durations import parse_duration
from workbench.core.errors import ValidationError
from workbench.ingest.vocabulary import is_contact, is_success, is_transfer
from workbench.journeys.model import JourneyModel, JourneyTables

OUTCOMES: dict[str, str] = {
    "no_goal": "journey did not reach a goal",
    "low_csat": "CSAT of 1 or 2 on the journey",
    "detractor": "customer is an NPS detractor (0-6)",
    "churned": "customer churned",
}
#: A wait longer than this is long, unless an analysis is told otherwise (5 minutes).
LONG_WAIT_SECONDS = 300.0
#: A touchpoint is guessed as a goal when at least this share of its visits end the journey...
GOAL_END_RATE = 0.5
#: ... or this share, when its name says success (``Order confirmed``, ``Ärende löst``).
SUCCESS_END_RATE = 1 / 3
#: A guessed goal ends at least this share of all journeys (0.5 %).
GOAL_MIN_SHARE = 0.005


def guess_goals(model: JourneyTables, contacts: Contacts | None = None) -> list[str]:
    """Touchpoints that look like goals, from where journeys end and what the touchpoints are
    called (:mod:`workbench.ingest.vocabulary`).

    A touchpoint is a goal when it ends at least :data:`GOAL_MIN_SHARE` of all journeys and

    - its name says success (``purchase``, ``Order confirmed``, ``Ärende löst``) and at least
      :data:`SUCCESS_END_RATE` of its visits end the journey: a shop's customers may browse on
      after buying, and the purchase is still what they came for; or
    - at least :data:`GOAL_END_RATE` of its visits end the journey, as every goal did before.

    A contact with the company is never a goal, however often journeys end there: a touchpoint
    whose name says call, chat, e-mail, IVR or support, or whose channel (the touchpoint's most
    common one) counts as a contact in ``contacts`` (:mod:`workbench.analyses.contacts`; by
    default guessed from the names) unless its own name says success. A case is closed in the
    channel of its last contact, and a confirmation arrives by e-mail; but a call that ends a
    journey says the customer had to call, not that they got what they came for.

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> sorted(guess_goals(model))[:3]
    ['Activate SIM', 'Cancellation confirmed', 'Change add-on']
    """
    t = model.touchpoints
    channels = t["channel"] if "channel" in t.columns else pd.Series(None, index=t.index)
    if contacts is None:
        known = [str(c) for c in channels.dropna()]
        by = "channel" if known else "touchpoint"
        names = known or [str(n) for n in t["touchpoint"]]
        contacts = contacts_of(by, names, [str(n) for n in t["touchpoint"]])
    contact = pd.Series(
        [
            is_contact(str(name))
            or contacts.counts(str(name), None if pd.isna(channel) else str(channel))
            for name, channel in zip(t["touchpoint"], channels, strict=True)
        ],
        index=t.index,
        dtype=bool,
    )
    success = t["touchpoint"].map(lambda name: is_success(str(name))).astype(bool)
    end_rate = t["ends"] / t["events"]
    ends_enough = t["ends"] >= GOAL_MIN_SHARE * model.n_journeys
    ends_most = (end_rate >= GOAL_END_RATE) | (success & (end_rate >= SUCCESS_END_RATE))
    return t.loc[ends_enough & ends_most & ~contact, "touchpoint"].tolist()


@dataclass(frozen=True)
class OutcomeSetup:
    """Which outcomes a model has, and how they were defined."""

    goals: tuple[str, ...]
    goals_guessed: bool
    available: tuple[str, ...]
    survey_links: dict[str, int]
    survey_window: str
    roles: AttributeRoles = field(repr=False)
    contacts: Contacts | None = field(default=None, repr=False)

    def describe(self) -> list[str]:
        """Lines for people: goals and how surveys were tied to journeys."""
        how = "guessed from the data" if self.goals_guessed else "chosen"
        lines = [f"Goals ({how}): {', '.join(self.goals) or 'none'}"]
        if self.survey_links:
            parts = ", ".join(f"{n:,} by {rule}" for rule, n in self.survey_links.items())
            lines.append(
                f"Survey responses tied to journeys: {parts} (window {self.survey_window})"
            )
        lines.append("Outcomes available: " + ", ".join(OUTCOMES[o] for o in self.available))
        if self.contacts is not None:
            lines.append(self.contacts.describe())
        return lines


#: The relations on a model's cursor built from ``journey_outcomes``: built again after it is.
RELATIONS_ON_OUTCOMES = ("visits", "visit_moves")


def prepare_outcomes(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    goals: Sequence[str] | None = None,
    survey_window: str = "7d",
    roles: AttributeRoles | None = None,
    contacts: Sequence[str] | None = None,
) -> OutcomeSetup:
    """Build ``journey_outcomes`` and ``survey_links`` on ``cur`` (the model's cursor, held):
    temp tables, or with a model kept in its dataset, views over the tables kept beside it
    (built by the first session with these goals and this survey window). ``contacts`` names
    the channels that count as contacts (``None``: guessed; see
    :func:`workbench.analyses.contacts.classify_contacts`).

    Also leaves the views ``signal_events``, ``interaction_events``, ``customer_flags`` and
    ``customer_attributes`` that the friction and causes queries read.
    """
    log = model.log
    roles = roles or classify(log)
    names = set(model.touchpoints["touchpoint"])
    classes = classify_contacts(log, contacts)
    if goals is None:
        chosen, guessed = guess_goals(model, classes), True
    else:
        unknown = [g for g in goals if g not in names]
        if unknown:
            raise ValidationError(
                f"Goal touchpoint(s) {', '.join(unknown)} do not occur in these journeys.",
                "Unknown goal",
            )
        chosen, guessed = list(goals), False
    _signal_views(cur, log.has_surveys, log.has_customers, roles)
    links: dict[str, int] = {}
    window = parse_duration(survey_window, "survey window")
    goal_values = chosen or ["\u0000"]  # no goals: nothing matches
    tables: list[tuple[str, str, dict[str, Any]]] = []
    if log.has_surveys:
        by_id = model.split.by_column
        params = {"by_journey_id": by_id, "window_seconds": window}
        tables.append(("outcomes/survey_links", "survey_links", params))
    else:
        db.materialize(cur, "duckdb/outcomes/no_survey_links", "survey_links", temp=True)
    tables.append(("outcomes/journey_outcomes", "journey_outcomes", {"goals": goal_values}))
    # built once per kept model and goals and survey window: the next session reads them back
    key = (tuple(goal_values), window, log.has_surveys, log.has_customers, repr(roles))
    model.cache.relations_kept("outcomes", key, tables, cur)
    if log.has_surveys:
        counts = db.execute(cur, "duckdb/outcomes/link_rules").fetchall()
        links = {str(r): int(n) for r, n in counts}
        row = db.execute(cur, "duckdb/outcomes/untied_surveys").fetchone()
        if row and row[0]:
            links["nothing (not tied)"] = int(row[0])
    available = ["no_goal"] if chosen else []
    row = db.execute(cur, "duckdb/outcomes/known_outcomes").fetchone()
    if row:
        available += [
            o for o, n in zip(("low_csat", "detractor", "churned"), row, strict=True) if n
        ]
    return OutcomeSetup(
        tuple(chosen), guessed, tuple(available), links, survey_window, roles, classes
    )


def visit_key(
    goals: Sequence[str] | None,
    survey_window: str,
    repeat_seconds: float,
    long_wait_seconds: float,
    *,
    transfers: Sequence[str] | None = None,
    contacts: Sequence[str] | None = None,
) -> tuple[Any, ...]:
    """What the ``visits`` table depends on besides the model: the key analyses keep their
    counts under (see :func:`prepare_visits`)."""
    return (
        tuple(goals) if goals is not None else None,
        survey_window,
        float(repeat_seconds),
        float(long_wait_seconds),
        *(() if transfers is None else (("transfers", tuple(transfers)),)),
        tuple(contacts) if contacts is not None else None,
    )


def transfer_steps(model: JourneyTables, transfers: Sequence[str] | None = None) -> list[str]:
    """The touchpoints that are transfers (a transfer, an escalation, a second line): a contact
    followed by one was transferred, beside any transfer column of the log. ``transfers``
    names them; by default they are recognised by their names
    (:func:`workbench.ingest.vocabulary.is_transfer`).

    Examples
    --------
    >>> import workbench as wb
    >>> model = wb.build_journeys(wb.load_events("sample_data/events.csv"))
    >>> transfer_steps(model)
    ['Second-line transfer']
    """
    names = [str(t) for t in model.touchpoints["touchpoint"]]
    if transfers is None:
        return [t for t in names if is_transfer(t)]
    unknown = [t for t in transfers if t not in names]
    if unknown:
        raise ValidationError(
            f"No touchpoint called {', '.join(repr(t) for t in unknown)} to mark as a transfer; "
            "give the name of a touchpoint of the log.",
            "Unknown transfer step",
        )
    return list(dict.fromkeys(transfers))


def prepare_setup(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    goals: Sequence[str] | None = None,
    survey_window: str = "7d",
    contacts: Sequence[str] | None = None,
) -> OutcomeSetup:
    """:func:`prepare_outcomes`, once per model and goals and survey window and contacts: the
    outcomes without the per-step ``visits``, for an analysis whose counts are already kept."""
    key = (
        tuple(goals) if goals is not None else None,
        survey_window,
        tuple(contacts) if contacts is not None else None,
    )
    # journey_outcomes is rebuilt: the relations that read it must be too
    return model.cache.get_or_run(
        "outcomes",
        key,
        lambda: prepare_outcomes(model, cur, goals, survey_window, contacts=contacts),
        relations=True,
        invalidates=RELATIONS_ON_OUTCOMES,
    )


def prepare_visits(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    goals: Sequence[str] | None = None,
    survey_window: str = "7d",
    repeat_seconds: float = 7 * 86400.0,
    long_wait_seconds: float = LONG_WAIT_SECONDS,
    *,
    transfers: Sequence[str] | None = None,
    contacts: Sequence[str] | None = None,
) -> OutcomeSetup:
    """:func:`prepare_setup`, then the temp table ``visits``: every event with its contact
    signals (waited long, transferred, unresolved, repeated within ``repeat_seconds``, switched
    channel), which friction, causes, KPIs and satisfaction all read. ``is_contact`` follows
    the one classification of contacts (``contacts``; see :mod:`workbench.analyses.contacts`).
    A contact is transferred when the log's transfer column says so or its next step is a
    transfer step (:func:`transfer_steps` of ``transfers``).

    Built once per model and set of parameters: a second call with the same ones finds the
    tables on the model's cursor and returns at once."""
    key = visit_key(
        goals,
        survey_window,
        repeat_seconds,
        long_wait_seconds,
        transfers=transfers,
        contacts=contacts,
    )

    def make() -> OutcomeSetup:
        setup = prepare_setup(model, cur, goals, survey_window, contacts)
        classes = setup.contacts or classify_contacts(model.log, contacts)
        steps = transfer_steps(model, transfers)
        db.materialize(
            cur,
            "friction/visits",
            "visits",
            temp=True,
            repeat_seconds=repeat_seconds,
            long_wait_seconds=long_wait_seconds,
            self_service=list(setup.roles.self_service) or ["-"],
            assisted=list(setup.roles.assisted) or ["-"],
            has_transfer_steps=bool(steps),
            transfer_steps=steps or ["-"],
            **classes.params(),
        )
        return setup

    return model.cache.get_or_run("visits", key, make, relations=True)


def _signal_views(
    cur: duckdb.DuckDBPyConnection, has_surveys: bool, has_customers: bool, roles: AttributeRoles
) -> None:
    for view, (query, params) in _signal_queries(has_surveys, has_customers, roles).items():
        db.create_view(cur, query, view, temp=True, **params)


def signal_views(
    has_surveys: bool, has_customers: bool, roles: AttributeRoles
) -> list[tuple[str, str]]:
    """The views the outcome, friction and KPI queries read besides the model, as (name, SQL
    text) for an engine that makes them from the text: ``signal_events`` (each event's contact
    signals, from the attributes ``roles`` recognised), ``interaction_events``,
    ``customer_flags``, and an empty ``surveys`` when the log has none."""
    return [
        (view, db.inline(query, **params))
        for view, (query, params) in _signal_queries(has_surveys, has_customers, roles).items()
    ]


def _signal_queries(
    has_surveys: bool, has_customers: bool, roles: AttributeRoles
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each signal view's query and parameters. A role the log lacks still names a column
    (``row_no``, ``customer_key``) for its slot, and its ``has_`` flag leaves it null."""
    signals = ("wait", "transferred", "resolved", "abandoned", "handled_by")
    views: dict[str, tuple[str, dict[str, Any]]] = {
        "signal_events": (
            "outcomes/signal_events",
            {
                **{s: getattr(roles, s) or "row_no" for s in signals},
                **{f"has_{s}": getattr(roles, s) is not None for s in signals},
            },
        ),
        "interaction_events": (
            "outcomes/interaction_events",
            {
                "interaction": roles.interaction_id or "row_no",
                "has_interaction": roles.interaction_id is not None,
            },
        ),
    }
    if not has_surveys:
        views["surveys"] = ("duckdb/outcomes/no_surveys", {})
    if has_customers:
        views["customer_flags"] = (
            "outcomes/customer_flags",
            {"churned": roles.churned or "customer_key", "has_churned": roles.churned is not None},
        )
    else:
        views["customer_flags"] = ("duckdb/outcomes/no_customer_flags", {})
    return views


def outcome_table(model: JourneyModel, goals: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per journey with ``reached_goal``, ``csat``, ``low_csat``, ``nps``,
    ``detractor`` and ``churned`` (null where unknown)."""
    with model.using() as cur:
        prepare_outcomes(model, cur, goals)
        return db.execute(cur, "duckdb/db/all_rows", relation="journey_outcomes").df()
