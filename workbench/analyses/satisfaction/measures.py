"""Per customer, the journey-level and touchpoint-level measures and the outcomes they are
compared with: what every satisfaction analysis reads."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from workbench.analyses.kpis import prepare_responses
from workbench.analyses.outcomes import LONG_WAIT_SECONDS, prepare_visits, visit_key
from workbench.core import db
from workbench.core.durations import parse_duration
from workbench.journeys.model import JourneyModel

#: Said under every satisfaction result: what the figures can and cannot tell.
CAVEAT = (
    "Association, not causation: customers who had harder journeys may differ in other ways too."
)


def customer_measures(
    model: JourneyModel,
    survey_window: str = "7d",
    repeat_window: str | float = "7d",
    contacts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per customer: journey-level and touchpoint-level measures and the outcomes.
    ``contacts`` names the channels that count as contacts (``None``: guessed; see
    :func:`workbench.analyses.contacts.classify_contacts`).

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", surveys="sample_data/surveys.csv")
    >>> m = customer_measures(wb.build_journeys(log))
    >>> {"contacts_per_journey", "csat_mean", "nps"} <= set(m.columns)
    True
    """
    repeat_s = parse_duration(repeat_window, "repeat window")
    key = visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS, contacts=contacts)
    # read by several analyses (levels, loyalty): counted once per model and parameters, and
    # beside a model kept in its dataset, once for every later session too
    with model.using() as cur:

        def count() -> list[pd.DataFrame]:
            prepare_measures(model, cur, survey_window, repeat_window, contacts)
            return [db.run(cur, "satisfaction/customer_measures")]

        (measures,) = model.cache.get_or_run(
            "customer_measures", key, count, cur=cur, keep=True, slots=2
        )
    return measures


def prepare_measures(
    model: JourneyModel,
    cur: duckdb.DuckDBPyConnection,
    survey_window: str,
    repeat_window: str | float,
    contacts: Sequence[str] | None = None,
) -> None:
    repeat_s = parse_duration(repeat_window, "repeat window")
    roles = prepare_visits(
        model, cur, None, survey_window, repeat_s, LONG_WAIT_SECONDS, contacts=contacts
    ).roles
    visits = visit_key(None, survey_window, repeat_s, LONG_WAIT_SECONDS, contacts=contacts)
    prepare_responses(model, cur, visits)
    log = model.log
    if log.has_customers:
        db.create_view(
            cur,
            "duckdb/satisfaction/customer_values",
            "customer_values",
            temp=True,
            churned=roles.churned or "customer_key",
            revenue=roles.revenue or "customer_key",
            has_churned=roles.churned is not None,
            has_revenue=roles.revenue is not None,
        )
    else:
        db.create_view(cur, "duckdb/satisfaction/no_customer_values", "customer_values", temp=True)
