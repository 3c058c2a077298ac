"""What the attributes of a log mean to the analyses: signals, channels, and Ishikawa bones.

Attributes are recognised by name (and type), the same way columns are mapped to roles:

- a numeric ``*wait*`` / ``*queue_time*`` / ``*hold*`` column is the wait before a contact
  (seconds); a boolean ``*transfer*`` / ``*escalat*`` column marks transfers; a boolean
  ``*resolved*`` / ``fcr`` column marks resolved contacts; ``*abandon*`` marks abandoned ones;
  an ``agent``/``team`` column marks contacts a person handled;
- channels are *self-service* (web, app, portal ...) or *assisted* (phone, chat, store ...);
  e-mail, SMS and IVR are neither (:func:`workbench.ingest.vocabulary.channel_class`, in the
  Nordic languages too);
- each attribute sits on one bone of the fishbone (People, Process, Channel & technology,
  Policy & information, Time & environment, Customer) unless the analyst moves it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbench.core import db
from workbench.ingest.load import EventLog
from workbench.ingest.schema import normalise
from workbench.ingest.vocabulary import channel_class

BONES: tuple[str, ...] = (
    "People",
    "Process",
    "Channel & technology",
    "Policy & information",
    "Time & environment",
    "Customer",
)

_BONE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "People",
        (
            "agent",
            "team",
            "employee",
            "staff",
            "advisor",
            "adviser",
            "handler",
            "rep",
            "owner",
            "skill",
            "resource",
            "operator",
            "handlaggare",
        ),
    ),
    (
        "Channel & technology",
        (
            "channel",
            "platform",
            "device",
            "os",
            "browser",
            "version",
            "system",
            "tool",
            "medium",
            "app",
        ),
    ),
    (
        "Policy & information",
        (
            "policy",
            "product",
            "offer",
            "price",
            "tariff",
            "contract",
            "campaign",
            "terms",
            "knowledge",
            "faq",
            "information",
            "rule",
            "fee",
        ),
    ),
    (
        "Time & environment",
        (
            "wait",
            "queue_time",
            "hold",
            "hour",
            "weekday",
            "day",
            "week",
            "month",
            "period",
            "season",
            "site",
            "location",
            "store_id",
            "region",
            "weather",
            "outage",
            "load",
        ),
    ),
    (
        "Customer",
        (
            "segment",
            "tenure",
            "plan",
            "age",
            "acquisition",
            "revenue",
            "value",
            "churn",
            "loyalty",
            "customer_type",
            "tier",
            "gender",
            "language",
            "lifecycle",
            "cohort",
            "membership",
            "subscription",
            "user_type",
            "visitor_type",
            "kundtyp",
            "kundsegment",
            "kundkategori",
        ),
    ),
)


def _has(name: str, words: tuple[str, ...]) -> bool:
    parts = normalise(name).split("_")
    joined = normalise(name)
    return any(w in parts or (("_" in w or len(w) > 4) and w in joined) for w in words)


def bone_of(attribute: str, *, customer_attribute: bool = False) -> str:
    """The bone an attribute sits on by default (customer-list attributes: Customer).

    Examples
    --------
    >>> bone_of("team"), bone_of("device"), bone_of("wait_seconds"), bone_of("queue")
    ('People', 'Channel & technology', 'Time & environment', 'Process')
    >>> bone_of("user_lifecycle"), bone_of("kundtyp")
    ('Customer', 'Customer')
    """
    if customer_attribute:
        words = dict(_BONE_WORDS)
        if not _has(attribute, words["Customer"]) and _has(
            attribute, words["Policy & information"]
        ):
            return "Policy & information"
        return "Customer"
    for bone, bone_words in _BONE_WORDS:
        if _has(attribute, bone_words):
            return bone
    return "Process"


@dataclass(frozen=True)
class AttributeRoles:
    """Which attributes of a log feed which analysis, and the default bone of each."""

    wait: str | None = None
    transferred: str | None = None
    resolved: str | None = None
    abandoned: str | None = None
    handled_by: str | None = None
    interaction_id: str | None = None
    churned: str | None = None
    revenue: str | None = None
    self_service: tuple[str, ...] = ()
    assisted: tuple[str, ...] = ()
    bones: dict[str, str] = field(default_factory=dict)
    customer_attributes: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """One line per recognised attribute, for people."""
        out = []
        for label, col in (
            ("wait (seconds)", self.wait),
            ("transfer flag", self.transferred),
            ("resolved flag", self.resolved),
            ("abandoned flag", self.abandoned),
            ("handled by (contact)", self.handled_by),
            ("interaction id", self.interaction_id),
            ("churned flag", self.churned),
            ("revenue", self.revenue),
        ):
            if col:
                out.append(f"{label}: {col}")
        if self.self_service or self.assisted:
            out.append(
                f"self-service channels: {', '.join(self.self_service) or '–'}; "
                f"assisted: {', '.join(self.assisted) or '–'}"
            )
        return out


def classify(log: EventLog, channels: list[str] | None = None) -> AttributeRoles:
    """Recognise the attributes of ``log`` (and of its customer list) by name and type.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", customers="sample_data/customers.csv")
    >>> roles = classify(log)
    >>> roles.wait, roles.transferred, roles.resolved, roles.churned
    ('wait_seconds', 'transferred', 'resolved', 'churned')
    """
    cust_types = log.customer_report.attribute_types if log.customer_report else {}
    return classify_types(
        log.attributes, cust_types, channels if channels is not None else _channels(log)
    )


def classify_types(
    types: Mapping[str, str], cust_types: Mapping[str, str], chans: Sequence[str]
) -> AttributeRoles:
    """:func:`classify` from the event attributes' and customer attributes' types (DuckDB
    spelling, e.g. ``{"wait_seconds": "BIGINT"}``) and the log's channels: for a log that is
    not loaded in DuckDB, such as one on Spark."""
    numeric = {
        a
        for a, t in types.items()
        if t in ("BIGINT", "DOUBLE", "INTEGER", "FLOAT", "DECIMAL", "HUGEINT", "SMALLINT")
    }
    boolean = {a for a, t in types.items() if t == "BOOLEAN"}

    def first(candidates: set[str], words: tuple[str, ...]) -> str | None:
        return next((a for a in types if a in candidates and _has(a, words)), None)

    wait = first(numeric, ("wait", "queue_time", "hold", "waiting", "queue_seconds"))
    transferred = first(boolean, ("transfer", "transferred", "escalated", "escalation"))
    resolved = first(boolean, ("resolved", "fcr", "solved", "first_contact_resolution"))
    abandoned = first(boolean, ("abandon", "abandoned"))
    handled_by = next(
        (
            a
            for a in types
            if normalise(a) in ("agent_id", "agent", "team", "agent_name", "employee_id", "handler")
        ),
        None,
    )
    interaction_id = next(
        (
            a
            for a in types
            if normalise(a) in ("event_id", "interaction_id", "id", "contact_id", "eventid")
        ),
        None,
    )
    churned = next(
        (
            a
            for a, t in cust_types.items()
            if t == "BOOLEAN" and _has(a, ("churn", "churned", "cancelled", "canceled", "left"))
        ),
        None,
    )
    revenue = next(
        (
            a
            for a, t in cust_types.items()
            if t in ("DOUBLE", "BIGINT")
            and _has(a, ("revenue", "arpu", "mrr", "value", "spend", "clv"))
        ),
        None,
    )
    bones = {a: bone_of(a) for a in types if a != interaction_id}
    bones.update(
        {a: bone_of(a, customer_attribute=True) for a in cust_types if a not in (churned,)}
    )
    return AttributeRoles(
        wait=wait,
        transferred=transferred,
        resolved=resolved,
        abandoned=abandoned,
        handled_by=handled_by,
        interaction_id=interaction_id,
        churned=churned,
        revenue=revenue,
        self_service=tuple(c for c in chans if channel_class(c) == "self-service"),
        assisted=tuple(c for c in chans if channel_class(c) == "assisted"),
        bones=bones,
        customer_attributes=tuple(a for a in cust_types if a != churned),
    )


def _channels(log: EventLog) -> list[str]:
    rows = db.execute(log.cursor(), "duckdb/analyses/channel_names").fetchall()
    return sorted(str(r[0]) for r in rows)
