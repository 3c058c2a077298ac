"""From loyalty to value: promoters against detractors in revenue, churn and contacts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from workbench.analyses.satisfaction.measures import CAVEAT, customer_measures
from workbench.core.errors import NotEnoughData
from workbench.journeys.model import JourneyModel


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


def loyalty_value(
    model: JourneyModel, survey_window: str = "7d", contacts: Sequence[str] | None = None
) -> LoyaltyValue:
    """Revenue, churn and contacts of promoters, passives and detractors, with intervals
    (``contacts``: the channels that count as contacts, ``None`` guessed).

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv",
    ...                      customers="sample_data/customers.csv")
    >>> lv = wb.loyalty_value(wb.build_journeys(log))
    >>> list(lv.groups["group"])
    ['promoter', 'passive', 'detractor']
    """
    data = customer_measures(model, survey_window, contacts=contacts)
    data = data[data["nps"].notna()].copy()
    if data.empty:
        raise NotEnoughData("No customer has an NPS answer; load surveys with NPS.", "No NPS")
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
