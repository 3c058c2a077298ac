"""The contact and success words: each language, and the names that look like the other kind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from tests.worlds import generate
from workbench.analyses.contacts import classify_contacts
from workbench.ingest.schema import ColumnMapping
from workbench.ingest.vocabulary import (
    CONTACT_TERMS,
    KEEP_ACCENTS,
    SUCCESS_TERMS,
    channel_class,
    fold,
    is_contact,
    is_contact_channel,
    is_success,
    words,
)

CONTACTS = {
    "English": ["Support call", "Inbound phone call", "Live chat", "IVR menu", "Email to support",
                "Callback requested", "Agent answered", "Contact us", "Customer service"],
    "Swedish": ["Inkommande samtal", "Telefonsamtal", "Ring kundtjänst", "Chatt startad",
                "E-post besvarat", "Mejl till support", "Kundtjänst", "Kontakta oss",
                "Återuppringning bokad", "Kontakt"],
    "Norwegian and Danish": ["Telefon", "Samtale med rådgiver", "Opkald modtaget", "Chat",
                             "E-post sendt", "E-mail besvaret", "Kundeservice", "Kontakt oss"],
    "Finnish": ["Puhelu", "Puhelin", "Chatti aloitettu", "Sähköposti vastaanotettu",
                "Asiakaspalvelu", "Soittopyyntö"],
}  # fmt: skip
SUCCESSES = {
    "English": ["purchase", "Order confirmed", "Order placed", "Checkout complete", "Paid",
                "Payment received", "Appointment booked", "SIM activated", "Fault resolved",
                "Ticket closed", "Completed", "Done", "Offer accepted"],
    "Swedish": ["Köp", "Köpt", "Order bekräftad", "Beställning bekräftad", "Betald",
                "Betalning mottagen", "Tid bokad", "Aktiverad", "Löst", "Ärende löst",
                "Ärendet stängt", "Avslutad", "Klar"],
    "Norwegian and Danish": ["Kjøpt", "Købt", "Betalt", "Sak løst", "Lukket", "Afsluttet",
                             "Fullført"],
    "Finnish": ["Ostettu", "Maksettu", "Ratkaistu", "Suljettu", "Valmis"],
}  # fmt: skip
#: Neither a contact nor a success: pages, steps on the way, and words that only look alike.
NEITHER = ["Lost card", "Card lost", "Report lost card", "Purchase page", "Checkout",
           "Closed accounts", "Browse phones", "Mina sidor", "Faktura", "Logga in",
           "Order confirmation", "Payment", "Kassa", "Ostoskori"]  # fmt: skip


@pytest.mark.parametrize("name", [n for names in CONTACTS.values() for n in names])
def test_contacts_in_each_language_are_contacts_and_no_success(name: str) -> None:
    assert is_contact(name)
    assert not is_success(name)


@pytest.mark.parametrize("name", [n for names in SUCCESSES.values() for n in names])
def test_successes_in_each_language_are_successes_and_no_contact(name: str) -> None:
    assert is_success(name)
    assert not is_contact(name)


@pytest.mark.parametrize("name", NEITHER)
def test_names_that_only_look_alike_are_neither(name: str) -> None:
    assert not is_success(name)
    assert not is_contact(name)


def test_loest_matches_only_with_its_accent_or_in_a_swedish_phrase() -> None:
    # "löst" folds to "lost": without its accent it is English
    assert is_success("Ärende löst") and is_success("ÄRENDE LÖST") and is_success("Sak løst")
    assert is_success("Arende lost")  # a Swedish log exported without accents
    assert not is_success("Lost") and not is_success("Card lost")


def test_a_name_with_both_kinds_of_words_is_a_contact() -> None:
    for name in ("Chat closed", "Call completed", "Samtal avslutat", "Chatt klar", "Puhelu valmis"):
        assert is_contact(name), name
        assert not is_success(name), name


def test_success_words_count_only_at_the_end_of_a_name() -> None:
    assert is_success("Purchase") and not is_success("Purchase page")
    assert is_success("Payment completed") and not is_success("Completed orders list")


def test_a_contact_channel_makes_a_contact_unless_the_name_says_success() -> None:
    assert is_contact("Second-line transfer", channel="phone")
    assert is_contact("Eskalering", channel="telefon")
    assert is_contact("Andra linjen", channel="chatt")
    assert is_contact("Svar", channel="e-post")
    assert not is_contact("Ärende löst", channel="telefon")  # closed in the call's channel
    assert not is_contact("Moving confirmed", channel="email")  # confirmed by e-mail
    assert not is_contact("Pay invoice", channel="app")
    assert not is_contact("Fault resolved", channel="sms")
    assert not is_contact("Store visit", channel="store")


def test_names_are_compared_folded_in_words() -> None:
    assert fold("Återuppringning") == "ateruppringning"
    assert fold("Kjøpt") == "kjopt" and fold("Bekræftet") == "bekraeftet"
    assert words("checkout-complete") == ("checkout", "complete")
    assert words("orderConfirmed") == ("order", "confirmed")
    assert words("E_mail") == ("e", "mail")
    assert is_success("order_confirmed") and is_success("paymentReceived")
    assert is_contact("eMail") and is_contact("customer_service")


def test_whole_words_only() -> None:
    assert not is_contact("Recall notice")  # "call" inside a word
    assert not is_contact("Phones")  # a product list, not "phone"
    assert not is_success("Undone")


def test_every_term_is_written_so_that_it_can_match() -> None:
    for term in (*CONTACT_TERMS, *SUCCESS_TERMS):
        name = term.rstrip("*")
        if term.endswith("*"):
            name += "xyz"  # a stem matches longer words
        assert words(name), term
        assert is_contact(name) if term in CONTACT_TERMS else is_success(name), term
    assert all(fold(w) == "lost" for w in KEEP_ACCENTS)


def test_the_service_desks_names_say_success_only_where_tickets_end(tmp_path: Path) -> None:
    # the tickets world's names, read straight from its file
    truth = generate("tickets", tmp_path, seed=1)
    names = set(pd.read_csv(tmp_path / "events.csv")[truth["columns"]["touchpoint"]])
    assert truth["goals"] == ["Closed"]
    assert {n for n in names if is_success(n)} == {"Resolved", "Closed"}
    assert not any(is_contact(n) for n in names)


@pytest.mark.parametrize("world", ["clickstream", "contact_centre"])
def test_the_worlds_goals_are_successes_and_their_contacts_contacts(
    world: str, tmp_path: Path
) -> None:
    truth = generate(world, tmp_path, seed=1)
    cols = truth["columns"]
    sep = truth["format"]["delimiter"]
    events = pd.read_csv(tmp_path / "events.csv", sep=sep, dtype=str)
    named = events[
        [cols["touchpoint"], cols["channel"]] if cols["channel"] else [cols["touchpoint"]]
    ]
    pairs = set(named.itertuples(index=False, name=None))
    successes = {p[0] for p in pairs if is_success(p[0])}
    assert (
        successes
        == set(truth["goals"])
        == ({"purchase"} if world == "clickstream" else {"Ärende löst"})
    )
    contacts = {p[0] for p in pairs if is_contact(*p)}
    if world == "clickstream":
        assert contacts == {"chat"}
    else:
        assert contacts == {
            "Inkommande samtal", "Samtal besvarat", "Chatt startad", "Chatt besvarad",
            "E-post mottaget", "E-post besvarat", "Överflyttning till andra linjen",
            "Andra linjen", "Eskalering", "Återkoppling",
        }  # fmt: skip


# -- channels and column names in each language -----------------------------------------------

CHANNELS = {
    "English": {"phone": "assisted", "chat": "assisted", "store": "assisted", "email": "other",
                "IVR": "other", "web": "self-service", "app": "self-service", "sms": "other"},
    "Swedish": {"telefon": "assisted", "chatt": "assisted", "butik": "assisted",
                "e-post": "other", "kundtjänst": "assisted", "webb": "self-service",
                "Mina sidor": "self-service", "sms": "other"},
    "Norwegian": {"telefon": "assisted", "chat": "assisted", "butikk": "assisted",
                  "e-post": "other", "kundeservice": "assisted", "nettside": "self-service",
                  "Min side": "self-service"},
    "Danish": {"telefon": "assisted", "chat": "assisted", "butik": "assisted",
               "e-mail": "other", "kundeservice": "assisted", "hjemmeside": "self-service",
               "selvbetjening": "self-service"},
    "Finnish": {"puhelin": "assisted", "chat": "assisted", "myymälä": "assisted",
                "sähköposti": "other", "asiakaspalvelu": "assisted",
                "verkkopalvelu": "self-service", "sovellus": "self-service",
                "Omat sivut": "self-service"},
}  # fmt: skip
#: Which of those count as contacts by default: all but the self-service ones and SMS.
NOT_CONTACT_CHANNELS = {"web", "app", "sms", "webb", "Mina sidor", "nettside", "Min side",
                        "hjemmeside", "selvbetjening", "verkkopalvelu", "sovellus",
                        "Omat sivut"}  # fmt: skip


@pytest.mark.parametrize("language", sorted(CHANNELS))
def test_channel_classes_in_each_language(language: str) -> None:
    for channel, expected in CHANNELS[language].items():
        assert channel_class(channel) == expected, channel
        assert is_contact_channel(channel) == (channel not in NOT_CONTACT_CHANNELS), channel


#: Column names in each language, in the order of the roles they play (customer, journey,
#: touchpoint, channel, time), and other names of the customer.
COLUMNS = {
    "English": (["customer_id", "case_id", "activity", "channel", "timestamp"], None),
    "Swedish": (["kundnr", "ärende", "händelse", "kanal", "tidpunkt"], ["kund_id", "kundnummer"]),
    "Norwegian": (["kundenummer", "sak", "hendelse", "kanal", "tidspunkt"], ["kundenr"]),
    "Danish": (["kundenr", "sag", "hændelse", "kanal", "tidsstempel"], ["kundenummer"]),
    "Finnish": (["asiakasnumero", "tapaus", "tapahtuma", "kanava", "aikaleima"], ["asiakas_id"]),
}


@pytest.mark.parametrize("language", sorted(COLUMNS))
def test_column_roles_are_found_in_each_language(language: str) -> None:
    columns, other_customers = COLUMNS[language]
    roles = ColumnMapping.detect([c.upper() for c in columns]).role_columns()
    assert list(roles.values()) == [c.upper() for c in columns]  # whatever the case
    for name in other_customers or []:
        assert ColumnMapping.detect([name, *columns[1:]]).customer == name


def test_the_swedish_contact_centre_loads_without_a_mapping(tmp_path: Path) -> None:
    truth = generate("contact_centre", tmp_path, seed=1)
    log = wb.load_events(tmp_path / "events.csv")
    cols = truth["columns"]
    assert log.report.mapping.role_columns() == {
        "customer": cols["customer"], "journey": cols["journey"],
        "touchpoint": cols["touchpoint"], "channel": cols["channel"], "time": cols["time"],
    }  # fmt: skip
    assert classify_contacts(log).contacts == ("butik", "chatt", "e-post", "telefon")
