"""What customers wrote, tied to their journeys: what they said at a friction point (and during
an incident there), and the journeys of a reason, as an effect whose causes can be grouped.

A text is about the journey it is linked to (a response about a contact, a note on an event);
a text linked only to its writer (a relationship survey's comment) is about the writer's last
journey that started at or before it (:func:`text_journeys`).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench.analyses.voice.summary import VoiceOfCustomer, reasons
from workbench.core import db, periods
from workbench.core.errors import ValidationError
from workbench.core.stats import percent
from workbench.journeys.model import JourneyModel

#: Texts shown per reason said at a point.
EXAMPLES = 2
_LINKS = ["text_no", "journey_key", "start_ts", "path"]


def text_journeys(model: JourneyModel, voice: VoiceOfCustomer) -> pd.DataFrame:
    """The journey each text of ``voice`` is about (see the module): one row per text tied to a
    journey, ``text_no`` (its row in ``voice.texts``), ``journey_key``, ``start_ts`` and
    ``path``."""
    texts = voice.texts
    key = (voice.columns, len(texts), _digest(texts["customer"].astype(str).to_numpy()))

    def compute() -> pd.DataFrame:
        if texts.empty:
            return pd.DataFrame(columns=_LINKS)
        named = texts["journey"].astype(object)
        with model.using() as cur:
            return db.run(
                cur,
                "duckdb/voice/text_journeys",
                journey=[None if pd.isna(j) else str(j) for j in named],
                customer=texts["customer"].astype(str).tolist(),
                ts=[None if pd.isna(t) else t.to_pydatetime() for t in texts["ts"]],
            )

    return model.cache.get_or_run("voice_links", key, compute)


def reason_ids(voice: VoiceOfCustomer, label: str) -> list[str]:
    """The reasons called ``label`` (their label, case aside, or their id): more than one when
    the user gave two reasons (say, one per language) the same name.

    Raises
    ------
    ValidationError
        No reason has that name; the message lists the reasons there are.
    """
    found = voice.reasons
    if found.empty:
        raise ValidationError(
            "No texts were grouped into reasons here: load surveys with comments, or name a "
            "free-text column.",
            "No reasons",
        )
    wanted = label.strip().casefold()
    mine = found[
        (found["label"].str.strip().str.casefold() == wanted) | (found["reason"] == label.strip())
    ]
    if mine.empty:
        names = ", ".join(f"'{x}'" for x in dict.fromkeys(found["label"]))
        raise ValidationError(
            f"No reason is called '{label}'. The reasons are: {names}.", "Unknown reason"
        )
    return mine["reason"].tolist()


@dataclass(frozen=True)
class ReasonEffect:
    """The journeys a reason is measured on: every journey with a grouped text of the reason's
    sources (``journey_key``, one per text) and whether that text is in the reason
    (``in_reason``)."""

    label: str
    reasons: tuple[str, ...]
    journey_key: tuple[int, ...]
    in_reason: tuple[bool, ...]

    @property
    def key(self) -> str:
        """A digest of which journeys' texts are in the reason, for a cache key."""
        keys = np.asarray(self.journey_key, dtype=np.int64)
        flags = np.asarray(self.in_reason, dtype=np.bool_)
        return _digest(np.concatenate([keys, flags.astype(np.int64)]))

    def params(self) -> dict[str, Any]:
        """The parameters of ``duckdb/causes/reason_units``."""
        return {"journey_key": list(self.journey_key), "in_reason": list(self.in_reason)}


def reason_effect(model: JourneyModel, voice: VoiceOfCustomer, label: str) -> ReasonEffect:
    """The journeys whose customers' texts were grouped into the reason ``label``, among those
    whose customers' texts (of the same source) were grouped at all."""
    ids = reason_ids(voice, label)
    texts = voice.texts
    sources = set(texts.loc[texts["reason"].isin(ids), "source"])
    links = text_journeys(model, voice)
    at = texts.iloc[links["text_no"].to_numpy()]
    keep = (at["reason"].notna() & at["source"].isin(sources)).to_numpy()
    name = str(voice.reasons.loc[voice.reasons["reason"] == ids[0], "label"].iloc[0])
    return ReasonEffect(
        name,
        tuple(ids),
        tuple(int(k) for k in links["journey_key"].to_numpy()[keep]),
        tuple(bool(r) for r in at["reason"].isin(ids).to_numpy()[keep]),
    )


#: The bone of a fishbone that what customers wrote is evidence on.
WRITTEN_BONE = "Policy & information"


@dataclass(frozen=True)
class Written:
    """What customers wrote, as evidence for Causes: the journey (``journey_key``) and the
    reason's label (``label``) of every grouped text tied to a journey."""

    journey_key: tuple[int, ...]
    label: tuple[str, ...]

    @property
    def key(self) -> str:
        """A digest of which journeys' texts are in which reason, for a cache key."""
        keys = np.asarray(self.journey_key, dtype=np.int64).astype(str)
        return _digest(np.concatenate([keys, np.asarray(self.label, dtype=str)]))

    def params(self) -> dict[str, Any]:
        """The parameters of ``duckdb/causes/written_counts``."""
        return {
            "journey_key": list(self.journey_key),
            "label": list(self.label),
            "bone": WRITTEN_BONE,
        }


def written(model: JourneyModel, voice: VoiceOfCustomer, leave_out: Sequence[str] = ()) -> Written:
    """Every grouped text of ``voice`` tied to a journey, but those of the reasons ``leave_out``
    (the effect's own reason, which would explain itself)."""
    links = text_journeys(model, voice)
    at = voice.texts.iloc[links["text_no"].to_numpy()]
    keep = (at["reason"].notna() & ~at["reason"].isin(list(leave_out))).to_numpy()
    labels = dict(zip(voice.reasons["reason"], voice.reasons["label"], strict=True))
    return Written(
        tuple(int(k) for k in links["journey_key"].to_numpy()[keep]),
        tuple(str(labels.get(r, r)) for r in at["reason"].to_numpy()[keep]),
    )


@dataclass(frozen=True)
class Said:
    """What customers wrote about the journeys that pass a point (in a period).

    Attributes
    ----------
    point, period
        The touchpoint (or move ``A → B``) and the period (first and last day) or None.
    texts, journeys
        Texts about those journeys, and the journeys they are about.
    negative_share, negative_share_elsewhere
        Their share written in a negative tone; the same for the texts about other journeys
        (in the period): the baseline.
    reasons
        One row per reason said here, most said beyond the rest first: ``reason``, ``label``,
        ``language``, ``texts``, ``share`` (of the texts grouped here), ``share_elsewhere``
        (of the texts grouped about the other journeys), ``extra`` (texts beyond that share),
        ``negative_share`` and ``examples`` (texts written here).
    """

    point: str
    period: tuple[str, str] | None
    texts: int
    journeys: int
    negative_share: float
    negative_share_elsewhere: float
    reasons: pd.DataFrame = field(default_factory=pd.DataFrame)

    def sentence(self) -> str:
        """What was said here, in one plain sentence."""
        where = f"{self.point}, {self.period[0]} to {self.period[1]}" if self.period else self.point
        if not self.texts:
            return f"No customer texts are about journeys through {where}."
        head = (
            f"{self.texts:,} texts about {self.journeys:,} journeys through {where}, "
            f"{percent(self.negative_share)} negative (against "
            f"{percent(self.negative_share_elsewhere)} about the other journeys)"
        )
        if self.reasons.empty:
            return head + "."
        top = self.reasons.iloc[0]
        return (
            f"{head}; said here most beyond the rest: “{top['label']}” "
            f"({percent(float(top['share']))} of the texts, against "
            f"{percent(float(top['share_elsewhere']))} elsewhere)."
        )


def said_at(
    model: JourneyModel,
    point: str,
    period: periods.Period | None = None,
    *,
    voice: VoiceOfCustomer | None = None,
) -> Said:
    """The reasons and negative share of the texts about journeys that pass ``point``.

    Parameters
    ----------
    model
        Journeys with their log (and surveys).
    point
        A touchpoint, or a move ``"A → B"`` (journeys that make it).
    period
        Only journeys that start in it (first and last day, both included), as Causes counts
        them: what customers said during an incident.
    voice
        The reasons to read (the user's edited ones); :func:`reasons` of the model when None.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> said = said_at(wb.build_journeys(log), "Moving call", ("2026-05-04", "2026-06-28"))
    >>> said.reasons["label"].iloc[0]
    'transferred / people / start'
    """
    voice = voice if voice is not None else reasons(model)
    days = None if period is None else periods.parse_period(period)
    _known_point(model, point)
    links = text_journeys(model, voice)
    if days is not None:
        start, stop = periods.moments(*days)
        links = links[(links["start_ts"] >= start) & (links["start_ts"] < stop)]
    here = links["path"].map(lambda p: _passes(list(p), point)).to_numpy(dtype=bool)
    texts = voice.texts.iloc[links["text_no"].to_numpy()]
    mine, rest = texts[here], texts[~here]
    span = (days[0].isoformat(), days[1].isoformat()) if days else None
    return Said(
        point,
        span,
        len(mine),
        int(links.loc[here, "journey_key"].nunique()),
        _negative(mine),
        _negative(rest),
        _said_reasons(voice, mine, rest),
    )


def _said_reasons(voice: VoiceOfCustomer, mine: pd.DataFrame, rest: pd.DataFrame) -> pd.DataFrame:
    grouped, other = mine[mine["reason"].notna()], rest[rest["reason"].notna()]
    counts = grouped.groupby("reason").agg(
        texts=("text", "size"),
        negative_share=("sentiment", lambda s: float((s == "negative").mean())),
        examples=("text", lambda s: s.head(EXAMPLES).tolist()),
    )
    counts["share"] = counts["texts"] / max(len(grouped), 1)
    elsewhere = other["reason"].value_counts() / max(len(other), 1)
    counts["share_elsewhere"] = elsewhere.reindex(counts.index).fillna(0.0)
    counts["extra"] = counts["texts"] - len(grouped) * counts["share_elsewhere"]
    names = voice.reasons.set_index("reason")[["label", "language"]]
    out = counts.join(names).reset_index()
    out = out.sort_values(["extra", "texts", "reason"], ascending=[False, False, True])
    columns = ["reason", "label", "language", "texts", "share", "share_elsewhere", "extra"]
    return out[[*columns, "negative_share", "examples"]].reset_index(drop=True)


def _negative(texts: pd.DataFrame) -> float:
    return float((texts["sentiment"] == "negative").mean()) if len(texts) else 0.0


def _passes(path: list[str], point: str) -> bool:
    source, arrow, target = point.partition(" → ")
    if not arrow:
        return point in path
    return any(a == source and b == target for a, b in itertools.pairwise(path))


def _known_point(model: JourneyModel, point: str) -> None:
    names = set(model.touchpoints["touchpoint"])
    source, arrow, target = point.partition(" → ")
    missing = [p for p in ((source, target) if arrow else (point,)) if p not in names]
    if missing:
        raise ValidationError(
            f"There is no touchpoint '{missing[0]}' in these journeys.", "Unknown touchpoint"
        )


def _digest(values: np.ndarray[Any, Any]) -> str:
    return hashlib.sha256(np.asarray(values).astype(str).tobytes()).hexdigest()[:16]
