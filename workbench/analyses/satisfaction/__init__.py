"""Satisfaction, loyalty and value.

Journey versus touchpoint: which level of experience goes with loyalty and value -- measured
on the team's own data, with honest uncertainty, never assumed.

:func:`compare_levels` puts, per customer, the *journey-level* measures (contacts, duration,
channel switches, loops, repeat contacts, waiting, reaching the goal, journey CSAT where asked)
against the *touchpoint-level* ones (the CSAT and CES of single interactions: mean, last,
worst), and asks how well each set predicts an outcome (NPS, detractor, churn, revenue) **out of
sample**: 5-fold cross-validated R² (or AUC for a yes/no outcome) of a regularised linear model
on each set, with a paired bootstrap interval for each and for their difference. The verdict is
``journey`` or ``touchpoint`` when the interval of the difference excludes zero, else
``undecided``. Each single measure's Spearman correlation with the outcome comes with a bootstrap
interval too. This is association, not causation.

Also here: the link from loyalty to value (:func:`loyalty_value`), the touchpoints that drag
journey satisfaction down within each journey type (:func:`journey_drivers`), and customer
outcomes per team or agent (:func:`team_view`).
"""

from workbench.analyses.satisfaction.drivers import JOURNEY_TYPE_NAMES, journey_drivers
from workbench.analyses.satisfaction.levels import (
    BOOTSTRAP_MAX_N,
    OUTCOME_COLUMNS,
    OUTCOME_LABELS,
    LevelComparison,
    compare_levels,
)
from workbench.analyses.satisfaction.loyalty import LoyaltyValue, loyalty_value
from workbench.analyses.satisfaction.measures import CAVEAT, customer_measures
from workbench.analyses.satisfaction.teams import team_view

__all__ = [
    "BOOTSTRAP_MAX_N",
    "CAVEAT",
    "JOURNEY_TYPE_NAMES",
    "OUTCOME_COLUMNS",
    "OUTCOME_LABELS",
    "LevelComparison",
    "LoyaltyValue",
    "compare_levels",
    "customer_measures",
    "journey_drivers",
    "loyalty_value",
    "team_view",
]
