"""Canonical roles of an event log and the mapping from a file's columns to them.

Every event log, whatever its source system calls things, is read into the same roles:

========== ======== ==========================================================================
role       required what it holds
========== ======== ==========================================================================
customer   yes      who the journey belongs to (customer, account, user, subscriber id)
journey    no       the case, ticket or session id; without it journeys are cut by a time gap
touchpoint yes      what happened (page, call, e-mail, app screen, store visit)
channel    no       where it happened (web, app, IVR, phone, chat, e-mail, SMS, store)
time       yes      when it happened
========== ======== ==========================================================================

Every other column is kept as an *attribute* (team, agent, device, wait time, resolved ...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.errors import ValidationError

ROLES: tuple[str, ...] = ("customer", "journey", "touchpoint", "channel", "time")
REQUIRED_ROLES: tuple[str, ...] = ("customer", "touchpoint", "time")
ROLE_LABELS = {
    "customer": "Customer",
    "journey": "Journey / case / session",
    "touchpoint": "Touchpoint / activity",
    "channel": "Channel",
    "time": "Time",
}

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

# Names seen in CRM, contact-centre, web-analytics and process-mining exports, best first.
# Names are compared after lower-casing and turning every non-alphanumeric run into "_".
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "customer": (
        "customer_id",
        "customerid",
        "customer",
        "client_id",
        "client",
        "account_id",
        "account",
        "subscriber_id",
        "subscriber",
        "msisdn",
        "user_id",
        "userid",
        "user",
        "contact_id",
        "person_id",
        "member_id",
        "visitor_id",
        "kund_id",
        "kundid",
        "kund",
        "kundnummer",
        "asiakas_id",
        "asiakas",
        "kunde_id",
        "kunde",
        "case_concept_customer",
        "org_resource_customer",
    ),
    "journey": (
        "journey_id",
        "journey",
        "case_id",
        "caseid",
        "case",
        "case_concept_name",
        "ticket_id",
        "ticket",
        "session_id",
        "sessionid",
        "session",
        "conversation_id",
        "process_id",
        "trace_id",
        "arende_id",
        "arende",
        "sak_id",
    ),
    "touchpoint": (
        "touchpoint",
        "touch_point",
        "activity",
        "activity_name",
        "concept_name",
        "event_name",
        "event",
        "event_type",
        "action",
        "step",
        "interaction",
        "interaction_type",
        "page",
        "page_name",
        "screen",
        "task",
        "aktivitet",
        "handelse",
        "kontaktpunkt",
        "steg",
    ),
    "channel": (
        "channel",
        "channel_name",
        "contact_channel",
        "channel_type",
        "medium",
        "kanal",
        "kanava",
    ),
    "time": (
        "timestamp",
        "time_timestamp",
        "ts",
        "event_time",
        "event_timestamp",
        "datetime",
        "date_time",
        "time",
        "occurred_at",
        "created_at",
        "created",
        "start_time",
        "started_at",
        "date",
        "tidpunkt",
        "tidspunkt",
        "tidsstampel",
        "tid",
        "aikaleima",
        "aika",
        "zeitstempel",
        "zeit",
    ),
}
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


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of the source plays which role.

    Parameters
    ----------
    customer, journey, touchpoint, channel, time
        Source column names; ``journey`` and ``channel`` may be ``None``.
    attributes
        The remaining source columns kept as attributes, in source order.

    Examples
    --------
    >>> m = ColumnMapping.detect(["user", "case_id", "activity", "ts", "team"])
    >>> m.customer, m.journey, m.touchpoint, m.time, m.attributes
    ('user', 'case_id', 'activity', 'ts', ('team',))
    """

    customer: str | None = None
    journey: str | None = None
    touchpoint: str | None = None
    channel: str | None = None
    time: str | None = None
    attributes: tuple[str, ...] = field(default=())

    @classmethod
    def detect(
        cls,
        columns: Iterable[str],
        types: Mapping[str, str] | None = None,
        overrides: Mapping[str, str | None] | None = None,
    ) -> ColumnMapping:
        """Guess the mapping from column names (and types), then apply ``overrides``.

        ``overrides`` maps a role to a column name, or to ``None`` to leave the role unmapped.
        """
        cols = list(columns)
        types = dict(types or {})
        overrides = dict(overrides or {})
        unknown_roles = set(overrides) - set(ROLES)
        if unknown_roles:
            raise ValidationError(
                f"Unknown role(s) {', '.join(sorted(unknown_roles))}; the roles are "
                f"{', '.join(ROLES)}.",
                "Unknown role",
            )
        for role, col in overrides.items():
            if col is not None and col not in cols:
                raise ValidationError(
                    f"The {role} role is mapped to column '{col}', which the file does not have. "
                    f"Its columns are: {', '.join(cols)}.",
                    "Column not found",
                )
        taken = {c for c in overrides.values() if c is not None}
        chosen: dict[str, str | None] = {}
        by_norm: dict[str, str] = {}
        for c in cols:
            by_norm.setdefault(normalise(c), c)
        for role in ROLES:
            if role in overrides:
                chosen[role] = overrides[role]
                continue
            found = None
            for cand in _CANDIDATES[role]:
                col = by_norm.get(cand)
                if col is not None and col not in taken:
                    found = col
                    break
            if found is None and role == "time":
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
        attributes = tuple(c for c in cols if c not in taken)
        return cls(attributes=attributes, **chosen)

    def role_columns(self) -> dict[str, str | None]:
        """The role -> column part of the mapping."""
        return {role: getattr(self, role) for role in ROLES}

    def with_roles(self, columns: Iterable[str], **roles: str | None) -> ColumnMapping:
        """A copy with some roles re-assigned; attributes are recomputed from ``columns``."""
        merged = {**self.role_columns(), **roles}
        used = {c for c in merged.values() if c is not None}
        return replace(self, attributes=tuple(c for c in columns if c not in used), **merged)

    def check(self, columns: Iterable[str]) -> None:
        """Raise :class:`ValidationError` unless the mapping can be used on ``columns``."""
        cols = list(columns)
        missing = [r for r in REQUIRED_ROLES if getattr(self, r) is None]
        if missing:
            names = ", ".join(ROLE_LABELS[r].lower() for r in missing)
            raise ValidationError(
                f"No column was found for: {names}. The file's columns are: {', '.join(cols)}. "
                "Map them explicitly, e.g. --map customer=kund or mapping={'customer': 'kund'}.",
                "Columns not mapped",
            )
        seen: dict[str, str] = {}
        for role, col in self.role_columns().items():
            if col is None:
                continue
            if col not in cols:
                raise ValidationError(
                    f"The {role} role is mapped to '{col}', which is not a column of the data. "
                    f"Its columns are: {', '.join(cols)}.",
                    "Column not found",
                )
            if col in seen:
                raise ValidationError(
                    f"Column '{col}' is mapped to both {seen[col]} and {role}; give each role its "
                    "own column.",
                    "Column mapped twice",
                )
            seen[col] = role

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary for JSON output and saved views."""
        return {**self.role_columns(), "attributes": list(self.attributes)}


def parse_map_args(items: Iterable[str]) -> dict[str, str | None]:
    """Parse CLI ``role=column`` pairs; ``role=`` (empty) unmaps a role."""
    out: dict[str, str | None] = {}
    for item in items:
        role, sep, col = item.partition("=")
        role = role.strip().lower()
        if not sep or role not in ROLES:
            raise ValidationError(
                f"'{item}' is not role=column. Roles: {', '.join(ROLES)}; "
                "e.g. --map customer=kund.",
                "Bad --map value",
            )
        out[role] = col or None
    return out
