"""Words that say what a touchpoint or channel is: a contact with the company, or a success.

Goals are guessed from the data (:func:`workbench.analyses.outcomes.guess_goals`), and the data
alone cannot tell a purchase from a phone call that often ends a journey. The names can: a log
written by people names its steps in their words. This module holds those words, in English,
Swedish, Norwegian, Danish and Finnish, and the rules for finding them in a name.

Matching rules
--------------
- A name is cut into **words**: lower case, accents dropped (``ä`` -> ``a``, and ``ø`` -> ``o``,
  ``æ`` -> ``ae``, which Unicode does not split), every run of other characters a break, and a
  break where a lower-case letter meets an upper-case one. ``"E-post besvarat"`` is the words
  ``e post besvarat``, ``"orderConfirmed"`` is ``order confirmed``.
- A **term** is a word or a phrase; it matches where its words occur in the name one after the
  other, whole (``"phones"`` is not ``"phone"``). A term ending in ``*`` is a stem: its last word
  matches any word that starts with it, for Nordic compounds and Finnish endings
  (``telefon*`` finds ``Telefonsamtal``, ``puhel*`` finds ``Puhelu`` and ``puhelinpalvelu``).
- **Contact** terms match anywhere in a name; a channel is a contact channel when its name
  holds one (``telefon``, ``chatt``, ``e-post``, ``IVR``).
- **Success** terms match only at the **end** of a name: success is said as a thing and then its
  state (``Order confirmed``, ``Ärende löst``, ``Payment received``) or as one word
  (``purchase``); ``Purchase page`` or ``Closed accounts`` name pages, not successes.
- A few words fold onto an English word with another meaning: Swedish ``löst`` and Norwegian
  ``løst`` (solved) become ``lost``. They match only as written, with the accent, or in a phrase
  that cannot be English (``arende lost``), so ``Card lost`` is no success.
- **Contact wins**: a name with a contact term is a contact, even when it ends in a success term
  (``Chat closed``, ``Call completed``: the end of a contact, not of the customer's errand).
- A touchpoint in a contact channel is a contact unless its own name says success: the name is
  the more precise of the two (a case is closed in the channel of its last contact, and a
  confirmation arrives by e-mail).

Stores and SMS are not contact *names* here: a store is also where things are bought, and SMS
is how confirmations are sent.

Channels
--------
A channel's **class** (:func:`channel_class`) says how customers are served in it:
``self-service`` (web, app, ``webb``, ``nettside``, ``Mina sidor``, ``verkkopalvelu``),
``assisted`` (a person serves them: phone, chat, a store, ``telefon``, ``chatt``, ``butik``,
``butikk``, ``myymälä``, ``kundtjänst``), or ``other`` (messages and menus: e-mail, SMS, IVR,
letters, push). A channel **counts as a contact** (:func:`is_contact_channel`) when its name
says contact or a person serves customers there: ``telefon``, ``chatt``, ``e-post``,
``sähköposti``, ``IVR`` and stores (``butik``). The analyses decide contacts once, from these
words unless the analyst says otherwise (:mod:`workbench.analyses.contacts`).

Examples
--------
>>> is_contact("Support call"), is_contact("Kontakta oss"), is_contact("Puhelu asiakaspalveluun")
(True, True, True)
>>> is_success("Beställning bekräftad"), is_success("purchase"), is_success("Purchase page")
(True, True, False)
>>> is_success("Ärende löst"), is_success("Arende lost"), is_success("Card lost")
(True, True, False)
>>> is_contact("Chat closed"), is_success("Chat closed")
(True, False)
>>> is_contact("Ärende löst", channel="telefon"), is_contact("Andra linjen", channel="telefon")
(False, True)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

#: Letters Unicode does not split into a base letter and an accent.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th"})
#: Words whose folded spelling is an English word with another meaning: they match as written.
KEEP_ACCENTS = frozenset({"löst", "løst"})

#: Terms that say a touchpoint or channel is a contact with the company (a person or a phone
#: menu answers), anywhere in the name.
CONTACT_TERMS: tuple[str, ...] = (
    # English
    "call", "calls", "called", "calling", "call back", "callback", "phone", "phoned",
    "telephone", "chat*", "ivr", "voice menu", "email", "emailed", "e mail", "agent",
    "support", "helpdesk", "help desk", "hotline", "voicemail", "contact", "contact us",
    "customer service", "customer care",
    # Swedish
    "samtal*", "telefon*", "ring", "ringa", "ringer", "ringde", "chatt*", "e post", "epost",
    "mejl*", "kundtjanst*", "kundservice*", "kontakt", "kontakta", "kontakta oss",
    "ateruppringning*", "aterkoppling", "talsvar", "handlaggare",
    # Norwegian and Danish
    "opkald*", "oppringning*", "opringning*", "ringe", "kundeservice*", "kundesenter*",
    "kundecenter*", "kontakt oss", "kontakt os", "henvendelse*",
    # Finnish
    "puhel*", "soitto", "soita", "takaisinsoitto", "soittopyynto", "sahkopost*",
    "asiakaspalvel*", "asiakastuki", "tuki", "yhteydenotto", "ota yhteytta",
)  # fmt: skip

#: Terms that say a touchpoint is a terminal success, at the end of the name.
SUCCESS_TERMS: tuple[str, ...] = (
    # English
    "purchase", "purchased", "order confirmed", "order placed", "confirmed", "paid",
    "payment received", "booked", "activated", "resolved", "solved", "closed", "complete",
    "completed", "done", "accepted", "successful", "success", "signed", "thank you",
    # Swedish
    "köp", "köpt", "bekräftad", "bekräftat", "betald", "betalt", "betalning mottagen", "bokad",
    "bokat", "aktiverad", "aktiverat", "löst", "arende lost", "arendet lost", "stängd",
    "stängt", "avslutad", "avslutat", "klar", "klart", "genomförd", "slutförd", "godkänd",
    # Norwegian and Danish
    "kjøpt", "købt", "bekreftet", "bekræftet", "løst", "lukket", "afsluttet", "avsluttet",
    "fullført", "fuldført", "gennemført", "gjennomført", "booket", "aktivert", "aktiveret",
    "akseptert", "accepteret", "godkjent", "godkendt",
    # Finnish
    "ostettu", "maksettu", "ratkaistu", "suljettu", "valmis", "vahvistettu", "tilattu",
    "aktivoitu", "hyväksytty",
)  # fmt: skip


#: Terms that say customers serve themselves in a channel (a web site, an app, a portal).
SELF_SERVICE_TERMS: tuple[str, ...] = (
    # English
    "web", "website", "web site", "site", "online", "app", "apps", "mobile", "mobile app",
    "portal", "self", "self service", "selfservice", "digital", "internet", "my pages",
    # Swedish
    "webb", "webben", "webbplats*", "appen", "mina sidor", "sjalvservice*", "natet",
    # Norwegian and Danish
    "nett", "nettside*", "nettbank*", "nettbutik*", "netbutik*", "hjemmeside*", "min side",
    "mine sider", "selvbetjening*", "appen",
    # Finnish
    "verkko*", "sovellus*", "mobiilisovellus*", "omat sivut", "itsepalvelu*", "nettisivu*",
)  # fmt: skip

#: Terms that say a person serves customers in a channel, besides the contact terms: a store,
#: a branch, a field visit, a video meeting.
ASSISTED_TERMS: tuple[str, ...] = (
    # English
    "store", "stores", "shop", "branch", "retail", "field", "visit", "video", "voice",
    # Swedish, Norwegian, Danish
    "butik*", "butikk*", "filial*", "kontor", "hembesok*", "hjemmebesok*",
    # Finnish
    "myymala*", "konttori*", "toimipiste*", "liike",
)  # fmt: skip

#: Terms that say a channel carries messages or menus, not a person serving (for the class).
MESSAGE_TERMS: tuple[str, ...] = (
    # English
    "ivr", "email", "e mail", "mail", "sms", "text", "letter", "post", "push", "notification",
    "voice menu",
    # Swedish, Norwegian, Danish
    "e post", "epost", "mejl*", "brev", "talsvar", "meddelande*", "melding*", "besked*",
    "notis*", "varsling*",
    # Finnish
    "sahkopost*", "tekstiviesti*", "kirje", "viesti*", "ilmoitus*",
)  # fmt: skip


@dataclass(frozen=True)
class _Word:
    """One word of a name: as written (lower case) and folded."""

    written: str
    folded: str


@dataclass(frozen=True)
class _Part:
    """One word of a term and how it matches a word of a name."""

    text: str
    stem: bool  # matches any folded word starting with ``text``
    as_written: bool  # compares with the word as written (``löst``), not folded

    def matches(self, word: _Word) -> bool:
        if self.as_written:
            return word.written == self.text
        if self.stem:
            return word.folded.startswith(self.text)
        return word.folded == self.text


def fold(word: str) -> str:
    """A word in lower case without accents, the way names are compared.

    >>> fold("Kundtjänst"), fold("Købt"), fold("Sähköposti")
    ('kundtjanst', 'kobt', 'sahkoposti')
    """
    plain = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
    return plain.encode("ascii", "ignore").decode()


def words(name: str) -> tuple[str, ...]:
    """The folded words of ``name`` that terms are matched against.

    >>> words("E-post besvarat"), words("orderConfirmed"), words("Ärende löst")
    (('e', 'post', 'besvarat'), ('order', 'confirmed'), ('arende', 'lost'))
    """
    return tuple(w.folded for w in _words(name))


def _words(name: str) -> tuple[_Word, ...]:
    text = unicodedata.normalize("NFC", name)
    text = re.sub(r"([a-zß-ÿ])([A-ZÀ-Þ])", r"\1 \2", text).lower()
    found = (_Word(w, fold(w)) for w in re.findall(r"[^\W_]+", text))
    return tuple(w for w in found if w.folded)


@cache
def _term(term: str) -> tuple[_Part, ...]:
    parts = _words(term)
    return tuple(
        _Part(
            w.written if w.written in KEEP_ACCENTS else w.folded,
            stem=term.endswith("*") and i == len(parts) - 1,
            as_written=w.written in KEEP_ACCENTS,
        )
        for i, w in enumerate(parts)
    )


def _at(name: tuple[_Word, ...], term: tuple[_Part, ...], start: int) -> bool:
    """Whether ``term`` matches ``name``'s words from ``start`` on."""
    if start < 0 or start + len(term) > len(name):
        return False
    return all(p.matches(w) for p, w in zip(term, name[start:], strict=False))


def _says_contact(name: tuple[_Word, ...]) -> bool:
    return _says(name, CONTACT_TERMS)


def _says(name: tuple[_Word, ...], terms: tuple[str, ...]) -> bool:
    """Whether one of ``terms`` matches anywhere in ``name``."""
    for text in terms:
        term = _term(text)
        if any(_at(name, term, i) for i in range(len(name) - len(term) + 1)):
            return True
    return False


def _ends_in_success(name: tuple[_Word, ...]) -> bool:
    return any(_at(name, _term(text), len(name) - len(_term(text))) for text in SUCCESS_TERMS)


def is_contact(name: str, channel: str | None = None) -> bool:
    """Whether ``name`` says a contact with the company: a call, a chat, an e-mail to it, a
    phone menu, an agent, a support page.

    Parameters
    ----------
    name
        A touchpoint's (or a channel's) name.
    channel
        The touchpoint's channel, when known: a touchpoint in a contact channel is a contact
        too, unless its name says success (:func:`is_success`).

    Examples
    --------
    >>> is_contact("Samtal besvarat"), is_contact("IVR menu"), is_contact("Lost card")
    (True, True, False)
    >>> is_contact("Moving confirmed", channel="email"), is_contact("Eskalering", "telefon")
    (False, True)
    """
    own = _words(name)
    if _says_contact(own):
        return True
    if channel is None or _ends_in_success(own):
        return False
    return _says_contact(_words(channel))


def is_success(name: str) -> bool:
    """Whether ``name`` says a terminal success: it ends in a success term and holds no
    contact term.

    Examples
    --------
    >>> is_success("Order placed"), is_success("Fault resolved"), is_success("Maksettu")
    (True, True, True)
    >>> is_success("Lost card"), is_success("Call completed"), is_success("Closed accounts")
    (False, False, False)
    """
    own = _words(name)
    return _ends_in_success(own) and not _says_contact(own)


#: Terms that say a touchpoint is a transfer of the customer to someone else: a transfer, an
#: escalation, a second line (anywhere in the name). A contact followed by such a step was
#: transferred.
TRANSFER_TERMS: tuple[str, ...] = (
    # English
    "transfer*", "escalat*", "second line", "2nd line", "second level", "third line",
    "hand over", "handover", "handed over", "forwarded", "back office", "backoffice",
    # Swedish
    "overflytt*", "overford*", "vidarekoppl*", "vidarebefordr*", "eskaler*", "andra linje*",
    "andralinje*", "tredje linje*", "kopplad vidare", "koppla vidare",
    # Norwegian and Danish
    "viderestill*", "viderestil*", "videresend*", "overfort*", "overforing*", "overforsel*",
    "overflyt*",
    "andre linje*", "andrelinje*", "anden linje*", "andenlinje*",
    # Finnish
    "siirto*", "siirr*", "eskaloi*", "toinen linja", "toisen linjan", "2 linja",
    "jatkokasittely*",
)  # fmt: skip


def _says_anywhere(name: tuple[_Word, ...], terms: tuple[str, ...]) -> bool:
    for text in terms:
        term = _term(text)
        if any(_at(name, term, i) for i in range(len(name) - len(term) + 1)):
            return True
    return False


def is_transfer(name: str) -> bool:
    """Whether ``name`` says a transfer of the customer to someone else: a transfer, an
    escalation, a second line (:data:`TRANSFER_TERMS`, anywhere in the name).

    Examples
    --------
    >>> is_transfer("Överflyttning till andra linjen"), is_transfer("Eskalering")
    (True, True)
    >>> is_transfer("Second-line transfer"), is_transfer("Viderestilling"), is_transfer("Siirto")
    (True, True, True)
    >>> is_transfer("Samtal besvarat"), is_transfer("Linje 2 status"), is_transfer("Checkout")
    (False, False, False)
    """
    return _says_anywhere(_words(name), TRANSFER_TERMS)


#: Words in an attribute's name that say what a journey is *for* (its type, reason, topic or
#: queue) rather than who makes it: such an attribute shapes the path itself, so two of its
#: values are different processes, not two groups of customers on one.
PURPOSE_TERMS: tuple[str, ...] = (
    # English
    "journey type", "case type", "contact type", "ticket type", "request type",
    "reason*", "intent*", "topic*", "queue*", "purpose",
    # Swedish
    "ärendetyp*", "kontaktorsak*", "orsak*", "ämne*", "kö", "köer",
    # Norwegian, Danish
    "sakstype*", "sagstype*", "henvendelsestype*", "årsak*", "årsag*", "emne*", "kø", "køen",
    # Finnish
    "syy*", "aihe*", "jono*", "asiatyyppi*",
)  # fmt: skip


def is_purpose(name: str) -> bool:
    """Whether an attribute's ``name`` says what the journey is for (:data:`PURPOSE_TERMS`):
    its type, reason, topic or queue.

    Examples
    --------
    >>> is_purpose("journey_type"), is_purpose("queue"), is_purpose("Kontaktorsak")
    (True, True, True)
    >>> is_purpose("device"), is_purpose("team"), is_purpose("case:product"), is_purpose("kö")
    (False, False, False, True)
    """
    return _says_anywhere(_words(name), PURPOSE_TERMS)


def channel_class(channel: str) -> str:
    """``"self-service"``, ``"assisted"`` or ``"other"`` for a channel's name: how customers
    are served in it (see the module's docstring). Messages and menus come first: ``e-post``
    says contact, but nobody serves the customer there and then.

    Examples
    --------
    >>> channel_class("app"), channel_class("Phone"), channel_class("IVR"), channel_class("sms")
    ('self-service', 'assisted', 'other', 'other')
    >>> channel_class("webb"), channel_class("chatt"), channel_class("butikk")
    ('self-service', 'assisted', 'assisted')
    >>> channel_class("Verkkopalvelu"), channel_class("puhelin"), channel_class("sähköposti")
    ('self-service', 'assisted', 'other')
    """
    own = _words(channel)
    if _says(own, MESSAGE_TERMS):
        return "other"
    if _says(own, SELF_SERVICE_TERMS):
        return "self-service"
    if _says(own, ASSISTED_TERMS) or _says_contact(own):
        return "assisted"
    return "other"


def is_contact_channel(channel: str) -> bool:
    """Whether a channel's steps count as contacts with the company by default: its name says
    contact (phone, chat, e-mail, IVR) or a person serves customers there (a store).

    Examples
    --------
    >>> [is_contact_channel(c) for c in ("telefon", "chatt", "e-post", "butik", "webb", "sms")]
    [True, True, True, True, False, False]
    >>> is_contact_channel("Puhelin"), is_contact_channel("myymälä"), is_contact_channel("app")
    (True, True, False)
    """
    own = _words(channel)
    if _says(own, SELF_SERVICE_TERMS) and not _says_contact(own):
        return False
    return _says_contact(own) or _says(own, ASSISTED_TERMS)
