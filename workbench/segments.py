"""Segments: groups of journeys by an attribute value (device = android, segment = Youth).

A journey's value of an event attribute is the most common one among its steps; a customer
attribute is the customer's. Friction ranking, concentration and the segment-vs-rest journey
map all cut journeys this way, so their numbers reconcile.
"""

from __future__ import annotations

from workbench.db import quote_ident
from workbench.errors import ValidationError
from workbench.journeys import JourneyModel

MAX_SEGMENT_VALUES = 30


def segment_expression(model: JourneyModel, segment: str, per_step: bool = False) -> str:
    """SQL giving ``(journey_key, segment)`` for an event or customer attribute, or with
    ``per_step`` ``(journey_key, row_no, segment)``.

    A journey's value of an event attribute is the most common one among its steps (ties go to
    the first in sort order, so it never varies); a customer attribute is the customer's. Per
    step, a step takes its own value (the team that took this call) and otherwise its journey's.
    """
    log = model.log
    q = quote_ident(segment)
    if segment in log.attributes:
        value = f"cast(e.{q} as varchar)"
        journey = (
            "select journey_key, arg_max(v, strength) as segment from ("
            f"select s.journey_key, {value} as v, count(*) * 1000000 - row_number() over "
            f"(partition by s.journey_key order by {value}) as strength "
            "from steps s join events e on s.row_no = e.row_no "
            f"where e.{q} is not null group by s.journey_key, {value}) group by journey_key"
        )
        if not per_step:
            return journey
        return (
            f"select s.journey_key, s.row_no, coalesce({value}, j.segment) as segment "
            "from steps s join events e on s.row_no = e.row_no "
            f"left join ({journey}) j on s.journey_key = j.journey_key"
        )
    if log.customer_report and segment in log.customer_report.attribute_types:
        row = ", s.row_no" if per_step else ""
        source = "steps s" if per_step else "journeys s"
        return (
            f"select s.journey_key{row}, cast(c.{q} as varchar) as segment "
            f"from {source} left join customers c on s.customer_key = c.customer_key"
        )
    known = sorted(log.attributes) + sorted(
        log.customer_report.attribute_types if log.customer_report else []
    )
    raise ValidationError(
        f"There is no attribute '{segment}'. Attributes: {', '.join(known)}.", "Unknown attribute"
    )


def segment_attributes(model: JourneyModel) -> list[str]:
    """Categorical attributes (events, customers) with 2..30 values, ids left out."""
    log = model.log
    out = []
    cur = log.cursor()
    skip = {"event_id", "interaction_id", "survey_id"}
    for name, typ in log.attributes.items():
        if name in skip or typ not in ("VARCHAR", "BOOLEAN"):
            continue
        row = cur.execute(f"select count(distinct {quote_ident(name)}) from events").fetchone()
        if row and 2 <= row[0] <= MAX_SEGMENT_VALUES:
            out.append(name)
    if log.customer_report:
        for name, typ in log.customer_report.attribute_types.items():
            if typ not in ("VARCHAR", "BOOLEAN"):
                continue
            row = cur.execute(
                f"select count(distinct {quote_ident(name)}) from customers"
            ).fetchone()
            if row and 2 <= row[0] <= MAX_SEGMENT_VALUES:
                out.append(name)
    return out
