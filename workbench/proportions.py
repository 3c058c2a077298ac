"""Comparing two rates honestly: intervals, tests and multiple-comparison control.

Every effect the workbench reports is a comparison of two proportions -- a rate in a group
against the rate in the rest -- with its denominators, a 95 % interval and a p-value adjusted
across all comparisons made together (Benjamini-Hochberg). The statistics come from scipy and
statsmodels; this module only applies them to whole tables at once.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

CONFIDENCE = 0.95


def compare(k: pd.Series, n: pd.Series, k0: pd.Series, n0: pd.Series) -> pd.DataFrame:
    """Compare rate ``k/n`` with base rate ``k0/n0``, row by row.

    Returns columns ``rate``, ``ci_low``, ``ci_high`` (Wilson interval of the rate),
    ``base_rate``, ``lift`` with ``lift_ci_low``/``lift_ci_high`` (Katz interval of the rate
    ratio), ``difference`` with ``diff_ci_low``/``diff_ci_high`` (Newcombe interval of the rate
    difference) and ``p_value`` (one-sided Fisher exact test that the rate is higher).

    Examples
    --------
    >>> out = compare(pd.Series([30]), pd.Series([100]), pd.Series([10]), pd.Series([100]))
    >>> round(float(out.loc[0, "lift"]), 2), bool(out.loc[0, "p_value"] < 0.001)
    (3.0, True)
    """
    rows = []
    for a, na, b, nb in zip(k, n, k0, n0, strict=True):
        rows.append(_one(int(a), int(na), int(b), int(nb)))
    return pd.DataFrame(rows, index=k.index)


def _one(k: int, n: int, k0: int, n0: int) -> dict[str, float]:
    nan = math.nan
    out = {
        "rate": nan,
        "ci_low": nan,
        "ci_high": nan,
        "base_rate": nan,
        "lift": nan,
        "lift_ci_low": nan,
        "lift_ci_high": nan,
        "difference": nan,
        "diff_ci_low": nan,
        "diff_ci_high": nan,
        "p_value": 1.0,
    }
    if n <= 0:
        return out
    out["rate"] = k / n
    low, high = proportion_confint(k, n, alpha=1 - CONFIDENCE, method="wilson")
    out["ci_low"], out["ci_high"] = float(low), float(high)
    if n0 <= 0:
        return out
    out["base_rate"] = k0 / n0
    out["difference"] = out["rate"] - out["base_rate"]
    dlow, dhigh = confint_proportions_2indep(
        k, n, k0, n0, method="newcomb", compare="diff", alpha=1 - CONFIDENCE
    )
    out["diff_ci_low"], out["diff_ci_high"] = float(dlow), float(dhigh)
    if k0 > 0 and k > 0:
        rr = stats.contingency.relative_risk(k, n, k0, n0)
        ci = rr.confidence_interval(confidence_level=CONFIDENCE)
        out["lift"] = float(rr.relative_risk)
        out["lift_ci_low"], out["lift_ci_high"] = float(ci.low), float(ci.high)
    elif k > 0:
        out["lift"] = math.inf
    else:
        out["lift"] = 0.0
    table = [[k, n - k], [k0, n0 - k0]]
    out["p_value"] = float(stats.fisher_exact(table, alternative="greater").pvalue)
    return out


def adjust(p_values: pd.Series) -> pd.Series:
    """Benjamini-Hochberg adjusted p-values (q-values) for comparisons made together.

    A comparison without a p-value (NaN: no variation to test) gets no q-value and does not
    count among the comparisons.

    >>> adjust(pd.Series([0.01, float("nan"), 0.04])).round(3).tolist()
    [0.02, nan, 0.04]
    """
    p = p_values.astype(float)
    known = p.notna()
    q = pd.Series(np.nan, index=p.index)
    if known.any():
        q[known] = stats.false_discovery_control(np.clip(p[known].to_numpy(), 0, 1))
    return q


def percent(value: float, digits: int = 0) -> str:
    """``0.382`` -> ``"38 %"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.{digits}f} %"
