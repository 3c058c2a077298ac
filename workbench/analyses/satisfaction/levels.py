"""Journey versus touchpoint: which level of measures predicts an outcome better, out of sample.

See :func:`compare_levels`; the verdict comes with paired bootstrap (or DeLong) intervals and
is association, not causation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from workbench.analyses.satisfaction.measures import CAVEAT, customer_measures
from workbench.core.errors import NotEnoughData, ValidationError
from workbench.core.records import json_rows
from workbench.core.stats import percent
from workbench.journeys.model import JourneyModel

JOURNEY_MEASURES: dict[str, str] = {
    "contacts_per_journey": "contacts per journey",
    "contacts": "contacts in all",
    "hours_per_journey": "hours per journey",
    "switches_per_journey": "channel switches per journey",
    "loops_per_journey": "loops per journey",
    "repeat_contacts": "repeat contacts",
    "minutes_waiting": "minutes waiting",
    "goal_share": "share of journeys reaching a goal",
    "journey_csat": "journey CSAT",
}
TOUCHPOINT_MEASURES: dict[str, str] = {
    "csat_mean": "interaction CSAT, mean",
    "csat_last": "interaction CSAT, last",
    "csat_worst": "interaction CSAT, worst",
    "ces_mean": "CES, mean",
    "ces_last": "CES, last",
    "ces_worst": "CES, worst",
}
OUTCOME_COLUMNS = {"nps": "nps", "detractor": "detractor", "churn": "churned", "revenue": "revenue"}
OUTCOME_LABELS = {
    "nps": "NPS",
    "detractor": "being an NPS detractor",
    "churn": "churn",
    "revenue": "monthly revenue",
}
BOOTSTRAP_MAX_N = 5000
#: Who a yes/no outcome's prediction tells apart.
_WHO = {
    "detractor": "detractors from the rest",
    "churn": "customers who churn from those who stay",
}
#: What a positive correlation with each outcome means, in words.
_HIGHER = {
    "nps": "a higher NPS",
    "detractor": "more detractors",
    "churn": "more churn",
    "revenue": "higher revenue",
}


@dataclass(frozen=True)
class LevelComparison:
    """How strongly journey-level and touchpoint-level measures relate to an outcome.

    ``journey_level``, ``touchpoint_level`` and ``difference`` are dicts with ``strength``,
    ``ci_low``, ``ci_high``; ``metric`` says what strength is (cross-validated R² or AUC);
    ``measures`` holds every single measure's Spearman correlation with its interval.
    """

    outcome: str
    metric: str
    n: int
    journey_level: dict[str, float]
    touchpoint_level: dict[str, float]
    difference: dict[str, float]
    verdict: str
    measures: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    caveat: str = CAVEAT

    def headline(self) -> str:
        """The verdict in plain words, for the top of a page: which level explains the outcome
        better, how much each explains, and the measure that goes with it most.

        ``"Whole journeys explain NPS better: journey measures account for 58 % of the
        differences between customers, single touchpoint scores for 5 %. Most telling:
        contacts per journey (fewer go with a higher NPS)."``
        """
        j, t = self.journey_level["strength"], self.touchpoint_level["strength"]
        what = OUTCOME_LABELS.get(self.outcome, self.outcome)
        if self.verdict == "journey":
            head = f"Whole journeys explain {what} better than single touchpoints"
        elif self.verdict == "touchpoint":
            head = f"Single touchpoints explain {what} better than whole journeys"
        else:
            head = f"Neither whole journeys nor single touchpoints explain {what} clearly better"
        if self.metric.endswith("AUC"):
            how = (
                f"journey measures tell {_WHO.get(self.outcome, 'them apart')} correctly "
                f"{percent(j)} of the time, touchpoint scores {percent(t)} (a coin: 50 %)"
            )
        else:
            how = (
                f"journey measures account for {percent(max(j, 0))} of the differences "
                f"between customers, touchpoint scores for {percent(max(t, 0))}"
            )
        return f"{head}: {how}.{self._most_telling()}"

    def _most_telling(self) -> str:
        m = self.measures.dropna(subset=["spearman"])
        m = m[(m["ci_low"] > 0) | (m["ci_high"] < 0)]  # its interval excludes no relation
        if m.empty:
            return ""
        top = m.iloc[int(np.argmax(m["spearman"].abs().to_numpy()))]
        more = "more" if top["spearman"] > 0 else "fewer"
        return f" Most telling: {top['label']} ({more} go with {_HIGHER[self.outcome]})."

    def sentence(self) -> str:
        """The verdict in one sentence, with its numbers."""
        j, t, d = self.journey_level, self.touchpoint_level, self.difference
        if self.verdict == "undecided":
            head = "Neither level predicts it better"
        else:
            head = f"{self.verdict.capitalize()}-level measures predict it better"
        return (
            f"{head} on these {self.n:,} customers: {self.metric} {j['strength']:.2f} "
            f"(95 % CI {j['ci_low']:.2f} to {j['ci_high']:.2f}) for journeys against "
            f"{t['strength']:.2f} ({t['ci_low']:.2f} to {t['ci_high']:.2f}) for "
            f"touchpoints; difference {d['strength']:+.2f} ({d['ci_low']:+.2f} to "
            f"{d['ci_high']:+.2f}). {self.caveat}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "metric": self.metric,
            "n": self.n,
            "journey_level": self.journey_level,
            "touchpoint_level": self.touchpoint_level,
            "difference": self.difference,
            "verdict": self.verdict,
            "sentence": self.sentence(),
            "measures": json_rows(self.measures),
            "params": self.params,
            "caveat": self.caveat,
        }


def compare_levels(
    model: JourneyModel,
    outcome: str = "nps",
    *,
    folds: int = 5,
    boots: int = 1000,
    seed: int = 7,
    survey_window: str = "7d",
    repeat_window: str | float = "7d",
    intervals: str = "auto",
    contacts: Sequence[str] | None = None,
) -> LevelComparison:
    """Do journey-level measures predict ``outcome`` better than touchpoint-level ones?

    Parameters
    ----------
    model
        Journeys of a log loaded with surveys (and a customer list for churn and revenue).
    outcome
        ``"nps"`` (0-10), ``"detractor"`` (NPS 0-6), ``"churn"`` or ``"revenue"``.
    folds, boots, seed
        Cross-validation folds, bootstrap resamples, and the seed that makes both repeatable.
    survey_window, repeat_window, contacts
        As for :func:`workbench.analyses.kpis`.
    intervals
        ``"bootstrap"`` (paired percentile bootstrap of customers), ``"analytic"``
        (large-sample intervals: influence functions for R², DeLong for AUC, Fisher's z with
        the Bonett-Wright variance for Spearman) or ``"auto"``: the bootstrap up to
        :data:`BOOTSTRAP_MAX_N` customers, analytic above, where the two agree and the
        bootstrap would take minutes.

    Returns
    -------
    LevelComparison
        Strength of each level (cross-validated R², or AUC for a yes/no outcome) with paired
        bootstrap intervals, their difference, the verdict and every measure's correlation.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> result = wb.compare_levels(wb.build_journeys(log), "nps", boots=200)
    >>> result.verdict
    'journey'
    """
    if outcome not in OUTCOME_COLUMNS:
        raise ValidationError(
            f"Outcome must be one of {', '.join(OUTCOME_COLUMNS)}, not '{outcome}'.",
            "Unknown outcome",
        )
    data = customer_measures(model, survey_window, repeat_window, contacts)
    target = OUTCOME_COLUMNS[outcome]
    data = data[data[target].notna() & (data["csat_answers"] > 0)].reset_index(drop=True)
    binary = outcome in ("detractor", "churn")
    if len(data) < 50:
        raise NotEnoughData(
            f"Only {len(data)} customers have both an outcome ({outcome}) and a rated "
            "interaction; at least 50 are needed to compare the levels.",
            "Too few customers",
        )
    y = data[target].astype(float).to_numpy()
    if binary and (y.min() == y.max() or min(y.sum(), len(y) - y.sum()) < 10):
        raise NotEnoughData(
            f"Almost every customer has the same {outcome}; there is nothing to predict.",
            "No variation",
        )
    if intervals not in ("auto", "bootstrap", "analytic"):
        raise ValidationError(
            f"Intervals must be auto, bootstrap or analytic, not '{intervals}'.",
            "Unknown interval method",
        )
    method = intervals
    if method == "auto":
        method = "bootstrap" if len(data) <= BOOTSTRAP_MAX_N else "analytic"
    xj = _design(data, list(JOURNEY_MEASURES))
    xt = _design(data, list(TOUCHPOINT_MEASURES))
    pj = _oof(xj, y, binary, folds, seed)
    pt = _oof(xt, y, binary, folds, seed)
    metric = "cross-validated AUC" if binary else "cross-validated R²"
    rng = np.random.default_rng(seed)
    if method == "analytic":
        res = _analytic_levels(y, pj, pt, binary)
    else:
        res = _bootstrap_levels(y, pj, pt, binary, boots, rng)
    d = res["difference"]
    verdict = "journey" if d["ci_low"] > 0 else ("touchpoint" if d["ci_high"] < 0 else "undecided")
    measures = _correlations(data, y, boots if method == "bootstrap" else 0, rng)
    return LevelComparison(
        outcome,
        metric,
        len(data),
        res["journey"],
        res["touchpoint"],
        d,
        verdict,
        measures,
        {
            "folds": folds,
            "boots": boots if method == "bootstrap" else 0,
            "seed": seed,
            "intervals": method,
            "population": "customers with the outcome and at least one rated interaction",
        },
    )


def _bootstrap_levels(
    y: np.ndarray,
    pj: np.ndarray,
    pt: np.ndarray,
    binary: bool,
    boots: int,
    rng: np.random.Generator,
) -> dict[str, dict[str, float]]:
    """Each level's strength and their difference, with paired percentile bootstrap
    intervals over customers (the out-of-fold predictions stay fixed)."""
    score = _auc if binary else _r2
    res = {}
    for name, fn in (
        ("journey", lambda yy, a, b, axis=-1: score(yy, a, axis)),
        ("touchpoint", lambda yy, a, b, axis=-1: score(yy, b, axis)),
        ("difference", lambda yy, a, b, axis=-1: score(yy, a, axis) - score(yy, b, axis)),
    ):
        boot = stats.bootstrap(
            (y, pj, pt),
            fn,
            paired=True,
            vectorized=True,
            n_resamples=boots,
            method="percentile",
            random_state=rng,
        )
        ci = boot.confidence_interval
        res[name] = {
            "strength": float(fn(y, pj, pt)),
            "ci_low": float(ci.low),
            "ci_high": float(ci.high),
        }
    return res


def _analytic_levels(
    y: np.ndarray, pj: np.ndarray, pt: np.ndarray, binary: bool
) -> dict[str, dict[str, float]]:
    """Each level's strength and their difference, with large-sample 95 % intervals.

    R²: the influence function of ``1 - mean(e²) / mean((y - ȳ)²)`` per customer, so the
    difference of the two levels (which share the denominator) has its own, paired, variance.
    AUC: DeLong's variance and covariance of two correlated AUCs (midranks, Sun & Xu 2014).
    """
    z = float(stats.norm.ppf(0.975))
    if binary:
        strength, cov = _delong(y.astype(int), np.vstack([pj, pt]))
        var = {
            "journey": cov[0, 0],
            "touchpoint": cov[1, 1],
            "difference": cov[0, 0] + cov[1, 1] - 2 * cov[0, 1],
        }
        est = {
            "journey": strength[0],
            "touchpoint": strength[1],
            "difference": strength[0] - strength[1],
        }
    else:
        n = len(y)
        dev = (y - y.mean()) ** 2
        tot = dev.mean()
        infl = {}
        est = {}
        for name, pred in (("journey", pj), ("touchpoint", pt)):
            err = (y - pred) ** 2
            sse = err.mean()
            est[name] = 1 - sse / tot
            infl[name] = -(err - sse) / tot + sse * (dev - tot) / tot**2
        est["difference"] = est["journey"] - est["touchpoint"]
        infl["difference"] = infl["journey"] - infl["touchpoint"]
        var = {k: float(np.var(v, ddof=1) / n) for k, v in infl.items()}
    return {
        k: {
            "strength": float(est[k]),
            "ci_low": float(est[k] - z * math.sqrt(var[k])),
            "ci_high": float(est[k] + z * math.sqrt(var[k])),
        }
        for k in ("journey", "touchpoint", "difference")
    }


def _delong(y: np.ndarray, preds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of several predictions of the same yes/no outcome, and their DeLong covariance."""
    pos, neg = preds[:, y == 1], preds[:, y == 0]
    m, n = pos.shape[1], neg.shape[1]
    tx = stats.rankdata(pos, axis=1)
    ty = stats.rankdata(neg, axis=1)
    tz = stats.rankdata(np.hstack([pos, neg]), axis=1)
    aucs = (tz[:, :m].sum(axis=1) - m * (m + 1) / 2) / (m * n)
    v01 = (tz[:, :m] - tx) / n
    v10 = 1 - (tz[:, m:] - ty) / m
    cov = np.atleast_2d(np.cov(v01)) / m + np.atleast_2d(np.cov(v10)) / n
    return aucs, cov


def _r2(y: np.ndarray, pred: np.ndarray, axis: int = -1) -> np.ndarray:
    """R² of predictions, along ``axis`` (so many bootstrap resamples at once)."""
    res = ((y - pred) ** 2).sum(axis=axis)
    tot = ((y - y.mean(axis=axis, keepdims=True)) ** 2).sum(axis=axis)
    return np.asarray(1 - res / tot)


def _auc(y: np.ndarray, pred: np.ndarray, axis: int = -1) -> np.ndarray:
    """Area under the ROC curve from ranks (Mann-Whitney), along ``axis``."""
    ranks = stats.rankdata(pred, axis=axis)
    pos = (y == 1).sum(axis=axis)
    neg = y.shape[axis] - pos
    rank_sum = (ranks * (y == 1)).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((rank_sum - pos * (pos + 1) / 2) / (pos * neg))


def _spearman(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Spearman's rank correlation along ``axis`` (Pearson correlation of the ranks)."""
    rx, ry = stats.rankdata(x, axis=axis), stats.rankdata(y, axis=axis)
    rx = rx - rx.mean(axis=axis, keepdims=True)
    ry = ry - ry.mean(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            (rx * ry).sum(axis=axis) / np.sqrt((rx**2).sum(axis=axis) * (ry**2).sum(axis=axis))
        )


def _design(data: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Measures with missing values filled by the mean, plus a flag per column that had any."""
    parts = []
    for col in columns:
        x = data[col].astype(float)
        if x.isna().all():
            continue
        if x.isna().any():
            parts.append(x.isna().astype(float).to_numpy())
            x = x.fillna(x.mean())
        parts.append(x.to_numpy())
    return np.column_stack(parts)


def _oof(x: np.ndarray, y: np.ndarray, binary: bool, folds: int, seed: int) -> np.ndarray:
    """Out-of-fold predictions of a regularised linear model (probabilities for yes/no)."""
    if binary:
        cv: Any = StratifiedKFold(folds, shuffle=True, random_state=seed)
        est: Any = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        return np.asarray(
            cross_val_predict(est, x, y.astype(int), cv=cv, method="predict_proba")[:, 1]
        )
    cv = KFold(folds, shuffle=True, random_state=seed)
    est = make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-3, 3, 13)))
    return np.asarray(cross_val_predict(est, x, y, cv=cv))


def _correlations(
    data: pd.DataFrame, y: np.ndarray, boots: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Each measure's Spearman correlation with the outcome: bootstrap intervals with
    ``boots`` resamples, or large-sample ones when ``boots`` is 0."""
    rows = []
    for level, names in (("journey", JOURNEY_MEASURES), ("touchpoint", TOUCHPOINT_MEASURES)):
        for col, label in names.items():
            x = data[col].astype(float).to_numpy()
            ok = ~np.isnan(x)
            n = int(ok.sum())
            if n < 20 or np.nanstd(x) == 0:
                continue
            xs, ys = x[ok], y[ok]
            rho = float(stats.spearmanr(xs, ys).statistic)
            if boots:
                ci = stats.bootstrap(
                    (xs, ys),
                    _spearman,
                    paired=True,
                    vectorized=True,
                    n_resamples=boots,
                    method="percentile",
                    random_state=rng,
                ).confidence_interval
                low, high = float(ci.low), float(ci.high)
            else:  # Fisher's z with the Bonett-Wright variance for Spearman's rho
                half = stats.norm.ppf(0.975) * math.sqrt((1 + rho**2 / 2) / (n - 3))
                low, high = math.tanh(math.atanh(rho) - half), math.tanh(math.atanh(rho) + half)
            rows.append(
                {
                    "level": level,
                    "measure": col,
                    "label": label,
                    "n": n,
                    "spearman": rho,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    return pd.DataFrame(rows)


# -- loyalty and value -----------------------------------------------------------------------
