"""When a friction point was active: the period its weekly rate departs from the rest."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pandas as pd
import ruptures

from workbench.analyses.friction.signals import VISIT_SIGNALS
from workbench.core.records import rows
from workbench.core.stats import compare
from workbench.store.cache import Cache

# -- time ---------------------------------------------------------------------------------------


def active_periods(
    table: pd.DataFrame,
    weekly_tp: pd.DataFrame,
    weekly_tr: pd.DataFrame,
    cache: Cache,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weekly series of each point's headline signal, and the period it is concentrated in.

    The model's ``cache`` holds the period of each weekly series already seen (re-weighting a
    ranking asks for the same ones again)."""
    if table.empty:
        return table, pd.DataFrame(columns=["point_id", "week", "units", "affected", "rate"])
    series: list[pd.DataFrame] = []
    starts: list[str | None] = []
    ends: list[str | None] = []
    for row in rows(table):
        sig = str(row["signal"])
        if row["point_type"] == "touchpoint" and sig in ("dropoff", *VISIT_SIGNALS):
            w = weekly_tp[weekly_tp["touchpoint"] == row["touchpoint"]]
            n, k = w[f"{sig}_n"], w[f"{sig}_k"]
        elif row["point_type"] == "transition" and sig == "loop":
            w = weekly_tr[
                (weekly_tr["source"] == row["source"]) & (weekly_tr["target"] == row["target"])
            ]
            n, k = w["loop_n"], w["loop_k"]
        else:
            starts.append(None)
            ends.append(None)
            continue
        s = pd.DataFrame(
            {
                "point_id": row["rank"],
                "week": w["week"].to_numpy(),
                "units": n.to_numpy(),
                "affected": k.to_numpy(),
            }
        )
        s["rate"] = np.where(s["units"] > 0, s["affected"] / s["units"].clip(lower=1), np.nan)
        series.append(s)
        seen = b"|".join(s[c].to_numpy().tobytes() for c in ("week", "units", "affected"))
        weeks, units, affected = s["week"], s["units"], s["affected"]
        a, b = cache.get_or_run(
            "active_period",
            seen,
            functools.partial(active_period, weeks, units, affected),
            slots=10_000,
        )
        starts.append(a)
        ends.append(b)
    table = table.copy()
    table["active_from"] = starts
    table["active_to"] = ends
    weekly = (
        pd.concat(series, ignore_index=True)
        if series
        else pd.DataFrame(columns=["point_id", "week", "units", "affected", "rate"])
    )
    return table, weekly


def active_period(
    weeks: pd.Series,
    units: pd.Series,
    affected: pd.Series,
    min_lift: float = 1.5,
    max_p: float = 0.001,
) -> tuple[str | None, str | None]:
    """The period a weekly rate is concentrated in, from change points (ruptures' binary
    segmentation on the weekly rates), if the rate inside is at least ``min_lift`` times the
    rate outside and a Fisher test says so (p < ``max_p``). Returns ISO dates (first day,
    last day), ``(None, None)`` when the rate is steady; an open end means still active.

    Examples
    --------
    >>> weeks = pd.Series(pd.date_range("2026-03-02", periods=20, freq="7D"))
    >>> units = pd.Series([100] * 20)
    >>> affected = pd.Series([5] * 8 + [50] * 6 + [5] * 6)
    >>> active_period(weeks, units, affected)
    ('2026-04-27', '2026-06-07')
    """

    ok = units.to_numpy() > 0
    if ok.sum() < 8:
        return None, None
    wk = pd.to_datetime(weeks.to_numpy()[ok])
    n = units.to_numpy()[ok].astype(float)
    k = affected.to_numpy()[ok].astype(float)
    rate = k / n
    if np.allclose(rate, rate[0]):
        return None, None
    best: tuple[float, int, int] | None = None
    for bkps in (1, 2):
        try:
            cuts = ruptures.Binseg(model="l2", min_size=2, jump=1).fit(rate).predict(n_bkps=bkps)
        except ruptures.exceptions.BadSegmentationParameters:
            continue
        bounds = [0, *cuts]
        for a, b in itertools.pairwise(bounds):
            if a == 0 and b == len(rate):
                continue
            inside_k, inside_n = k[a:b].sum(), n[a:b].sum()
            out_k, out_n = k.sum() - inside_k, n.sum() - inside_n
            if inside_n == 0 or out_n == 0 or (out_k == 0 and inside_k == 0):
                continue
            r_in, r_out = inside_k / inside_n, out_k / out_n
            if r_in < min_lift * max(r_out, 1e-9):
                continue
            p = compare(
                pd.Series([int(inside_k)]),
                pd.Series([int(inside_n)]),
                pd.Series([int(out_k)]),
                pd.Series([int(out_n)]),
            )["p_value"].iloc[0]
            if p >= max_p:
                continue
            lift = r_in / max(r_out, 1e-9)
            if best is None or lift > best[0]:
                best = (lift, a, b)
    if best is None:
        return None, None
    _, a, b = best
    start = wk[a].date().isoformat()
    end = None if b == len(rate) else (wk[b - 1] + pd.Timedelta(days=6)).date().isoformat()
    return start, end
