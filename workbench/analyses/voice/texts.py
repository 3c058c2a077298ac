"""Customers' words wherever a log holds them, each kept with its links, and masked.

Two places hold text: survey comments (the surveys' ``comment`` role) and free-text event
attributes (an agent's note, a contact reason, a chat summary), which the user names or
:func:`text_columns` finds: strings that are long (median length at least
:data:`MIN_MEDIAN_LENGTH`) and varied (at least :data:`MIN_DISTINCT_SHARE` of them differ).

Every text keeps its customer, journey, touchpoint, channel, time and the score given with it,
and the team that handled the event it is about when the log names teams (:func:`team_column`).
Phone numbers, e-mail addresses, Swedish personal identity numbers (*personnummer*) and names a
writer gives as theirs ("my name is ...", "jag heter ...") are masked before anything else reads
the text (:func:`mask`). Empty texts and a column of numbers are counted, not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from workbench.analyses.outcomes import prepare_setup
from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.ingest.schema import normalise
from workbench.journeys.model import JourneyModel

#: A column is free text when the median length of its values is at least this ...
MIN_MEDIAN_LENGTH = 20
#: ... and at least this share of its values differ from each other ...
MIN_DISTINCT_SHARE = 0.3
#: ... and it has at least this many values.
MIN_VALUES = 20
#: A column whose values read as numbers this often is a number, not text.
NUMERIC_SHARE = 0.9
#: Event attributes that name the team handling a contact (compared normalised).
TEAM_NAMES = ("team", "team_name", "agent_team", "teamnamn", "grupp")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# YYYYMMDD-NNNN or YYMMDD-NNNN (+ for people over 100), with or without the separator
_PERSONNUMMER = re.compile(r"(?<!\d)(?:19|20)?\d{2}[01]\d[0-3]\d[-+]?\d{4}(?!\d)")
# starts with + or 0 (a date or an amount does not), seven digits or more in all
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}|0)(?:[\s\-()]*\d){6,}")
_NAME = re.compile(
    r"((?:[Mm]y name is|[Jj]ag heter|[Mm]itt namn är|[Jj]eg hedder|[Jj]eg heter)\s+)"
    r"[A-ZÅÄÖÆØ][\w-]+(?:\s+[A-ZÅÄÖÆØ][\w-]+)?"
)
MASKS = ("[e-mail]", "[personnummer]", "[phone]", "[name]")


def mask(text: str) -> str:
    """``text`` with e-mail addresses, personnummer, phone numbers and self-given names masked.

    Examples
    --------
    >>> mask("Ring 070-123 45 67 eller anna@example.se, pnr 19850312-1234")
    'Ring [phone] eller [e-mail], pnr [personnummer]'
    >>> mask("My name is Anna Berg, invoice 2026-03-12 was 450 kr")
    'My name is [name], invoice 2026-03-12 was 450 kr'
    """
    text = _EMAIL.sub("[e-mail]", text)
    text = _PERSONNUMMER.sub("[personnummer]", text)
    text = _PHONE.sub("[phone]", text)
    return _NAME.sub(r"\1[name]", text)


# what every text :func:`mask` changes holds: an @, a digit, or the words before a name
_MAY_MASK = r"[@0-9]|name is|heter|namn är|hedder"


def masked(texts: pd.Series) -> pd.Series:
    """:func:`mask` of each text, read only where something may be masked (most customer texts
    hold no digit, no @ and no name given: a vectorised look finds them).

    Examples
    --------
    >>> masked(pd.Series(["Call 070-123 45 67", "no number here"])).tolist()
    ['Call [phone]', 'no number here']
    """
    out = texts.astype(object).copy()
    may = texts.str.contains(_MAY_MASK, case=False, regex=True).fillna(False).to_numpy(dtype=bool)
    out[may] = texts[may].map(mask).to_numpy(dtype=object)
    return out


@dataclass(frozen=True)
class Texts:
    """The texts found, masked, one row each in :attr:`table` (``source``, ``source_row``,
    ``customer``, ``journey``, ``touchpoint``, ``channel``, ``ts``, ``kind``, ``score``,
    ``text``, ``event_row``: the event it is about, ``team``: who handled that event), and
    what was left out and why in :attr:`left_out` (``source``, ``reason``, ``texts``)."""

    table: pd.DataFrame
    columns: tuple[str, ...]
    left_out: pd.DataFrame = field(default_factory=pd.DataFrame)


def profile(model: JourneyModel, column: str) -> dict[str, float]:
    """How an event attribute's values look: ``n``, ``distinct_values``, ``median_length``,
    ``numeric_values``."""
    with model.using() as cur:
        row = db.run(cur, "duckdb/voice/text_profile", column=column).iloc[0]
    return {str(k): float(v) for k, v in row.items()}


def is_free_text(p: dict[str, float]) -> bool:
    """Whether a profile (:func:`profile`) looks like free text: long, varied, not numbers."""
    n = p["n"]
    return (
        n >= MIN_VALUES
        and p["median_length"] >= MIN_MEDIAN_LENGTH
        and p["distinct_values"] >= MIN_DISTINCT_SHARE * n
        and p["numeric_values"] < NUMERIC_SHARE * n
    )


def text_columns(model: JourneyModel) -> list[str]:
    """The event attributes that hold free text (see the module), in the log's order."""
    kinds = model.log.attributes
    return [c for c, t in kinds.items() if t == "VARCHAR" and is_free_text(profile(model, c))]


def team_column(model: JourneyModel) -> str | None:
    """The event attribute naming the team that handled a contact (:data:`TEAM_NAMES`), if any.

    Examples
    --------
    >>> import workbench as wb
    >>> team_column(wb.build_journeys(wb.load_events("sample_data/events.csv")))
    'team'
    """
    return next((c for c in model.log.attributes if normalise(c) in TEAM_NAMES), None)


def _with_teams(model: JourneyModel, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each text's ``team`` (None when the log names no team)."""
    column = team_column(model)
    if column is None or table.empty:
        return table.assign(team=None)
    with model.using() as cur:
        teams = db.run(cur, "duckdb/voice/event_teams", column=column)
    team = table["event_row"].map(teams.set_index("event_row")["team"])
    return table.assign(team=team.astype(object).where(team.notna(), None))


def find_texts(model: JourneyModel, columns: Sequence[str] | None = None) -> Texts:
    """Every text of the model: survey comments and the event attributes ``columns`` (found by
    :func:`text_columns` when None), masked, with empty texts and number columns left out and
    counted.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> found = find_texts(wb.build_journeys(log), columns=[])
    >>> len(found.table) > 500, bool(found.table["text"].str.strip().ne("").all())
    (True, True)
    """
    chosen = text_columns(model) if columns is None else list(columns)
    unknown = [c for c in chosen if c not in model.log.attributes]
    if unknown:
        raise ValidationError(
            f"No event attribute {', '.join(map(repr, unknown))}; the log has "
            f"{', '.join(model.log.attributes) or 'none'}.",
            "Unknown text column",
        )
    parts, left = [], []
    if model.log.has_surveys:
        with model.using() as cur:
            prepare_setup(model, cur)  # ties each response to its journey
            parts.append(db.run(cur, "duckdb/voice/survey_texts"))
    for column in chosen:
        p = profile(model, column)
        if p["n"] and p["numeric_values"] >= NUMERIC_SHARE * p["n"]:
            left.append((column, "numbers, not text", int(p["n"])))
            continue
        with model.using() as cur:
            part = db.run(cur, "duckdb/voice/event_texts", column=column)
        parts.append(part.assign(source=f"event attribute {column}"))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_COLUMNS)
    text = table["text"].fillna("").astype(str).str.strip()
    empty = text.str.fullmatch(r"[\W_]*")
    for source, n in table.loc[empty, "source"].value_counts().items():
        left.append((str(source), "empty", int(n)))
    table = table[~empty].assign(text=masked(text[~empty])).reset_index(drop=True)
    table = _with_teams(model, table)
    left_out = pd.DataFrame(left, columns=["source", "reason", "texts"])
    return Texts(table, tuple(chosen), left_out)


_COLUMNS = [
    "source",
    "source_row",
    "customer",
    "journey",
    "touchpoint",
    "channel",
    "ts",
    "kind",
    "score",
    "text",
    "event_row",
]
