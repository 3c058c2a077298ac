"""Friction points, ranked: where customers drop off, loop, wait, repeat contacts, switch channel
or get transferred -- and how many customers it costs.

Each *friction point* is a touchpoint or a transition between two touchpoints. For each one the
workbench measures every signal the log allows, each against its base rate elsewhere:

============== ========== ==================================================================
signal         counted in what it is
============== ========== ==================================================================
dropoff        journeys   the journey ends here without reaching a goal
loop           journeys   the journey makes this transition twice or more (goes round again)
long_wait      contacts   the wait before the contact is longer than the long-wait threshold
transfer       contacts   the contact is transferred or escalated
unresolved     contacts   the contact is marked not resolved
abandoned      contacts   the contact is abandoned
repeat_contact contacts   another contact follows within the repeat window (default 7 days)
channel_switch visits     a self-service step is followed by an assisted one (e.g. app -> phone)
outcome:…      journeys   journeys through the point end badly more often (no goal, low CSAT,
                          NPS detractor, churn) than journeys that do not pass it
============== ========== ==================================================================

Every comparison carries its denominators, a Wilson interval for the rate, the base rate, the
lift with its interval, a one-sided Fisher test and Benjamini-Hochberg control across *all*
comparisons made; a signal counts only above the support floors (enough units and enough
affected ones) and below the false-discovery level.

**Score** (what the ranking sorts by) = weight x customers affected x (rate - base rate) /
rate: the number of customers who meet the friction *beyond* what is normal elsewhere, weighted
by signal (every weight is 1 except channel switches, 0.25: a switch records no failure and is
often by design; change them with ``weights=``). A point's headline is its highest-scoring
significant signal. Outcome
associations (no goal, low CSAT, detractors, churn among the journeys through a point) are
reported as the point's cost, not as frictions of their own: a point only ranks for what
happens at it.

The package holds one concern per module: what is measured (:mod:`.signals`), counting it
(:mod:`.counts`), testing candidates (:mod:`.candidates`), what changed against a point's
own history and its other segments (:mod:`.changes`, :mod:`.reaches`, :mod:`.findings`),
where a point is concentrated (:mod:`.concentration`), when it was active (:mod:`.periods`),
saying it in words (:mod:`.explain`), and the ranking that ties them together (:mod:`.rank`).
"""

from workbench.analyses.friction.periods import active_period
from workbench.analyses.friction.rank import FRICTION_STAGES, FrictionRanking, rank_friction
from workbench.analyses.friction.signals import (
    DEFAULT_WEIGHTS,
    LABELS,
    MECHANISMS,
    OUTCOME_SIGNALS,
    RANKING_COLUMNS,
    SCORE_FORMULA,
    VISIT_SIGNALS,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "FRICTION_STAGES",
    "LABELS",
    "MECHANISMS",
    "OUTCOME_SIGNALS",
    "RANKING_COLUMNS",
    "SCORE_FORMULA",
    "VISIT_SIGNALS",
    "FrictionRanking",
    "active_period",
    "rank_friction",
]
