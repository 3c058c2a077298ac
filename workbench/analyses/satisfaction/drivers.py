"""Within each journey type, the touchpoints whose journeys are rated worst."""

from __future__ import annotations

import pandas as pd
from scipy import stats

from workbench.analyses.outcomes import LONG_WAIT_SECONDS, visit_key
from workbench.analyses.satisfaction.measures import prepare_measures
from workbench.core import db
from workbench.core.durations import parse_duration
from workbench.core.stats import adjust
from workbench.ingest.schema import normalise
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import segment_values

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
            prepare_measures(model, cur, survey_window, repeat_window)
            if by is None:
                db.create_view(
                    cur, "duckdb/satisfaction/one_journey_type", "journey_types", temp=True
                )
            else:
                segment_values(model, cur, by)
                db.materialize(cur, "duckdb/satisfaction/journey_types", "journey_types", temp=True)

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
