"""Two-rate comparisons, computed for whole tables at once, agree with the scalar library calls."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from workbench.core.stats import adjust, compare


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[int], list[int], list[int], list[int]]:
    size = draw(st.integers(1, 12))
    n = draw(st.lists(st.integers(0, 400), min_size=size, max_size=size))
    n0 = draw(st.lists(st.integers(0, 4000), min_size=size, max_size=size))
    k = [draw(st.integers(0, x)) for x in n]
    k0 = [draw(st.integers(0, x)) for x in n0]
    return k, n, k0, n0


@settings(max_examples=60, deadline=None)
@given(tables())
def test_compare_matches_scipy_and_statsmodels(table: tuple[list[int], ...]) -> None:
    k, n, k0, n0 = table
    out = compare(pd.Series(k), pd.Series(n), pd.Series(k0), pd.Series(n0))
    for i, (a, na, b, nb) in enumerate(zip(k, n, k0, n0, strict=True)):
        row = out.iloc[i]
        if na == 0:
            assert math.isnan(row["rate"]) and row["p_value"] == 1.0
            continue
        low, high = proportion_confint(a, na, method="wilson")
        assert row["rate"] == pytest.approx(a / na)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
        if nb == 0:
            assert math.isnan(row["base_rate"]) and row["p_value"] == 1.0
            continue
        fisher = stats.fisher_exact([[a, na - a], [b, nb - b]], alternative="greater")
        assert row["p_value"] == pytest.approx(fisher.pvalue, rel=1e-9, abs=1e-12)
        dlow, dhigh = confint_proportions_2indep(a, na, b, nb, method="newcomb", compare="diff")
        assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((dlow, dhigh))
        if a > 0 and b > 0:
            rr = stats.contingency.relative_risk(a, na, b, nb)
            ci = rr.confidence_interval(confidence_level=0.95)
            assert row["lift"] == pytest.approx(rr.relative_risk)
            assert (row["lift_ci_low"], row["lift_ci_high"]) == pytest.approx((ci.low, ci.high))
        else:
            assert row["lift"] == (math.inf if a > 0 else 0.0)


def test_compare_keeps_the_index() -> None:
    idx = pd.Index([7, 3])
    out = compare(
        pd.Series([5, 0], index=idx),
        pd.Series([10, 10], index=idx),
        pd.Series([1, 1], index=idx),
        pd.Series([10, 10], index=idx),
    )
    assert list(out.index) == [7, 3]
    assert out.loc[7, "lift"] == pytest.approx(5.0) and out.loc[3, "lift"] == 0.0


def test_adjust_is_benjamini_hochberg_and_skips_missing() -> None:
    p = pd.Series([0.01, 0.04, float("nan"), 0.03])
    q = adjust(p)
    expected = stats.false_discovery_control([0.01, 0.04, 0.03])
    assert q.dropna().tolist() == pytest.approx(list(expected))
    assert math.isnan(q.iloc[2])
