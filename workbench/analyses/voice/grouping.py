"""Contact reasons: texts grouped by what they are about, each group labelled by its words.

Per language, each text is cut into words, stop words dropped (the ``stop-words`` package's
list for the language) and each word stemmed (Snowball, ``snowballstemmer``; a stem that is
another plus a short ending joins it, so *fakturan*, *fakturor* and *faktura* count as one).
The stems are weighed by TF-IDF and grouped by non-negative matrix factorisation
(scikit-learn's NMF). The number of reasons is the largest, up to :data:`MAX_REASONS`, whose
reasons keep their top words their own (:func:`exclusivity`): one reason more than the texts
hold splits a reason in two that share their words. Only the :data:`EXCLUSIVITY_TERMS` leading
words count: further down a small reason's list come the words every unhappy customer writes
("disappointed", "okay I guess"), shared by all. Measured on six words, the sample's small
reasons (40-70 texts each) merged into one; on three, each stands apart, and the planted world
(``tests/worlds/feedback.py``, seed 1) keeps its six reasons. With six words this rule had found
the planted six reasons in five of six languages and seeds (1-3) of that world; the
reconstruction error (no elbow), stability under refits and the coherence of the top words
(NPMI) each chose two reasons (happy or not) on some seeds and eleven
on others. A reason is named by its most telling words (shown as customers wrote them, not as
stems) and three texts that say it plainly and differently.

A language with fewer than :data:`MIN_TEXTS` texts is not grouped; its texts are counted. A
text none of whose words is known to the grouping has reason ``None``.

The model is fitted on at most :data:`FIT_SAMPLE` texts per language, then every text is
assigned, so memory is bounded however many texts there are.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pandas as pd
import snowballstemmer
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from stop_words import get_stop_words

from workbench.analyses.voice.language import LANGUAGES

MAX_REASONS = 12
MIN_TEXTS = 50
FIT_SAMPLE = 20_000
#: Texts assigned to their reasons at a time, so memory is bounded however many there are.
CHUNK = 50_000
TOP_TERMS = 8
MIN_STEM = 3
MAX_ENDING = 3
#: How many of a reason's top words its exclusivity is measured on, and the least kept.
EXCLUSIVITY_TERMS = 3
MIN_EXCLUSIVITY = 0.85
EXAMPLES = 3
_NAMES = {"sv": "swedish", "en": "english", "no": "norwegian", "da": "danish", "fi": "finnish"}
_WORD = re.compile(r"[^\W\d_]{2,}")
_MASK = re.compile(r"\[(?:e-mail|personnummer|phone|name)\]")


@cache
def _stop_words(lang: str) -> frozenset[str]:
    return frozenset(w.lower() for w in get_stop_words(_NAMES[lang]))


@cache
def _stemmer(lang: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(_NAMES[lang])


def words(text: str, lang: str) -> list[str]:
    """The words of ``text`` that carry meaning: lower case, no stop words, no masks.

    Examples
    --------
    >>> words("Jag blev dubbeldebiterad på fakturan!", "sv")
    ['dubbeldebiterad', 'fakturan']
    """
    stop = _stop_words(lang)
    return [w for w in _WORD.findall(_MASK.sub(" ", text).lower()) if w not in stop]


def stems(tokens: Sequence[str], lang: str) -> list[str]:
    """Each word's Snowball stem in ``lang``.

    Examples
    --------
    >>> stems(["fakturor", "faktura", "kopplades"], "sv")
    ['faktur', 'faktur', 'koppl']
    """
    return [_stem(t, lang) for t in tokens]


@lru_cache(maxsize=200_000)
def _stem(word: str, lang: str) -> str:
    # texts repeat their words: each word is stemmed once
    return str(_stemmer(lang).stemWord(word))


def merge_endings(stemmed: Sequence[Sequence[str]]) -> dict[str, str]:
    """Stems that are another stem plus a short ending, each mapped to the shorter one.

    Snowball leaves some inflections apart (Swedish *fakturan*, the invoice, stays whole while
    *faktura* becomes *faktur*; *appen* and *app*); a stem of at least
    :data:`MIN_STEM` letters that begins another one, at most :data:`MAX_ENDING` letters
    shorter, stands for it.

    Examples
    --------
    >>> merge_endings([["faktur", "fakturan"], ["app", "appen", "status", "statusen"]])
    {'appen': 'app', 'fakturan': 'faktur', 'statusen': 'status'}
    """
    vocab = sorted({s for doc in stemmed for s in doc})
    known = set(vocab)
    out: dict[str, str] = {}
    for stem in vocab:
        for cut in range(max(MIN_STEM, len(stem) - MAX_ENDING), len(stem)):
            if stem[:cut] in known:
                out[stem] = out.get(stem[:cut], stem[:cut])
                break
    return out


@dataclass(frozen=True)
class Grouping:
    """Reasons of one language: ``assigned`` (one reason id or None per text, in the order
    given, and its weight), ``reasons`` (``reason``, ``language``, ``label``, ``terms``,
    ``examples``) and, per language, each number of reasons tried with how well it separated
    the texts (``tried``: their :func:`exclusivity`)."""

    reason: pd.Series
    weight: pd.Series
    reasons: pd.DataFrame
    tried: dict[str, dict[int, float]]


def _clean(text: str) -> str:
    return _MASK.sub(" ", text).lower()


def _word_counts(texts: Sequence[str]) -> tuple[Any, np.ndarray]:
    """Each text's words counted (a sparse matrix, one column per word) and the words, in the
    order of :func:`words` but with stop words kept (they are dropped by their stem's column)."""
    counter = CountVectorizer(preprocessor=_clean, token_pattern=_WORD.pattern, dtype=np.float64)
    try:
        counts = counter.fit_transform(texts)
    except ValueError:  # no text has a word
        return sparse.csr_matrix((len(texts), 0)), np.array([], dtype=object)
    return counts, counter.get_feature_names_out()


class _Vocabulary:
    """Which column of the grouping each word counts in (its stem's), or -1: a stop word, or a
    stem the grouping does not know. Each word is looked up once."""

    def __init__(self, lang: str, shorter: dict[str, str], columns: dict[str, int]) -> None:
        self.lang = lang
        self.shorter = shorter
        self.columns = columns
        self._known = frozenset(shorter.values()) | frozenset(columns)
        self._stop = _stop_words(lang)
        self._seen: dict[str, int] = {}

    def stem(self, word: str) -> str:
        """The word's stem after :func:`merge_endings`; a stem not seen when the grouping was
        fitted stands for a known one by the same rule."""
        stem = _stem(word, self.lang)
        if stem in self.shorter or stem in self._known:
            return self.shorter.get(stem, stem)
        for cut in range(max(MIN_STEM, len(stem) - MAX_ENDING), len(stem)):
            if stem[:cut] in self._known:
                return self.shorter.get(stem[:cut], stem[:cut])
        return stem

    def column(self, word: str) -> int:
        if word not in self._seen:
            self._seen[word] = -1 if word in self._stop else self.columns.get(self.stem(word), -1)
        return self._seen[word]

    def counts(self, texts: Sequence[str]) -> Any:
        """The texts' stems counted, one column per known stem (sparse)."""
        counts, found = _word_counts(texts)
        at = np.array([self.column(str(w)) for w in found], dtype=np.int64)
        rows = np.flatnonzero(at >= 0)
        onto = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, at[rows])), shape=(len(found), len(self.columns))
        )
        return (counts @ onto).tocsr()


def _fit_vocabulary(texts: Sequence[str], lang: str) -> tuple[_Vocabulary, Any, dict[str, str]]:
    """The stems of ``texts`` (Snowball, short endings merged), those in at least two texts
    and at most half of them, their counts per text, and each stem's word as customers
    most often wrote it."""
    counts, found = _word_counts(texts)
    stop = _stop_words(lang)
    meaningful = [str(w) for w in found if str(w) not in stop]
    stemmed = [_stem(w, lang) for w in meaningful]
    shorter = merge_endings([stemmed])
    every = _Vocabulary(lang, shorter, {s: i for i, s in enumerate(sorted(set(stemmed)))})
    every.columns = {s: i for i, s in enumerate(sorted({every.stem(w) for w in meaningful}))}
    stem_counts = every.counts(texts)
    in_texts = np.asarray((stem_counts > 0).sum(axis=0)).ravel()
    keep = (in_texts >= 2) & (in_texts <= 0.5 * len(texts))
    names = np.array(sorted(every.columns), dtype=object)
    vocab = _Vocabulary(lang, shorter, {str(s): i for i, s in enumerate(names[keep])})
    totals = np.asarray(counts.sum(axis=0)).ravel()
    display: dict[str, str] = {}
    best: dict[str, float] = {}
    for word, total in zip(found, totals, strict=True):
        stem = every.stem(str(word)) if str(word) not in stop else None
        if stem is not None and total > best.get(stem, 0.0):
            best[stem], display[stem] = float(total), str(word)
    return vocab, stem_counts[:, np.flatnonzero(keep)], display


def group(texts: pd.Series, lang: str, seed: int = 0, prefix: str = "") -> Grouping:
    """Group the texts of one language into reasons (see the module); reason ids are
    ``prefix``, the language code and a number."""
    rng = np.random.default_rng(seed)
    n = len(texts)
    fit_rows = np.sort(rng.choice(n, FIT_SAMPLE, replace=False)) if n > FIT_SAMPLE else np.arange(n)
    given = texts.to_numpy(dtype=object)
    vocab, fit_counts, display = _fit_vocabulary(list(given[fit_rows]), lang)
    if not vocab.columns:
        raise ValueError("After pruning, no terms remain.")
    tfidf = TfidfTransformer(sublinear_tf=True).fit(fit_counts)
    best_k, tried, model = _choose_k(tfidf.transform(fit_counts), seed)
    assigned = np.zeros(n, dtype=np.int64)
    strongest = np.zeros(n)
    for at in range(0, n, CHUNK):
        part = list(given[at : at + CHUNK])
        w = model.transform(tfidf.transform(vocab.counts(part)))
        assigned[at : at + len(part)] = w.argmax(axis=1)
        strongest[at : at + len(part)] = w.max(axis=1)
    ids = [f"{prefix}{lang}{i + 1}" for i in range(best_k)]
    reason = pd.Series(
        [ids[i] if s > 0 else None for i, s in zip(assigned, strongest, strict=True)],
        index=texts.index,
        dtype="object",
    )
    names = sorted(vocab.columns, key=vocab.columns.__getitem__)
    rows = []
    for i, rid in enumerate(ids):
        weights = model.components_[i]
        top = [j for j in np.argsort(weights)[::-1][:TOP_TERMS] if weights[j] > 0]
        terms = [display.get(names[j], names[j]) for j in top]
        members = np.flatnonzero((assigned == i) & (strongest > 0))
        order = members[np.argsort(strongest[members])[::-1]]
        examples = _distinct((str(given[j]), set(words(str(given[j]), lang))) for j in order)
        rows.append(
            {
                "reason": rid,
                "language": lang,
                "label": " / ".join(terms[:3]),
                "terms": terms,
                "examples": examples,
            }
        )
    strength = pd.Series(strongest, index=texts.index)
    return Grouping(reason, strength, pd.DataFrame(rows), {lang: tried})


def _choose_k(x: Any, seed: int) -> tuple[int, dict[int, float], NMF]:
    """The most reasons, from two to :data:`MAX_REASONS`, whose top words stay their own: on
    average at least :data:`MIN_EXCLUSIVITY` of the weight of each reason's
    :data:`EXCLUSIVITY_TERMS` top words is its, not the other reasons' (when none does, the
    number whose words are most their own)."""
    n_rows, n_terms = x.shape
    top = max(2, min(MAX_REASONS, n_rows // 10, n_terms - 1))
    tried: dict[int, float] = {}
    fitted: dict[int, NMF] = {}
    for k in range(2, top + 1):
        with warnings.catch_warnings():
            # more reasons than the texts hold: NMF's error is then 0 up to rounding (sqrt < 0)
            warnings.simplefilter("ignore", RuntimeWarning)
            fitted[k] = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400).fit(x)
        tried[k] = round(exclusivity(fitted[k].components_), 4)
    own = [k for k, e in tried.items() if e >= MIN_EXCLUSIVITY]
    best = max(own) if own else max(tried, key=lambda k: tried[k])
    return best, tried, fitted[best]


def exclusivity(components: np.ndarray) -> float:
    """How much each reason's top words are its own: of a word's weight across the reasons
    (each reason's weights summing to one), the share in the reason it is a top word of,
    averaged over the top :data:`EXCLUSIVITY_TERMS` words of every reason (the exclusivity
    of Bischof and Airoldi's FREX).

    Examples
    --------
    >>> round(exclusivity(np.array([[3.0, 1.0, 0.0], [0.0, 1.0, 3.0]])), 2)
    0.75
    """
    total = components.sum(axis=1, keepdims=True)
    share = components / np.where(total > 0, total, 1.0)
    across = share.sum(axis=0)
    values = []
    for row in share:
        for j in np.argsort(row)[::-1][:EXCLUSIVITY_TERMS]:
            if row[j] > 0:
                values.append(row[j] / across[j])
    return float(np.mean(values)) if values else 0.0


def _distinct(items: Iterable[tuple[str, set[str]]]) -> list[str]:
    """The first :data:`EXAMPLES` texts (each with its words) that do not say much the same as
    one already taken (half their words in common or more), so the examples show a reason's
    range."""
    out: list[str] = []
    taken: list[set[str]] = []
    for item, ws in items:
        if all(len(ws & t) < 0.5 * max(len(ws | t), 1) for t in taken):
            out.append(item)
            taken.append(ws)
        if len(out) == EXAMPLES:
            break
    return out


def group_all(
    texts: pd.Series, languages: pd.Series, seed: int = 0, prefix: str = ""
) -> tuple[Grouping, dict[str, int]]:
    """:func:`group` for each language with enough texts; the texts of the others are counted
    (language code -> texts) and get no reason."""
    reason = pd.Series(None, index=texts.index, dtype="object")
    weight = pd.Series(0.0, index=texts.index)
    tables: list[pd.DataFrame] = []
    tried: dict[str, dict[int, float]] = {}
    left: dict[str, int] = {}
    for code, part in texts.groupby(languages, sort=False):
        lang = str(code)
        if lang not in LANGUAGES or len(part) < MIN_TEXTS:
            left[lang] = len(part)
            continue
        g = group(part, lang, seed, prefix)
        reason.loc[part.index] = g.reason
        weight.loc[part.index] = g.weight
        tables.append(g.reasons)
        tried |= {prefix + k: v for k, v in g.tried.items()}
    reasons = (
        pd.concat(tables, ignore_index=True)
        if tables
        else pd.DataFrame(columns=["reason", "language", "label", "terms", "examples"])
    )
    return Grouping(reason, weight, reasons, tried), left
