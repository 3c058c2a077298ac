"""Which steps are contacts with the company: one classification that every analysis uses.

A contact is a step where the company served the customer in person or by message: a call, a
chat, an e-mail answered, a store visit. First-contact resolution, repeat contacts, the
contacts per journey of the satisfaction measures, the friction signals of contacts, and the
goals guessed (a contact is never a goal) all count the same steps, decided here:

- With a channel column, a **channel** counts as a contact or not; without one, a
  **touchpoint** does. By default the names decide
  (:func:`workbench.ingest.vocabulary.is_contact_channel` and
  :func:`~workbench.ingest.vocabulary.is_contact`, in English and the Nordic languages:
  ``telefon``, ``chatt``, ``e-post``, ``butik`` ...); the analyst may name them instead
  (``contacts=("telefon", "chatt")``), and the Data page shows and changes them.
- A step whose touchpoint's name says success (``Ärende löst``, ``Order confirmed``) is not a
  contact, whatever its channel: a case is closed in the channel of its last contact.
- When the log says who handled a step (an agent or team column), a step in a contact
  channel counts only when someone handled it: ``Inkommande samtal`` (the call arriving) and
  ``Samtal besvarat`` (answered by a team) are one contact, not two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.ingest.load import EventLog
from workbench.ingest.vocabulary import is_contact, is_contact_channel, is_success


@dataclass(frozen=True)
class Contacts:
    """Which channels (or touchpoints) of a log count as contacts with the company.

    Attributes
    ----------
    by
        ``"channel"`` when the log has a channel column, else ``"touchpoint"``.
    names
        Every channel (or touchpoint) of the log, sorted.
    contacts
        Those that count as contacts.
    guessed
        True when the names decided; False when the analyst chose.
    successes
        Touchpoints whose names say success: never a contact.
    """

    by: str
    names: tuple[str, ...]
    contacts: tuple[str, ...]
    guessed: bool
    successes: tuple[str, ...] = ()

    @property
    def others(self) -> tuple[str, ...]:
        """The channels (or touchpoints) that do not count as contacts."""
        return tuple(n for n in self.names if n not in self.contacts)

    def counts(self, touchpoint: str, channel: str | None) -> bool:
        """Whether a step at ``touchpoint`` in ``channel`` is a contact (who handled it aside).

        Examples
        --------
        >>> c = Contacts("channel", ("telefon", "webb"), ("telefon",), True, ("Ärende löst",))
        >>> c.counts("Samtal besvarat", "telefon"), c.counts("Ärende löst", "telefon")
        (True, False)
        """
        if touchpoint in self.successes:
            return False
        return (channel if self.by == "channel" else touchpoint) in self.contacts

    def params(self) -> dict[str, Any]:
        """The parameters of ``friction/visits`` that say which steps are contacts."""
        return {
            "contacts": list(self.contacts) or ["\u0000"],
            "contacts_by_channel": self.by == "channel",
            "successes": list(self.successes) or ["\u0000"],
        }

    def describe(self) -> str:
        """One line for people.

        Examples
        --------
        >>> Contacts("channel", ("chatt", "telefon", "webb"), ("chatt", "telefon"), True).describe()
        'Contacts (channels, guessed from their names): chatt, telefon; not contacts: webb'
        """
        how = "guessed from their names" if self.guessed else "chosen"
        return (
            f"Contacts ({self.by}s, {how}): {', '.join(self.contacts) or 'none'}; "
            f"not contacts: {', '.join(self.others) or 'none'}"
        )


def guess_contacts(names: Sequence[str], by: str) -> tuple[str, ...]:
    """The channels (``by="channel"``) or touchpoints whose names say contact.

    Examples
    --------
    >>> guess_contacts(["app", "butik", "chatt", "e-post", "telefon", "webb"], "channel")
    ('butik', 'chatt', 'e-post', 'telefon')
    >>> guess_contacts(["cart", "chat", "purchase"], "touchpoint")
    ('chat',)
    """
    said = is_contact_channel if by == "channel" else is_contact
    return tuple(n for n in names if said(n))


def contacts_of(
    by: str,
    names: Sequence[str],
    touchpoints: Sequence[str],
    contacts: Sequence[str] | None = None,
) -> Contacts:
    """The classification from a log's channels (``by="channel"``) or touchpoints ``names``,
    its ``touchpoints``, and the contacts the analyst chose (``None``: guessed from the names).

    Examples
    --------
    >>> c = contacts_of("channel", ["telefon", "webb"], ["Samtal", "Ärende löst"])
    >>> c.contacts, c.successes
    (('telefon',), ('Ärende löst',))
    """
    names = tuple(sorted(set(names)))
    successes = tuple(t for t in sorted(set(touchpoints)) if is_success(t))
    if contacts is None:
        return Contacts(by, names, guess_contacts(names, by), True, successes)
    unknown = [c for c in contacts if c not in names]
    if unknown:
        raise ValidationError(
            f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not a {by} of this "
            f"log; contacts are named among its {by}s: {', '.join(names[:20])}"
            f"{' …' if len(names) > 20 else ''}.",
            "Unknown contact channel",
        )
    chosen = tuple(n for n in names if n in set(contacts))
    return Contacts(by, names, chosen, False, successes)


def classify_contacts(log: EventLog, contacts: Sequence[str] | None = None) -> Contacts:
    """The one classification of contacts for ``log``: ``contacts`` names the channels (or,
    without a channel column, the touchpoints) that count; ``None`` guesses them from their
    names (see the module's docstring).

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv")
    >>> classify_contacts(log).contacts
    ('chat', 'email', 'ivr', 'phone', 'store')
    >>> classify_contacts(log, ["phone"]).others
    ('app', 'chat', 'email', 'ivr', 'sms', 'store', 'web')
    """
    by = "channel" if log.has_channel else "touchpoint"
    cur = log.cursor()
    touchpoints = tuple(db.run(cur, "analyses/distinct_names", column="touchpoint")["name"])
    names = touchpoints
    if by == "channel":
        names = tuple(db.run(cur, "analyses/distinct_names", column="channel")["name"])
    return contacts_of(by, names, touchpoints, contacts)
