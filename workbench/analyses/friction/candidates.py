"""Friction candidates and their tests: each signal at each point against its base rate,
with intervals, Fisher tests and false-discovery control, and a headline per point."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from workbench.analyses.friction.signals import MECHANISMS, VISIT_SIGNALS
from workbench.core.records import rows
from workbench.core.stats import adjust, compare


def gather_candidates(
    tp: pd.DataFrame,
    tpo: pd.DataFrame,
    totals: pd.DataFrame,
    tr: pd.DataFrame,
    outcomes: Sequence[str],
) -> pd.DataFrame:
    """One row per (point, signal) with n, k, customers and the base counts."""
    rows: list[pd.DataFrame] = []
    # dropping off is counted over the journeys through each touchpoint
    passes = tpo[["segment", "touchpoint", "journeys"]].rename(columns={"journeys": "dropoff_n"})
    tp = tp.merge(passes, on=["segment", "touchpoint"], how="left", validate="one_to_one")
    base = tp.groupby("segment")
    for sig in ("dropoff", *VISIT_SIGNALS):
        n, k, c = f"{sig}_n", f"{sig}_k", f"{sig}_customers"
        part = tp[["segment", "touchpoint", n, k, c]].rename(
            columns={n: "units", k: "affected", c: "customers_affected"}
        )
        part["base_k"] = base[k].transform("sum").to_numpy() - part["affected"]
        part["base_n"] = base[n].transform("sum").to_numpy() - part["units"]
        part["signal"] = sig
        if sig == "long_wait":
            qs = [
                list(q) if isinstance(q, (list, np.ndarray)) else [math.nan, math.nan]
                for q in tp["wait_quantiles"]
            ]
            part["wait_median"] = [q[0] for q in qs]
            part["wait_p90"] = [q[1] for q in qs]
        rows.append(part)
    tot = totals.set_index("segment")
    merged = tpo.merge(tot, left_on="segment", right_index=True, suffixes=("", "_all"))
    for out in outcomes:
        n, k, c = f"{out}_n", f"{out}_k", f"{out}_customers"
        part = merged[["segment", "touchpoint", n, k, c]].rename(
            columns={n: "units", k: "affected", c: "customers_affected"}
        )
        part["base_k"] = merged[f"{k}_all"] - merged[k]
        part["base_n"] = merged[f"{n}_all"] - merged[n]
        part["signal"] = f"outcome:{out}"
        part["csat_mean"] = merged["csat_mean"]
        part["csat_all"] = merged["csat_mean_all"]
        rows.append(part)
    touch = pd.concat(rows, ignore_index=True).assign(
        point_type="touchpoint", source=None, target=None
    )
    trows: list[pd.DataFrame] = []
    tbase = tr.groupby("segment")
    part = tr[["segment", "source", "target", "loop_n", "loop_k", "loop_customers"]].rename(
        columns={"loop_n": "units", "loop_k": "affected", "loop_customers": "customers_affected"}
    )
    part["base_k"] = tbase["loop_k"].transform("sum").to_numpy() - part["affected"]
    part["base_n"] = tbase["loop_n"].transform("sum").to_numpy() - part["units"]
    part["signal"] = "loop"
    trows.append(part)
    tmerged = tr.merge(tot, left_on="segment", right_index=True, suffixes=("", "_all"))
    for out in outcomes:
        n, k, c = f"{out}_n", f"{out}_k", f"{out}_customers"
        part = tmerged[["segment", "source", "target", n, k, c]].rename(
            columns={n: "units", k: "affected", c: "customers_affected"}
        )
        part["base_k"] = tmerged[f"{k}_all"] - tmerged[k]
        part["base_n"] = tmerged[f"{n}_all"] - tmerged[n]
        part["signal"] = f"outcome:{out}"
        trows.append(part)
    trans = pd.concat(trows, ignore_index=True).assign(point_type="transition", touchpoint=None)
    out_df = pd.concat([touch, trans], ignore_index=True)
    out_df = out_df[out_df["units"] > 0].reset_index(drop=True)
    for col in ("units", "affected", "customers_affected", "base_k", "base_n"):
        out_df[col] = out_df[col].fillna(0).astype("int64")
    return out_df


def judge(
    c: pd.DataFrame, min_units: int, min_affected: int, alpha: float, weights: dict[str, float]
) -> pd.DataFrame:
    stats = compare(c["affected"], c["units"], c["base_k"], c["base_n"])
    c = pd.concat([c, stats], axis=1)
    c["supported"] = (c["units"] >= min_units) & (c["affected"] >= min_affected)
    c["q_value"] = 1.0
    tested = c["supported"] & (c["base_n"] > 0)
    c.loc[tested, "q_value"] = adjust(c.loc[tested, "p_value"])
    c["significant"] = tested & (c["q_value"] < alpha) & (c["rate"] > c["base_rate"])
    excess = 1 - c["base_rate"] / c["rate"]
    weight = c["signal"].map(weights).fillna(1.0)
    c["score"] = np.where(
        c["significant"], np.round(weight * c["customers_affected"] * excess.clip(lower=0)), 0.0
    )
    c["is_mechanism"] = c["signal"].isin(MECHANISMS)
    return c


def as_objects(frame: pd.DataFrame, values: list[Any]) -> pd.Series:
    """A column of Python objects (lists, dicts) aligned with ``frame``."""
    return pd.Series(values, index=frame.index, dtype="object")


def _point_name(row: pd.Series) -> str:
    if row["point_type"] == "touchpoint":
        return str(row["touchpoint"])
    return f"{row['source']} → {row['target']}"


def headline_points(c: pd.DataFrame, loops: pd.DataFrame) -> pd.DataFrame:
    """One row per friction point with its headline signal; loops of one cycle become one."""
    sig = c[c["significant"]].copy()
    if sig.empty:
        return pd.DataFrame()
    sig["point"] = sig.apply(_point_name, axis=1)
    sig["rank_key"] = sig["score"] + np.where(sig["is_mechanism"], 1e9, 0)
    # ties broken by name, signal and segment: DuckDB returns groups in no fixed order
    sig = sig.sort_values(
        ["rank_key", "point", "signal", "segment"],
        ascending=[False, True, True, True],
        kind="stable",
    )
    heads = sig[sig["is_mechanism"]].groupby(["segment", "point"], sort=False).head(1).copy()
    if heads.empty:
        return pd.DataFrame()
    summary: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rec in rows(sig):
        summary.setdefault((rec["segment"], rec["point"]), []).append(
            {
                "signal": rec["signal"],
                "rate": rec["rate"],
                "base_rate": rec["base_rate"],
                "lift": rec["lift"],
                "q_value": rec["q_value"],
                "customers_affected": int(rec["customers_affected"]),
                "score": float(rec["score"]),
            }
        )
    heads["signals"] = as_objects(
        heads, [summary[(s, p)] for s, p in zip(heads["segment"], heads["point"], strict=True)]
    )
    heads = _merge_loops(heads, loops)
    heads = heads.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    heads["kind"] = heads["signal"]
    heads["segment"] = heads["segment"].where(heads["segment"] != "all", None)
    heads["rank"] = np.arange(1, len(heads) + 1)
    return heads


def _merge_loops(heads: pd.DataFrame, loops: pd.DataFrame) -> pd.DataFrame:
    """Loop transitions that share most of their journeys are one loop: keep the strongest and
    list the cycle it belongs to. ``loops`` counts the journeys each pair of transitions loops
    in together (``friction/loop_overlaps``)."""
    is_loop = (heads["signal"] == "loop") & (heads["segment"] == "all")
    if is_loop.sum() < 2 or loops.empty:
        heads["cycle"] = None
        return heads
    shared = {
        ((str(a), str(b)), (str(c), str(d))): int(n)
        for a, b, c, d, n in loops[
            ["source", "target", "other_source", "other_target", "journeys"]
        ].itertuples(index=False)
    }
    loop_rows = [
        (int(i), rec) for i, rec in zip(heads.index[is_loop], rows(heads[is_loop]), strict=True)
    ]
    keep: list[int] = []
    cycles: dict[int, list[str]] = {}
    taken: set[int] = set()
    for i, row in loop_rows:
        if i in taken:
            continue
        edge = (str(row["source"]), str(row["target"]))
        mine = shared.get((edge, edge), 0)
        members = [edge]
        for j, other in loop_rows:
            if j == i or j in taken:
                continue
            theirs_edge = (str(other["source"]), str(other["target"]))
            theirs = shared.get((theirs_edge, theirs_edge), 0)
            both = shared.get((edge, theirs_edge), 0)
            if mine and theirs and both >= 0.6 * min(mine, theirs):
                taken.add(j)
                members.append(theirs_edge)
        keep.append(i)
        cycles[i] = _order_cycle(members)
    out = heads[~is_loop | heads.index.isin(keep)].copy()
    out["cycle"] = as_objects(out, [cycles.get(int(i)) for i in out.index])
    return out


def _order_cycle(edges: list[tuple[str, str]]) -> list[str]:
    """The longest cycle through the first (strongest) edge, as a closed list of touchpoints."""
    g: nx.DiGraph = nx.DiGraph(edges)
    first = edges[0]
    cycles = [c for c in nx.simple_cycles(g) if first[0] in c and first[1] in c]
    if not cycles:
        return [first[0], first[1]]
    cycle = max(cycles, key=len)
    i = cycle.index(first[0])
    cycle = cycle[i:] + cycle[:i]
    return [*cycle, cycle[0]]
