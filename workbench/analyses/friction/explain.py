"""Each friction point in one plain sentence."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from workbench.analyses.friction.signals import RANKING_COLUMNS
from workbench.core.durations import format_duration
from workbench.core.records import rows
from workbench.core.stats import percent

# -- words ----------------------------------------------------------------------------------

_OUTCOME_PHRASE = {
    "no_goal": "without reaching a goal",
    "low_csat": "with a CSAT of 1 or 2",
    "detractor": "with an NPS detractor",
    "churned": "with a customer who churned",
}


def explain(
    table: pd.DataFrame, params: dict[str, Any], customers: str = "customers"
) -> pd.DataFrame:
    """Each point's sentence; ``customers`` is what its customer count counts (``"cases"``
    when the log's customers are its cases)."""
    if table.empty:
        return table
    table = table.copy()
    table["journeys_affected"] = np.where(
        table["signal"].isin(["dropoff", "loop"]) | table["signal"].str.startswith("outcome:"),
        table["affected"],
        np.nan,
    )
    table["csat_delta"] = table.get("csat_mean", np.nan) - table.get("csat_all", np.nan)
    table["explanation"] = [_sentence(r, params, customers) for r in rows(table)]
    # the ranking's columns; which finding and baseline is said when the ranking is made one
    keep = [c for c in RANKING_COLUMNS if c not in ("finding", "baseline")]
    return table.reindex(columns=keep)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _sentence(r: dict[str, Any], params: dict[str, Any], customers: str) -> str:
    sig, point = str(r["signal"]), str(r["point"])
    rate, base = percent(r["rate"]), percent(r["base_rate"])
    ci = f"(95 % CI {percent(r['ci_low'])}–{percent(r['ci_high'])})"
    who = f"{int(r['customers_affected']):,} {customers}"
    where = f" among {r['segment']}" if _given(r.get("segment")) else ""
    if sig == "dropoff":
        text = (
            f"{rate} {ci} of journeys that reach {point}{where} end there without reaching "
            f"a goal, against {base} at other touchpoints; {who}."
        )
    elif sig == "loop":
        cyc = r.get("cycle")
        loop = f" ({' → '.join(cyc)})" if isinstance(cyc, list) and len(cyc) > 2 else ""
        text = (
            f"{rate} {ci} of journeys that go {point}{where} go round it again{loop}, "
            f"against {base} for other moves; {who}."
        )
    elif sig == "long_wait":
        limit = format_duration(params["long_wait_seconds"])
        med = format_duration(r.get("wait_median"))
        p90 = format_duration(r.get("wait_p90"))
        text = (
            f"{rate} {ci} of contacts at {point}{where} wait longer than {limit} (median "
            f"{med}, p90 {p90}), against {base} at other touchpoints; {who}."
        )
    elif sig == "transfer":
        text = (
            f"{rate} {ci} of contacts at {point}{where} are transferred, against {base} "
            f"elsewhere; {who}."
        )
    elif sig == "unresolved":
        text = (
            f"{rate} {ci} of contacts at {point}{where} end unresolved, against {base} "
            f"elsewhere; {who}."
        )
    elif sig == "abandoned":
        text = (
            f"{rate} {ci} of contacts at {point}{where} are abandoned, against {base} "
            f"elsewhere; {who}."
        )
    elif sig == "repeat_contact":
        days = format_duration(params["repeat_window_seconds"])
        text = (
            f"{rate} {ci} of contacts at {point}{where} are followed by another contact in "
            f"less than {days}, against {base} elsewhere; {who}."
        )
    elif sig == "channel_switch":
        text = (
            f"{rate} {ci} of visits to {point}{where} are followed by a switch to an "
            f"assisted channel, against {base} at other self-service steps; {who}."
        )
    else:
        phrase = _OUTCOME_PHRASE.get(sig.split(":", 1)[-1], "badly")
        text = (
            f"{rate} {ci} of journeys through {point}{where} end {phrase}, against {base} "
            f"of journeys that do not pass it; {who}."
        )
    conc = r.get("concentration")
    if isinstance(conc, dict):
        text += (
            f" Most concentrated where {conc['attribute']} = {conc['value']}: "
            f"{percent(conc['rate'])} against {percent(conc['rest_rate'])}."
        )
    if _given(r.get("active_from")):
        end = r["active_to"] if _given(r.get("active_to")) else "the end of the data"
        text += f" Concentrated from {r['active_from']} to {end}."
    return text
