"""The user's own reasons: renamed, merged and split, applied to what the grouping found.

A :class:`ReasonEdits` is a small value (reason ids and words, no texts) that a dataset keeps
beside it as JSON (:meth:`ReasonEdits.to_json`), so the names stick when the dataset is opened
again. :func:`apply_edits` applies it to a :class:`~.summary.VoiceOfCustomer` and counts
again: reasons, weeks, touchpoints, channels and alerts all follow the edited reasons. Edits
naming a reason the grouping no longer finds are skipped and listed (:func:`unknown`).

Splits come first (a split takes the texts of a reason that hold a word into a new reason of
their own), then merges (a reason's texts join another's), then names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from workbench.analyses.voice.summary import VoiceOfCustomer, reason_table, share_by
from workbench.analyses.voice.trends import alerts, weekly
from workbench.core.errors import ValidationError

_FOUND = ["reason", "language", "label", "terms", "examples"]
EXAMPLES = 3


@dataclass(frozen=True)
class ReasonEdits:
    """Names (reason -> label), merges (reason -> the reason it joins) and splits (reason,
    word, label of the new reason)."""

    names: tuple[tuple[str, str], ...] = ()
    merges: tuple[tuple[str, str], ...] = ()
    splits: tuple[tuple[str, str, str], ...] = ()

    def rename(self, reason: str, label: str) -> ReasonEdits:
        """These edits with ``reason`` called ``label``."""
        label = label.strip()
        if not label:
            raise ValidationError("Give the reason a name of at least one letter.", "Empty name")
        kept = tuple((r, n) for r, n in self.names if r != reason)
        return replace(self, names=(*kept, (reason, label)))

    def merge(self, reasons: list[str], into: str) -> ReasonEdits:
        """These edits with ``reasons`` joining ``into``."""
        if into in reasons:
            reasons = [r for r in reasons if r != into]
        return replace(self, merges=(*self.merges, *((r, into) for r in reasons)))

    def split(self, reason: str, word: str, label: str) -> ReasonEdits:
        """These edits with the texts of ``reason`` that hold ``word`` made a reason
        ``label``."""
        word = word.strip().lower()
        if not word:
            raise ValidationError(
                "Name the word whose texts make the new reason.", "No word to split by"
            )
        return replace(self, splits=(*self.splits, (reason, word, label.strip() or word)))

    def to_json(self) -> str:
        """The edits as JSON, to keep beside the dataset."""
        return json.dumps(
            {"names": self.names, "merges": self.merges, "splits": self.splits},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ReasonEdits:
        """Edits kept by :meth:`to_json`."""
        doc: dict[str, Any] = json.loads(text)
        return cls(
            names=tuple((str(a), str(b)) for a, b in doc.get("names", [])),
            merges=tuple((str(a), str(b)) for a, b in doc.get("merges", [])),
            splits=tuple((str(a), str(b), str(c)) for a, b, c in doc.get("splits", [])),
        )


def split_id(reason: str, word: str) -> str:
    """The id of the reason split off ``reason`` by ``word``."""
    return f"{reason}+{word}"


def unknown(voice: VoiceOfCustomer, edits: ReasonEdits) -> list[str]:
    """The reasons the edits name that the grouping did not find (their edits are skipped)."""
    known = set(voice.reasons["reason"]) | {split_id(r, w) for r, w, _ in edits.splits}
    named = [r for r, _ in edits.names] + [r for pair in edits.merges for r in pair]
    named += [r for r, _, _ in edits.splits]
    return sorted({r for r in named if r not in known})


def apply_edits(voice: VoiceOfCustomer, edits: ReasonEdits) -> VoiceOfCustomer:
    """``voice`` with its reasons renamed, merged and split as ``edits`` say (see the module).

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> voice = wb.reasons(wb.build_journeys(log), columns=[])
    >>> first = voice.reasons["reason"].iloc[0]
    >>> edited = apply_edits(voice, ReasonEdits().rename(first, "Online self-service"))
    >>> edited.reasons.set_index("reason").loc[first, "label"]
    'Online self-service'
    """
    table = voice.texts.copy()
    found = voice.reasons[_FOUND].copy()
    for reason, word, label in edits.splits:
        if reason in set(found["reason"]):
            table, found = _split(table, found, reason, word, label)
    for reason, into in edits.merges:
        ids = set(found["reason"])
        if reason in ids and into in ids and reason != into:
            table.loc[table["reason"] == reason, "reason"] = into
            found = found[found["reason"] != reason]
    names = dict(edits.names)
    found["label"] = [
        names.get(r, label) for r, label in zip(found["reason"], found["label"], strict=True)
    ]
    summary = reason_table(table, [found.reset_index(drop=True)])
    labels = dict(zip(summary["reason"], summary["label"], strict=True))
    return replace(
        voice,
        texts=table,
        reasons=summary,
        by_week=weekly(table),
        by_touchpoint=share_by(table, "touchpoint"),
        by_channel=share_by(table, "channel"),
        alerts=alerts(table, labels),
    )


def _split(
    table: pd.DataFrame, found: pd.DataFrame, reason: str, word: str, label: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    mine = (table["reason"] == reason) & table["text"].str.lower().str.contains(word, regex=False)
    new = split_id(reason, word)
    table.loc[mine, "reason"] = new
    language = found.loc[found["reason"] == reason, "language"].iloc[0]
    row = {
        "reason": new,
        "language": language,
        "label": label,
        "terms": [word],
        "examples": table.loc[mine, "text"].head(EXAMPLES).tolist(),
    }
    return table, pd.concat([found, pd.DataFrame([row])], ignore_index=True)
