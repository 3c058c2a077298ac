"""Voice of the customer in one result: the texts, their reasons, sentiment, trends and alerts.

:func:`reasons` finds the texts (:mod:`.texts`), detects their language (:mod:`.language`),
groups them into contact reasons (:mod:`.reasons`), reads their sentiment (:mod:`.sentiment`)
and watches each reason week by week (:mod:`.trends`). :mod:`.edits` renames, merges and splits
reasons as the user says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.analyses.voice import language
from workbench.analyses.voice.grouping import group_all
from workbench.analyses.voice.sentiment import Sentiment, sentiment
from workbench.analyses.voice.texts import find_texts
from workbench.analyses.voice.trends import alerts, weekly
from workbench.core.records import json_rows
from workbench.core.stats import percent
from workbench.journeys.model import JourneyModel


@dataclass(frozen=True)
class VoiceOfCustomer:
    """What customers wrote, grouped and read.

    Attributes
    ----------
    texts
        One row per text kept (masked): its links (``source``, ``customer``, ``journey``,
        ``touchpoint``, ``channel``, ``ts``, ``kind``, ``score``), ``text``, ``language``,
        ``reason`` (None when not grouped), ``sentiment`` and ``sentiment_score``.
    reasons
        One row per reason, most texts first: ``reason``, ``language``, ``label``, ``terms``,
        ``examples``, ``count``, ``negative_share``, ``source`` and ``share`` (of the texts
        of its source grouped). Each source (survey comments, each text column) and each
        language is grouped apart.
    by_week, by_touchpoint, by_channel
        Per reason and week (``texts``, ``negative``, ``share``, ``negative_share``), per
        reason and touchpoint, per reason and channel (``texts``, ``share`` of the reason's).
    alerts
        Rising reasons (:func:`workbench.analyses.voice.trends.alerts`).
    left_out
        Texts not grouped and why (``source``, ``reason``, ``texts``): empty, numbers, an
        unknown language, too few texts in a language.
    """

    texts: pd.DataFrame
    reasons: pd.DataFrame
    by_week: pd.DataFrame
    by_touchpoint: pd.DataFrame
    by_channel: pd.DataFrame
    alerts: pd.DataFrame
    left_out: pd.DataFrame
    sentiment_method: str
    agreement: dict[str, Any]
    sentiment_sentence: str
    columns: tuple[str, ...]
    tried: dict[str, dict[int, float]] = field(default_factory=dict)

    @property
    def languages(self) -> dict[str, int]:
        """Texts per language code, most first."""
        return {str(k): int(v) for k, v in self.texts["language"].value_counts().items()}

    def sentence(self) -> str:
        """The headline in one plain sentence."""
        if self.texts.empty:
            return "No customer texts here: no survey comments and no free-text column."
        top = self.reasons.iloc[0] if len(self.reasons) else None
        langs = ", ".join(
            f"{percent(n / len(self.texts))} {language.name(c)}"
            for c, n in self.languages.items()
            if n >= 0.01 * len(self.texts)
        )
        head = f"{len(self.texts):,} texts ({langs})"
        if top is None:
            return head + ": too few in one language to group into reasons."
        return (
            f"{head} fall into {len(self.reasons)} reasons; the most common is "
            f"“{top['label']}” ({percent(float(top['share']))} of the texts grouped, "
            f"{percent(float(top['negative_share']))} of them negative)."
        )

    def to_json(self) -> dict[str, Any]:
        """The document ``python -m workbench reasons`` prints."""
        weeks = self.by_week.assign(week=self.by_week["week"].dt.date.astype(str))
        reasons = []
        for r in self.reasons.to_dict(orient="records"):
            mine = weeks[weeks["reason"] == r["reason"]]
            places = self.by_touchpoint[self.by_touchpoint["reason"] == r["reason"]]
            channels = self.by_channel[self.by_channel["reason"] == r["reason"]]
            reasons.append(
                {
                    "label": r["label"],
                    "language": r["language"],
                    "terms": list(r["terms"]),
                    "count": int(r["count"]),
                    "share": float(r["share"]),
                    "negative_share": float(r["negative_share"]),
                    "examples": list(r["examples"]),
                    "by_week": json_rows(mine[["week", "texts", "negative", "share"]]),
                    "by_touchpoint": json_rows(places[["touchpoint", "texts", "share"]]),
                    "by_channel": json_rows(channels[["channel", "texts", "share"]]),
                }
            )
        keep = ["label", "signal", "from", "to", "rate_before", "rate_during", "where", "team"]
        return {
            "language": self.languages,
            "sentiment_method": self.sentiment_method,
            "sentiment_agreement": self.agreement,
            "reasons": reasons,
            "alerts": json_rows(self.alerts[[*keep, "extra", "explanation"]]),
            "left_out": json_rows(self.left_out),
            "text_columns": list(self.columns),
        }


def reasons(
    model: JourneyModel, columns: Sequence[str] | None = None, seed: int = 0
) -> VoiceOfCustomer:
    """Contact reasons and sentiment from the texts customers wrote: survey comments and
    free-text event attributes (``columns``; found when None, none with ``[]``).

    Parameters
    ----------
    model
        Journeys with their log (and its surveys, if any).
    columns
        Event attributes that hold free text; None finds them (long, varied strings).
    seed
        Seed of the grouping and of the sentiment's cross-validation.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> voice = wb.reasons(wb.build_journeys(log))
    >>> voice.agreement["balanced_accuracy"] > voice.agreement["chance_balanced"]
    True
    """
    key = (tuple(columns) if columns is not None else None, seed)
    return model.cache.get_or_run("voice", key, lambda: _compute(model, columns, seed))


def _compute(model: JourneyModel, columns: Sequence[str] | None, seed: int) -> VoiceOfCustomer:
    found = find_texts(model, columns)
    table = found.table.copy()
    table["language"] = language.detect_all(table["text"]).to_numpy()
    table["reason"] = pd.Series(None, index=table.index, dtype="object")
    found_reasons: list[pd.DataFrame] = []
    tried: dict[str, dict[int, float]] = {}
    left_rows: list[pd.DataFrame] = []
    # each source is grouped apart: an agent's notes are not what the customers say
    for source, part in table.groupby("source", sort=True):
        prefix = "" if source == "survey comment" else f"{str(source).split()[-1]}:"
        grouping, left = group_all(part["text"], part["language"], seed, prefix)
        table.loc[part.index, "reason"] = grouping.reason
        found_reasons.append(grouping.reasons)
        tried |= grouping.tried
        left_rows.append(_language_left_out(left, str(source)))
    feeling = _sentiment(table, seed)
    table["sentiment"] = feeling.label
    table["sentiment_score"] = feeling.score
    left_out = pd.concat([found.left_out, *left_rows], ignore_index=True).astype({"texts": int})
    summary = reason_table(table, found_reasons)
    labels = dict(zip(summary["reason"], summary["label"], strict=True))
    return VoiceOfCustomer(
        texts=table,
        reasons=summary,
        by_week=weekly(table) if len(table) else pd.DataFrame(columns=_WEEK_COLUMNS),
        by_touchpoint=share_by(table, "touchpoint"),
        by_channel=share_by(table, "channel"),
        alerts=alerts(table, labels) if len(summary) else _no_alerts(),
        left_out=left_out,
        sentiment_method=feeling.method,
        agreement=feeling.agreement,
        sentiment_sentence=feeling.sentence(),
        columns=found.columns,
        tried=tried,
    )


_REASONS = ["reason", "language", "label", "terms", "examples"]
_WEEK_COLUMNS = ["reason", "week", "texts", "negative", "all_texts", "share", "negative_share"]


def _no_alerts() -> pd.DataFrame:
    return alerts(pd.DataFrame(columns=["ts", "reason", "sentiment", "touchpoint"]), {})


def _sentiment(table: pd.DataFrame, seed: int) -> Sentiment:
    if table.empty:
        empty = pd.Series(dtype="object")
        return Sentiment(empty, pd.Series(dtype=float), "none (no texts)", {"n": 0})
    return sentiment(table, table["language"], seed)


def _language_left_out(left: dict[str, int], source: str) -> pd.DataFrame:
    rows = [
        (
            source,
            "an unknown language"
            if code == language.UNKNOWN
            else f"too few texts in {language.name(code)} to group",
            n,
        )
        for code, n in left.items()
    ]
    return pd.DataFrame(rows, columns=["source", "reason", "texts"])


def reason_table(table: pd.DataFrame, found: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per reason ``found`` (``reason``, ``language``, ``label``, ``terms``,
    ``examples``) with its texts in ``table`` counted: ``count``, ``negative_share``, ``source``
    and ``share``; survey comments first, then most texts first."""
    reasons = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=_REASONS)
    grouped = table[table["reason"].notna()]
    counts = grouped.groupby("reason").agg(
        count=("text", "size"),
        negative_share=("sentiment", lambda s: float((s == "negative").mean())),
    )
    out = reasons.merge(counts, left_on="reason", right_index=True, how="left")
    out["count"] = out["count"].fillna(0).astype(int)
    out["negative_share"] = out["negative_share"].fillna(0.0)
    per_source = grouped.groupby("reason")["source"].first()
    out["source"] = out["reason"].map(per_source)
    out["share"] = out["count"] / out["source"].map(grouped["source"].value_counts()).fillna(1)
    out["_first"] = out["source"] != "survey comment"  # what customers wrote comes first
    out = out.sort_values(["_first", "count"], ascending=[True, False])
    return out.drop(columns=["_first"]).reset_index(drop=True)


def share_by(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per reason and value of ``column``: ``texts`` and their ``share`` of the reason's."""
    grouped = table[table["reason"].notna()]
    out = grouped.groupby(["reason", column], as_index=False).size()
    out = out.rename(columns={"size": "texts"})
    out["share"] = out["texts"] / out.groupby("reason")["texts"].transform("sum")
    return out.sort_values(["reason", "texts"], ascending=[True, False]).reset_index(drop=True)
