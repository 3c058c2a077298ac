"""Canonical roles of the tables the workbench reads, and the mapping from a file's columns.

Event logs, survey exports and customer lists come from different systems and name the same
thing differently (``kund`` in one, ``customer_id`` in another), so each file has its own mapping.
Roles are detected from common column names and can be overridden.

Events
    ========== ======== ======================================================================
    role       required what it holds
    ========== ======== ======================================================================
    customer   one of   who the journey belongs to (customer, account, user, subscriber id)
    journey    the two  the case, ticket or session id; without it journeys are cut by a gap
    touchpoint yes      what happened (page, call, e-mail, app screen, store visit)
    channel    no       where it happened (web, app, IVR, phone, chat, e-mail, SMS, store)
    time       yes      when it happened
    ========== ======== ======================================================================

A log needs a customer or a journey column, or both. A case-only log (a process-mining export
with ``case:concept:name`` and no customer) has journeys that are its cases, and its customer id
is the case id: customer-level counts then count cases (:attr:`ColumnMapping.customers_are_cases`).
One column may play both the customer and the journey, which means exactly that.

Surveys: customer, kind (``nps``, ``csat``, ``ces``), score and time are required; journey,
interaction (the event the survey rates), touchpoint and comment are optional.

Customers: customer is required; every other column (segment, tenure, plan, revenue, churned
...) is an attribute.

Every column that plays no role is kept as an *attribute*.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from workbench.core.errors import ValidationError


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_CUSTOMER = _names(
    "customer_id customerid customer client_id client account_id account subscriber_id "
    "subscriber msisdn user_id userid user contact_id person_id member_id visitor_id kund_id "
    "kundid kund kundnummer asiakas_id asiakas kunde_id kunde case_concept_customer "
    "org_resource_customer "
    # Swedish, Norwegian, Danish, Finnish (as normalise writes them: no accents, ``_``)
    "kundnr kund_nr kundenummer kundenr kunde_nr asiakasnumero asiakasnro "
    "asiakas_nro asiakastunnus"
)
_JOURNEY = _names(
    "journey_id journey case_id caseid case case_concept_name ticket_id ticket session_id "
    "sessionid session conversation_id process_id trace_id arende_id arende sak_id "
    "arendenr arende_nr arendenummer sak saksnr saksnummer sag sag_id sagsnr sagsnummer "
    "tapaus tapaus_id tapausnumero tapausnro"
)
_TIME = _names(
    "timestamp time_timestamp ts event_time event_timestamp datetime date_time time occurred_at "
    "created_at created start_time started_at responded_at answered_at submitted_at answered "
    "responded date "
    "tidpunkt tidspunkt tidsstampel tid aikaleima aika zeitstempel zeit "
    "tidsstempel tidsstaempel tidsstmpel ajankohta"
)
_TOUCHPOINT = _names(
    "touchpoint touch_point activity activity_name concept_name event_name event event_type "
    "action step interaction interaction_type page page_name screen task aktivitet handelse "
    "kontaktpunkt steg "
    # ``hændelse`` is ``hndelse`` while normalise drops ``æ``, ``haendelse`` if it folds it
    "hendelse hndelse haendelse tapahtuma aktiviteetti toiminto kosketuspiste"
)


@dataclass(frozen=True)
class RoleSet:
    """The roles of one kind of table, which are required, and the names that suggest them."""

    name: str
    roles: tuple[str, ...]
    required: tuple[str, ...]
    labels: dict[str, str]
    candidates: dict[str, tuple[str, ...]]
    time_role: str | None = "time"
    cli_flag: str = "--map"
    one_of: tuple[str, ...] = ()
    """Roles of which at least one must be mapped (besides :attr:`required`)."""
    may_share: frozenset[str] = frozenset()
    """Roles that may be played by one column together."""


EVENT_ROLES = RoleSet(
    "events",
    ("customer", "journey", "touchpoint", "channel", "time"),
    ("touchpoint", "time"),
    {
        "customer": "Customer",
        "journey": "Journey / case / session",
        "touchpoint": "Touchpoint / activity",
        "channel": "Channel",
        "time": "Time",
    },
    {
        "customer": _CUSTOMER,
        "journey": _JOURNEY,
        "touchpoint": _TOUCHPOINT,
        "channel": _names(
            "channel channel_name contact_channel channel_type medium kanal kanava "
            "kontaktkanal kontaktkanal_id asiointikanava yhteyskanava"
        ),
        "time": _TIME,
    },
    one_of=("journey", "customer"),
    may_share=frozenset({"customer", "journey"}),
)
SURVEY_ROLES = RoleSet(
    "surveys",
    ("customer", "journey", "interaction", "touchpoint", "kind", "score", "time", "comment"),
    ("customer", "kind", "score", "time"),
    {
        "customer": "Customer",
        "journey": "Journey / case",
        "interaction": "Interaction rated",
        "touchpoint": "Touchpoint rated",
        "kind": "Survey kind (NPS, CSAT, CES)",
        "score": "Score",
        "time": "Time answered",
        "comment": "Comment",
    },
    {
        "customer": _CUSTOMER,
        "journey": _JOURNEY,
        "interaction": _names(
            "interaction_id event_id contact_id call_id chat_id interaction_ref "
            "event_ref kontakt_id"
        ),
        "touchpoint": _TOUCHPOINT,
        "kind": _names(
            "kind survey_kind survey_type survey type metric measure question_type question typ"
        ),
        "score": _names("score value rating answer response grade points svar betyg"),
        "time": _TIME,
        "comment": _names("comment comments verbatim feedback free_text text remark kommentar"),
    },
    cli_flag="--survey-map",
)
CUSTOMER_ROLES = RoleSet(
    "customers",
    ("customer",),
    ("customer",),
    {"customer": "Customer"},
    {"customer": _CUSTOMER},
    time_role=None,
    cli_flag="--customer-map",
)

ROLES: tuple[str, ...] = EVENT_ROLES.roles
REQUIRED_ROLES: tuple[str, ...] = EVENT_ROLES.required
ROLE_LABELS = EVENT_ROLES.labels

#: Canonical column names in the loaded ``events`` table; attributes may not take these names.
RESERVED = frozenset(
    {
        "row_no",
        "customer_id",
        "journey_id",
        "touchpoint",
        "channel",
        "ts",
        "time_raw",
        "reject_reason",
        "reject_column",
        "customer_key",
        "journey_key",
    }
)
_TIME_TYPES = ("TIMESTAMP", "DATE")


def normalise(name: str) -> str:
    """Lower-case a column name, drop accents, and turn each run of other characters into ``_``.

    Examples
    --------
    >>> normalise("Händelse"), normalise("case:concept:name"), normalise(" User ID ")
    ('handelse', 'case_concept_name', 'user_id')
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", plain.strip().lower()).strip("_")


def detect_roles(
    role_set: RoleSet,
    columns: Iterable[str],
    types: Mapping[str, str] | None = None,
    overrides: Mapping[str, str | None] | None = None,
) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """Guess which column plays each role; return ``(role -> column, attribute columns)``.

    ``overrides`` maps a role to a column name, or to ``None`` to leave the role unmapped.
    """
    cols = list(columns)
    types = dict(types or {})
    overrides = dict(overrides or {})
    unknown_roles = set(overrides) - set(role_set.roles)
    if unknown_roles:
        raise ValidationError(
            f"Unknown role(s) {', '.join(sorted(unknown_roles))} for {role_set.name}; the roles "
            f"are {', '.join(role_set.roles)}.",
            "Unknown role",
        )
    for role, col in overrides.items():
        if col is not None and col not in cols:
            raise ValidationError(
                f"The {role} role is mapped to column '{col}', which the {role_set.name} file "
                f"does not have. Its columns are: {', '.join(cols)}.",
                "Column not found",
            )
    taken = {c for c in overrides.values() if c is not None}
    by_norm: dict[str, str] = {}
    for c in cols:
        by_norm.setdefault(normalise(c), c)
    chosen: dict[str, str | None] = {}
    for role in role_set.roles:
        if role in overrides:
            chosen[role] = overrides[role]
            continue
        found = next(
            (
                by_norm[c]
                for c in role_set.candidates[role]
                if c in by_norm and by_norm[c] not in taken
            ),
            None,
        )
        if found is None and role == role_set.time_role:
            found = next(
                (
                    c
                    for c in cols
                    if c not in taken and str(types.get(c, "")).upper().startswith(_TIME_TYPES)
                ),
                None,
            )
        chosen[role] = found
        if found is not None:
            taken.add(found)
    _case_id_as_journey(role_set, chosen, overrides)
    return chosen, tuple(c for c in cols if c not in taken)


def _case_id_as_journey(
    role_set: RoleSet, chosen: dict[str, str | None], overrides: Mapping[str, str | None]
) -> None:
    """A case id mapped as the customer of a log with no other journey column is the journey
    too, so that no default cuts a case into sessions (``journey`` given, even as None, wins)."""
    if not {"customer", "journey"} <= role_set.may_share or "journey" in overrides:
        return
    customer = chosen.get("customer")
    named_as_case = customer is not None and normalise(customer) in role_set.candidates["journey"]
    if chosen.get("journey") is None and named_as_case:
        chosen["journey"] = customer


def check_roles(role_set: RoleSet, roles: Mapping[str, str | None], columns: Iterable[str]) -> None:
    """Raise :class:`ValidationError` unless ``roles`` can be used on ``columns``."""
    cols = list(columns)
    missing = [role_set.labels[r].lower() for r in role_set.required if roles.get(r) is None]
    first_missing = next((r for r in role_set.required if roles.get(r) is None), None)
    if role_set.one_of and all(roles.get(r) is None for r in role_set.one_of):
        either = " or ".join(role_set.labels[r].lower() for r in role_set.one_of)
        missing.insert(0, f"{either} (one is enough)")
        first_missing = role_set.one_of[0]
    if first_missing is not None:
        example = suggest_column(cols, roles, first_missing)
        raise ValidationError(
            f"No column of the {role_set.name} file was found for: {', '.join(missing)}. Its "
            f"columns are: {', '.join(cols)}. Map them explicitly, e.g. {role_set.cli_flag} "
            f"{first_missing}={example} or mapping={{'{first_missing}': '{example}'}}.",
            "Columns not mapped",
        )
    seen: dict[str, str] = {}
    for role, col in roles.items():
        if col is None:
            continue
        if col not in cols:
            raise ValidationError(
                f"The {role} role is mapped to '{col}', which is not a column of the "
                f"{role_set.name} file. Its columns are: {', '.join(cols)}.",
                "Column not found",
            )
        if col in seen and not {seen[col], role} <= role_set.may_share:
            raise ValidationError(
                f"Column '{col}' is mapped to both {seen[col]} and {role}; give each role its "
                "own column.",
                "Column mapped twice",
            )
        seen.setdefault(col, role)


#: Words in a column name that say it identifies something (a case, a ticket, a customer).
_ID_WORDS = frozenset(_names("id key nr no number num code ref case ticket order incident"))


def suggest_column(columns: Iterable[str], roles: Mapping[str, str | None], role: str) -> str:
    """The column to name in an example mapping of ``role``: a column that plays no role yet,
    preferring one whose name says it is an id when ``role`` is a customer or a journey.

    Examples
    --------
    >>> suggest_column(["Activity", "Resource", "Case nr", "When"], {"touchpoint": "Activity",
    ...     "time": "When"}, "journey")
    'Case nr'
    """
    cols = list(columns)
    unused = [c for c in cols if c not in roles.values()] or cols or ["column"]
    if role in ("customer", "journey"):
        for c in unused:
            if _ID_WORDS & set(normalise(c).split("_")):
                return c
    return unused[0]


#: The role sets by the kind of table they map.
ROLE_SETS = {r.name: r for r in (EVENT_ROLES, SURVEY_ROLES, CUSTOMER_ROLES)}


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of one file plays which role: an event log, a survey export or a customer
    list (``kind``, one of :data:`ROLE_SETS`). Every column that plays no role is an attribute.

    Examples
    --------
    >>> m = ColumnMapping.detect(["user", "case_id", "activity", "ts", "team"])
    >>> m.customer, m.journey, m.touchpoint, m.time, m.attributes
    ('user', 'case_id', 'activity', 'ts', ('team',))
    >>> s = ColumnMapping.detect(["kund", "typ", "betyg", "tid", "kanal"], kind="surveys")
    >>> s.get("customer"), s.get("kind"), s.get("score"), s.get("time"), s.attributes
    ('kund', 'typ', 'betyg', 'tid', ('kanal',))
    """

    kind: str
    roles: tuple[tuple[str, str | None], ...]
    attributes: tuple[str, ...] = ()

    @classmethod
    def detect(
        cls,
        columns: Iterable[str],
        types: Mapping[str, str] | None = None,
        overrides: Mapping[str, str | None] | None = None,
        *,
        kind: str = "events",
    ) -> ColumnMapping:
        """Guess the mapping of a ``kind`` file from its column names (and types), then apply
        ``overrides``: a role -> column name, or -> ``None`` to leave the role unmapped."""
        chosen, attributes = detect_roles(ROLE_SETS[kind], columns, types, overrides)
        return cls(kind, tuple(chosen.items()), attributes)

    @classmethod
    def of(
        cls, kind: str = "events", attributes: Iterable[str] = (), **roles: str | None
    ) -> ColumnMapping:
        """A mapping given role by role; roles not named are unmapped.

        Examples
        --------
        >>> ColumnMapping.of(customer="kund", touchpoint="steg", time="tid").role_columns()
        {'customer': 'kund', 'journey': None, 'touchpoint': 'steg', 'channel': None, 'time': 'tid'}
        """
        role_set = ROLE_SETS[kind]
        return cls(kind, tuple((r, roles.get(r)) for r in role_set.roles), tuple(attributes))

    def get(self, role: str) -> str | None:
        """The column that plays ``role``, or None."""
        return dict(self.roles).get(role)

    @property
    def customer(self) -> str | None:
        """The customer column."""
        return self.get("customer")

    @property
    def journey(self) -> str | None:
        """The journey (case, ticket, session) column."""
        return self.get("journey")

    @property
    def customer_source(self) -> str | None:
        """The column customer ids are read from: the customer column, or in a case-only log
        the journey (case) column."""
        return self.customer if self.customer is not None else self.journey

    @property
    def customers_are_cases(self) -> bool:
        """The log's customer ids are its case (journey) ids: no customer column is mapped, or
        one column plays both roles; customer-level counts then count cases.

        Examples
        --------
        >>> xes = ColumnMapping.detect(["case:concept:name", "concept:name", "time:timestamp"])
        >>> xes.customer, xes.customers_are_cases
        (None, True)
        """
        return (
            self.kind == "events"
            and self.journey is not None
            and self.customer_source == self.journey
        )

    @property
    def touchpoint(self) -> str | None:
        """The touchpoint (activity) column."""
        return self.get("touchpoint")

    @property
    def channel(self) -> str | None:
        """The channel column."""
        return self.get("channel")

    @property
    def time(self) -> str | None:
        """The time column."""
        return self.get("time")

    def role_columns(self) -> dict[str, str | None]:
        """The role -> column part of the mapping."""
        return dict(self.roles)

    def with_roles(self, columns: Iterable[str], **roles: str | None) -> ColumnMapping:
        """A copy with some roles re-assigned; attributes are recomputed from ``columns``."""
        merged = {**self.role_columns(), **roles}
        used = {c for c in merged.values() if c is not None}
        return replace(
            self,
            roles=tuple(merged.items()),
            attributes=tuple(c for c in columns if c not in used),
        )

    def check(self, columns: Iterable[str]) -> None:
        """Raise :class:`ValidationError` unless the mapping can be used on ``columns``."""
        check_roles(ROLE_SETS[self.kind], self.role_columns(), columns)

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary for JSON output and saved views."""
        return {**self.role_columns(), "attributes": list(self.attributes)}


def parse_map_args(
    items: Iterable[str], roles: tuple[str, ...] = ROLES, flag: str = "--map"
) -> dict[str, str | None]:
    """Parse CLI ``role=column`` pairs; ``role=`` (empty) unmaps a role."""
    out: dict[str, str | None] = {}
    for item in items:
        role, sep, col = item.partition("=")
        role = role.strip().lower()
        if not sep or role not in roles:
            raise ValidationError(
                f"'{item}' is not role=column. Roles: {', '.join(roles)}; "
                f"e.g. {flag} {roles[0]}=kund.",
                f"Bad {flag} value",
            )
        out[role] = col or None
    return out
