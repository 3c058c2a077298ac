"""Customer outcomes per team or agent, with intervals, to feed back to the people who owned
the interactions."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.analyses.kpis import kpis, nps_interval, prepare_kpi_tables
from workbench.analyses.outcomes import LONG_WAIT_SECONDS, visit_key
from workbench.core import db
from workbench.core.durations import parse_duration
from workbench.core.errors import ValidationError
from workbench.journeys.model import JourneyModel


def team_view(
    model: JourneyModel,
    attribute: str = "team",
    min_n: int = 30,
    repeat_window: str | float = "7d",
    survey_window: str = "7d",
    contacts: Sequence[str] | None = None,
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
        contacts=contacts,
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
    key = (
        visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS, contacts=contacts),
        attribute,
    )
    with model.using() as cur:

        def prepare() -> None:
            prepare_kpi_tables(model, cur, survey_window, repeat_s, contacts)
            db.create_view(
                cur, "duckdb/satisfaction/served", "served", temp=True, attribute=attribute
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
