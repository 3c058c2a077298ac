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
    ka, na = k.to_numpy(dtype=float), n.to_numpy(dtype=float)
    kb, nb = k0.to_numpy(dtype=float), n0.to_numpy(dtype=float)
    has, has0 = na > 0, (na > 0) & (nb > 0)
    out = pd.DataFrame(index=k.index, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(has, ka / na, np.nan)
        base = np.where(has0, kb / nb, np.nan)
        out["rate"] = rate
        low, high = proportion_confint(
            ka, np.where(has, na, 1), alpha=1 - CONFIDENCE, method="wilson"
        )
        out["ci_low"], out["ci_high"] = np.where(has, low, np.nan), np.where(has, high, np.nan)
        out["base_rate"] = base
        # Katz interval of the rate ratio: the one scipy.stats.contingency.relative_risk gives
        both = has0 & (ka > 0) & (kb > 0)
        lift = np.where(both, rate / base, np.where(has0 & (ka > 0), np.inf, 0.0))
        out["lift"] = np.where(has0, lift, np.nan)
        z = stats.norm.ppf(0.5 + CONFIDENCE / 2)
        se = np.sqrt(1 / ka - 1 / na + 1 / kb - 1 / nb)
        out["lift_ci_low"] = np.where(both, lift * np.exp(-z * se), np.nan)
        out["lift_ci_high"] = np.where(both, lift * np.exp(z * se), np.nan)
        out["difference"] = rate - base
        dlow, dhigh = confint_proportions_2indep(
            ka,
            np.where(has0, na, 1),
            kb,
            np.where(has0, nb, 1),
            method="newcomb",
            compare="diff",
            alpha=1 - CONFIDENCE,
        )
        out["diff_ci_low"] = np.where(has0, dlow, np.nan)
        out["diff_ci_high"] = np.where(has0, dhigh, np.nan)
        # one-sided Fisher exact test (rate higher than base): the upper tail of the
        # hypergeometric distribution of k given the margins, as scipy.stats.fisher_exact
        p = stats.hypergeom.sf(ka - 1, na + nb, ka + kb, na)
    out["p_value"] = np.where(has0, np.clip(p, 0.0, 1.0), 1.0)
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
