"""What the friction ranking measures: its signals, their labels and weights, and the
columns of a ranking."""

from __future__ import annotations

SCORE_FORMULA = "score = weight × customers affected × (rate − base rate) ÷ rate"
#: How much each signal counts in the score. Every signal of a failure (waiting, transfer,
#: unresolved, repeat contact, loop, drop-off) counts fully; a switch from self-service to an
#: assisted channel records no failure and is often by design (a form that asks for a call),
#: so it counts a quarter. See docs/adr/0002-friction-score.md.
DEFAULT_WEIGHTS: dict[str, float] = {"channel_switch": 0.25}
MECHANISMS = (
    "dropoff",
    "loop",
    "long_wait",
    "transfer",
    "unresolved",
    "abandoned",
    "repeat_contact",
    "channel_switch",
)
VISIT_SIGNALS = (
    "long_wait",
    "transfer",
    "unresolved",
    "abandoned",
    "repeat_contact",
    "channel_switch",
)
OUTCOME_SIGNALS = ("no_goal", "low_csat", "detractor", "churned")
LABELS = {
    "dropoff": "drop-off",
    "loop": "loop",
    "long_wait": "long wait",
    "transfer": "transfer",
    "unresolved": "unresolved",
    "abandoned": "abandoned",
    "repeat_contact": "repeat contact",
    "channel_switch": "channel switch",
    "outcome:no_goal": "no goal reached",
    "outcome:low_csat": "low CSAT",
    "outcome:detractor": "NPS detractors",
    "outcome:churned": "churn",
}


#: The columns of :attr:`FrictionRanking.table`, also when no point is found.
RANKING_COLUMNS = (
    "rank", "kind", "point", "point_type", "touchpoint", "source", "target", "segment", "score",
    "customers_affected", "journeys_affected", "units", "affected", "rate", "base_rate", "lift",
    "ci_low", "ci_high", "lift_ci_low", "lift_ci_high", "q_value", "p_value", "difference",
    "diff_ci_low", "diff_ci_high", "signals", "cycle", "concentration", "active_from",
    "active_to", "csat_delta", "wait_median", "wait_p90", "explanation", "signal", "finding",
    "baseline",
)  # fmt: skip
