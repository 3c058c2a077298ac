"""Journey versus touchpoint: which level of experience goes with loyalty and value -- measured
on the team's own data, with honest uncertainty, never assumed.

:func:`compare_levels` puts, per customer, the *journey-level* measures (contacts, duration,
channel switches, loops, repeat contacts, waiting, reaching the goal, journey CSAT where asked)
against the *touchpoint-level* ones (the CSAT and CES of single interactions: mean, last,
worst), and asks how well each set predicts an outcome (NPS, detractor, churn, revenue) **out of
sample**: 5-fold cross-validated R² (or AUC for a yes/no outcome) of a regularised linear model
on each set, with a paired bootstrap interval for each and for their difference. The verdict is
``journey`` or ``touchpoint`` when the interval of the difference excludes zero, else
``undecided``. Each single measure's Spearman correlation with the outcome comes with a bootstrap
interval too. This is association, not causation.

Also here: the link from loyalty to value (:func:`loyalty_value`), the touchpoints that drag
journey satisfaction down within each journey type (:func:`journey_drivers`), and customer
outcomes per team or agent (:func:`team_view`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import stats
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from workbench.analyses.kpis import kpis, nps_interval, prepare_kpi_tables, prepare_responses
from workbench.analyses.outcomes import LONG_WAIT_SECONDS, prepare_visits, visit_key
from workbench.core import db
from workbench.core.db import quote_ident
from workbench.core.durations import parse_duration
from workbench.core.errors import ValidationError
from workbench.core.records import json_rows
from workbench.core.stats import adjust
from workbench.ingest.schema import normalise
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import journey_segments

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
CAVEAT = (
    "Association, not causation: customers who had harder journeys may differ in other ways too."
)


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


def customer_measures(
    model: JourneyModel, survey_window: str = "7d", repeat_window: str | float = "7d"
) -> pd.DataFrame:
    """One row per customer: journey-level and touchpoint-level measures and the outcomes.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> m = customer_measures(wb.build_journeys(log))
    >>> {"contacts_per_journey", "csat_mean", "nps"} <= set(m.columns)
    True
    """
    repeat_s = parse_duration(repeat_window, "repeat window")
    key = visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS)
    # read by several analyses (levels, loyalty): counted once per model and parameters, and
    # beside a model kept in its dataset, once for every later session too
    with model.using() as cur:

        def count() -> list[pd.DataFrame]:
            _prepare(model, cur, survey_window, repeat_window)
            return [db.run(cur, "satisfaction/customer_measures")]

        (measures,) = model.cache.get_or_run(
            "customer_measures", key, count, cur=cur, keep=True, slots=2
        )
    return measures


def _prepare(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    survey_window: str,
    repeat_window: str | float,
) -> None:
    repeat_s = parse_duration(repeat_window, "repeat window")
    roles = prepare_visits(model, cur, None, survey_window, repeat_s).roles
    prepare_responses(model, cur, visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS))
    log = model.log
    if log.has_customers:
        churn = (
            f"cast({quote_ident(roles.churned)} as boolean)"
            if roles.churned
            else "cast(null as boolean)"
        )
        rev = (
            f"cast({quote_ident(roles.revenue)} as double)"
            if roles.revenue
            else "cast(null as double)"
        )
        cur.execute(
            f"create or replace temp view customer_values as select customer_key, "
            f"{churn} as churned, {rev} as revenue from customers "
            "where customer_key is not null"
        )
    else:
        cur.execute(
            "create or replace temp view customer_values as select "
            "cast(null as integer) customer_key, cast(null as boolean) churned, "
            "cast(null as double) revenue where false"
        )


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
    survey_window, repeat_window
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
    data = customer_measures(model, survey_window, repeat_window)
    target = OUTCOME_COLUMNS[outcome]
    data = data[data[target].notna() & (data["csat_answers"] > 0)].reset_index(drop=True)
    binary = outcome in ("detractor", "churn")
    if len(data) < 50:
        raise ValidationError(
            f"Only {len(data)} customers have both an outcome ({outcome}) and a rated "
            "interaction; at least 50 are needed to compare the levels.",
            "Too few customers",
        )
    y = data[target].astype(float).to_numpy()
    if binary and (y.min() == y.max() or min(y.sum(), len(y) - y.sum()) < 10):
        raise ValidationError(
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


@dataclass(frozen=True)
class LoyaltyValue:
    """Value by loyalty group: ``groups`` (promoters, passives, detractors: customers, revenue,
    churn, contacts per customer, each with an interval) and ``differences`` (promoters against
    detractors)."""

    groups: pd.DataFrame
    differences: pd.DataFrame

    def sentence(self) -> str:
        d = self.differences.set_index("measure")
        known = {m for m, v in zip(d.index, d["difference"], strict=True) if pd.notna(v)}
        parts = []
        if "revenue" in known:
            r = d.loc["revenue"]
            parts.append(
                f"promoters bring {r['difference']:+.2f} revenue per month against "
                f"detractors (95 % CI {r['ci_low']:+.2f} to {r['ci_high']:+.2f})"
            )
        if "churn" in known:
            c = d.loc["churn"]
            parts.append(
                f"churn {100 * c['difference']:+.1f} points (CI "
                f"{100 * c['ci_low']:+.1f} to {100 * c['ci_high']:+.1f})"
            )
        r = d.loc["contacts"]
        parts.append(
            f"make {r['difference']:+.2f} contacts each (CI {r['ci_low']:+.2f} to "
            f"{r['ci_high']:+.2f})"
        )
        return "Compared with detractors, " + "; ".join(parts) + ". " + CAVEAT


def loyalty_value(model: JourneyModel, survey_window: str = "7d") -> LoyaltyValue:
    """Revenue, churn and contacts of promoters, passives and detractors, with intervals.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv",
    ...                      customers="sample_data/customers.csv")
    >>> lv = wb.loyalty_value(wb.build_journeys(log))
    >>> list(lv.groups["group"])
    ['promoter', 'passive', 'detractor']
    """
    data = customer_measures(model, survey_window)
    data = data[data["nps"].notna()].copy()
    if data.empty:
        raise ValidationError("No customer has an NPS answer; load surveys with NPS.", "No NPS")
    data["group"] = pd.cut(
        data["nps"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"]
    ).astype(str)
    rows = []
    for g in ("promoter", "passive", "detractor"):
        part = data[data["group"] == g]
        row: dict[str, Any] = {"group": g, "customers": len(part)}
        for col, name in (("revenue", "revenue"), ("contacts", "contacts")):
            vals = part[col].dropna().astype(float)
            row[name], row[f"{name}_ci_low"], row[f"{name}_ci_high"] = _mean_ci(vals)
        churn = part["churned"].dropna()
        k, n = int(churn.sum()), len(churn)
        row["churn"] = k / n if n else math.nan
        low, high = proportion_confint(k, n, method="wilson") if n else (math.nan, math.nan)
        row["churn_ci_low"], row["churn_ci_high"] = float(low), float(high)
        rows.append(row)
    groups = pd.DataFrame(rows)
    pro, det = data[data["group"] == "promoter"], data[data["group"] == "detractor"]
    diffs = []
    for col, name in (("revenue", "revenue"), ("contacts", "contacts")):
        a, b = pro[col].dropna().astype(float), det[col].dropna().astype(float)
        if len(a) > 1 and len(b) > 1:
            res = stats.ttest_ind(a, b, equal_var=False)
            ci = res.confidence_interval()
            diffs.append(
                {
                    "measure": name,
                    "difference": float(a.mean() - b.mean()),
                    "ci_low": float(ci.low),
                    "ci_high": float(ci.high),
                    "p_value": float(res.pvalue),
                }
            )
        else:
            diffs.append(
                {
                    "measure": name,
                    "difference": math.nan,
                    "ci_low": math.nan,
                    "ci_high": math.nan,
                    "p_value": math.nan,
                }
            )
    a, b = pro["churned"].dropna(), det["churned"].dropna()
    if len(a) and len(b):
        low, high = confint_proportions_2indep(
            int(a.sum()), len(a), int(b.sum()), len(b), method="newcomb", compare="diff"
        )
        diffs.append(
            {
                "measure": "churn",
                "difference": float(a.mean() - b.mean()),
                "ci_low": float(low),
                "ci_high": float(high),
                "p_value": math.nan,
            }
        )
    return LoyaltyValue(groups, pd.DataFrame(diffs))


def _mean_ci(vals: pd.Series) -> tuple[float, float, float]:
    n = len(vals)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(vals.mean())
    if n < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.975, n - 1) * vals.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half


# -- drivers of journey satisfaction ----------------------------------------------------------

JOURNEY_TYPE_NAMES = (
    "journey_type",
    "case_type",
    "journey",
    "reason",
    "contact_reason",
    "category",
    "topic",
    "intent",
)


def journey_drivers(
    model: JourneyModel,
    by: str | None = None,
    min_journeys: int = 20,
    survey_window: str = "7d",
    repeat_window: str | float = "7d",
) -> pd.DataFrame:
    """Within each journey type, the touchpoints whose journeys are rated worst.

    For every (journey type, touchpoint): the mean journey CSAT of rated journeys that visit the
    touchpoint against those of the same type that do not, the difference with a Welch interval,
    and the numbers of journeys. Most negative first.

    Parameters
    ----------
    by
        The attribute that says a journey's type; by default one named like ``journey_type``,
        ``case_type`` or ``reason``, else all journeys form one type.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> drivers = wb.journey_drivers(wb.build_journeys(log))
    >>> bool(drivers.iloc[0]["difference"] < 0)
    True
    """

    log = model.log
    if by is None:
        by = next((a for a in log.attributes if normalise(a) in JOURNEY_TYPE_NAMES), None)
    repeat_s = parse_duration(repeat_window, "repeat window")
    key = (visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS), by)
    with model.using() as cur:

        def prepare() -> None:
            _prepare(model, cur, survey_window, repeat_window)
            if by is None:
                cur.execute(
                    "create or replace temp view journey_types as select journey_key, "
                    "'(all)' as journey_type from journeys"
                )
            else:
                cur.execute(
                    "create or replace temp table journey_types as select journey_key, "
                    "segment as journey_type from (" + journey_segments(model, by) + ")"
                )

        def count() -> list[pd.DataFrame]:
            prepare()
            return [db.run(cur, "satisfaction/journey_ratings")]

        (rated,) = model.cache.get_or_run("journey_ratings", key, count, cur=cur, keep=True)
    rows = []
    for jtype, part in rated.groupby("journey_type"):
        per_journey = part.drop_duplicates("journey_key").set_index("journey_key")["journey_csat"]
        for tp, with_tp in part.groupby("touchpoint"):
            inside = per_journey.loc[with_tp["journey_key"].unique()]
            outside = per_journey.drop(index=inside.index)
            if min(len(inside), len(outside)) < max(min_journeys, 2):
                continue  # Welch's test needs two ratings on each side
            res = stats.ttest_ind(inside, outside, equal_var=False)
            ci = res.confidence_interval()
            rows.append(
                {
                    "journey_type": jtype,
                    "touchpoint": tp,
                    "journeys_with": len(inside),
                    "journeys_without": len(outside),
                    "csat_with": float(inside.mean()),
                    "csat_without": float(outside.mean()),
                    "difference": float(inside.mean() - outside.mean()),
                    "ci_low": float(ci.low),
                    "ci_high": float(ci.high),
                    "p_value": float(res.pvalue),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "journey_type",
            "touchpoint",
            "journeys_with",
            "journeys_without",
            "csat_with",
            "csat_without",
            "difference",
            "ci_low",
            "ci_high",
            "p_value",
        ],
    )
    if not out.empty:
        out["q_value"] = adjust(out["p_value"])
    return out.sort_values(["difference", "journey_type", "touchpoint"], ignore_index=True)


# -- agents and teams ---------------------------------------------------------------------------


def team_view(
    model: JourneyModel,
    attribute: str = "team",
    min_n: int = 30,
    repeat_window: str | float = "7d",
    survey_window: str = "7d",
) -> pd.DataFrame:
    """Per team (or agent): contacts, resolution, first-contact resolution, repeat contacts and
    CSAT of their interactions, and the NPS of the customers they served -- with intervals, so
    feedback can go back to the people who owned the interactions.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> view = wb.team_view(wb.build_journeys(log))
    >>> bool(view.set_index("team").loc["Tech Support B", "resolution_rate"] < 60)
    True
    """

    log = model.log
    if attribute not in log.attributes:
        raise ValidationError(f"There is no event attribute '{attribute}'.", "Unknown attribute")
    table = kpis(
        model,
        by=attribute,
        min_n=min_n,
        repeat_window=repeat_window,
        survey_window=survey_window,
    ).table
    wide = table.pivot_table(index="group", columns="kpi", values="value", aggfunc="first")
    ns = table.pivot_table(index="group", columns="kpi", values="n", aggfunc="first")
    keep = [g for g in wide.index if not str(g).startswith("(")]
    out = pd.DataFrame({attribute: keep})
    for kpi in ("resolution_rate", "fcr", "repeat_contact_rate", "csat"):
        if kpi in wide:
            out[kpi] = wide.loc[keep, kpi].to_numpy()
            out[f"{kpi}_n"] = ns.loc[keep, kpi].to_numpy()
    repeat_s = parse_duration(repeat_window, "repeat window")
    key = (visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS), attribute)
    with model.using() as cur:

        def prepare() -> None:
            prepare_kpi_tables(model, cur, survey_window, repeat_s)
            q = quote_ident(attribute)
            cur.execute(
                f"create or replace temp view served as select c.customer_key, "
                f"cast(e.{q} as varchar) as grp from kpi_contacts c join events e "
                f"on c.row_no = e.row_no where e.{q} is not null"
            )

        def count() -> list[pd.DataFrame]:
            prepare()
            return [db.run(cur, "satisfaction/served_nps")]

        (served,) = model.cache.get_or_run("served_nps", key, count, cur=cur, keep=True)
    served = served.set_index("grp")
    nps = [
        nps_interval(
            int(served.loc[g, "promoters"]),
            int(served.loc[g, "detractors"]),
            int(served.loc[g, "nps_n"]),
        )
        if g in served.index
        else (math.nan, math.nan, math.nan)
        for g in keep
    ]
    out["nps_served"] = [v[0] for v in nps]
    out["nps_ci_low"] = [v[1] for v in nps]
    out["nps_ci_high"] = [v[2] for v in nps]
    out["nps_n"] = [int(served.loc[g, "nps_n"]) if g in served.index else 0 for g in keep]
    out["warning"] = np.where(
        out.get("resolution_rate_n", pd.Series(0, index=out.index)) < min_n,
        "too few contacts to trust",
        "",
    )
    first = ["resolution_rate"] if "resolution_rate" in out else []
    return out.sort_values([*first, attribute], ignore_index=True)
