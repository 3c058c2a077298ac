"""Sentiment per text, positive, neutral or negative with a score, and how well it agrees with
the scores the customers gave themselves.

Where enough texts come with a score (NPS, CSAT, CES), the scores teach the model: each score is
read as the customer's own verdict (NPS 0-6 negative, 7-8 neutral, 9-10 positive; CSAT 1-2, 3,
4-5; CES 1-3, 4, 5-7 where 7 is very easy), and a logistic regression on the texts' words and
word pairs (TF-IDF) learns it. Its agreement is measured on texts it did not learn from (5-fold
cross-validation): accuracy and balanced accuracy, each beside what guessing would get. It
learns from at most :data:`LEARN_SAMPLE` scored texts, drawn at random, then reads every text.

Without enough scored texts, English texts are read with the VADER lexicon (``vaderSentiment``);
there is no maintained Swedish lexicon installable from the registry, so other languages get no
sentiment, and the method says so. Any scored texts there are still check the lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from workbench.core.stats import percent

LABELS = ("negative", "neutral", "positive")
#: Scored texts needed to learn from them, and per verdict.
MIN_SCORED = 60
MIN_PER_LABEL = 10
FOLDS = 5
#: Scored texts learned from at most (drawn at random): the model's agreement on held-out
#: texts is measured on these, and every text is then read in chunks of :data:`CHUNK`.
LEARN_SAMPLE = 10_000
CHUNK = 50_000
#: VADER's own thresholds on its compound score.
VADER_THRESHOLD = 0.05
LEARNED = "learned from the customers' own scores (logistic regression on TF-IDF words)"
LEXICON = "VADER lexicon (English texts only; no Swedish lexicon is installed)"


def verdict(kind: Any, score: Any) -> str | None:
    """A customer's score read as negative, neutral or positive (None when there is none).

    Examples
    --------
    >>> verdict("nps", 6), verdict("csat", 3), verdict("ces", 7), verdict(None, None)
    ('negative', 'neutral', 'positive', None)
    """
    if score is None or kind is None or pd.isna(score) or pd.isna(kind):
        return None
    low, high = {"nps": (6, 9), "csat": (2, 4), "ces": (3, 5)}.get(str(kind), (None, None))
    if low is None or high is None:
        return None
    s = float(score)
    return "negative" if s <= low else ("positive" if s >= high else "neutral")


@dataclass(frozen=True)
class Sentiment:
    """One label (:data:`LABELS`) and score (-1 very negative .. 1 very positive; NaN where
    not read) per text, the ``method`` used and its ``agreement`` with the customers' own
    scores: ``n``, ``accuracy``, ``balanced_accuracy``, ``chance_accuracy`` (always the most
    common verdict), ``chance_balanced`` (one over the verdicts), ``held_out``."""

    label: pd.Series
    score: pd.Series
    method: str
    agreement: dict[str, Any] = field(default_factory=dict)

    def sentence(self) -> str:
        """How the sentiment was made and how well it agrees, in one sentence."""
        a = self.agreement
        if not a.get("n"):
            return (
                f"Sentiment: {self.method}. No texts here come with a score, so its agreement "
                "with the customers' own view cannot be checked on this data."
            )
        where = "on texts it did not learn from" if a["held_out"] else "on the scored texts"
        return (
            f"Sentiment: {self.method}. {where.capitalize()} ({a['n']:,}), it agrees with "
            f"the customers' own scores {percent(a['accuracy'])} of the time "
            f"(always guessing the most common verdict: {percent(a['chance_accuracy'])}); "
            f"balanced accuracy {percent(a['balanced_accuracy'])} against "
            f"{percent(a['chance_balanced'])} by chance."
        )


def sentiment(texts: pd.DataFrame, languages: pd.Series, seed: int = 0) -> Sentiment:
    """Sentiment of every text in ``texts`` (columns ``text``, ``kind``, ``score``; see the
    module for the method)."""
    truth = pd.Series(
        [verdict(k, s) for k, s in zip(texts["kind"], texts["score"], strict=True)],
        index=texts.index,
        dtype="object",
    )
    counts = truth.value_counts()
    enough = counts[counts >= MIN_PER_LABEL]
    if int(counts.sum()) >= MIN_SCORED and len(enough) >= 2:
        return _learned(texts["text"], truth, seed)
    return _lexicon(texts["text"], languages, truth)


def _pipeline(seed: int) -> Any:
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True),
        LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed),
    )


def _learned(text: pd.Series, truth: pd.Series, seed: int) -> Sentiment:
    known = truth.notna()
    counts = truth[known].value_counts()
    use = np.flatnonzero((known & truth.isin(counts[counts >= MIN_PER_LABEL].index)).to_numpy())
    if len(use) > LEARN_SAMPLE:  # enough to learn from; the rest are only read
        use = np.sort(np.random.default_rng(seed).choice(use, LEARN_SAMPLE, replace=False))
    x, y = text.to_numpy(dtype=object)[use], truth.to_numpy(dtype=object)[use]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    guessed = cross_val_predict(_pipeline(seed), x, y, cv=folds)
    agreement = _agreement(y, guessed, held_out=True)
    model = _pipeline(seed).fit(x, y)
    given = text.to_numpy(dtype=object)
    proba = pd.DataFrame(
        np.vstack(
            [model.predict_proba(given[at : at + CHUNK]) for at in range(0, len(given), CHUNK)]
        ),
        columns=model.classes_,
    )
    label = pd.Series(proba.idxmax(axis=1).to_numpy(), index=text.index, dtype="object")
    pos = proba.get("positive", pd.Series(0.0, index=proba.index)).to_numpy()
    neg = proba.get("negative", pd.Series(0.0, index=proba.index)).to_numpy()
    return Sentiment(label, pd.Series(pos - neg, index=text.index), LEARNED, agreement)


def _lexicon(text: pd.Series, languages: pd.Series, truth: pd.Series) -> Sentiment:
    vader = SentimentIntensityAnalyzer()
    english = (languages == "en").to_numpy()
    values = np.full(len(text), np.nan)
    values[english] = [vader.polarity_scores(t)["compound"] for t in text[english]]
    score = pd.Series(values, index=text.index)
    label = pd.Series(None, index=text.index, dtype="object")
    label[score >= VADER_THRESHOLD] = "positive"
    label[score <= -VADER_THRESHOLD] = "negative"
    label[score.abs() < VADER_THRESHOLD] = "neutral"
    both = truth.notna() & label.notna()
    agreement = (
        _agreement(truth[both].to_numpy(), label[both].to_numpy(), held_out=False)
        if both.any()
        else {"n": 0}
    )
    return Sentiment(label, score, LEXICON, agreement)


def _agreement(y: np.ndarray, guessed: np.ndarray, held_out: bool) -> dict[str, Any]:
    classes, counts = np.unique(y, return_counts=True)
    return {
        "n": len(y),
        "accuracy": float(accuracy_score(y, guessed)),
        "balanced_accuracy": float(balanced_accuracy_score(y, guessed)),
        "chance_accuracy": float(counts.max() / counts.sum()),
        "chance_balanced": 1.0 / len(classes),
        "held_out": held_out,
    }
