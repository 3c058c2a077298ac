"""Personas: named groups of customers defined by attribute conditions, analysed side by side.

A persona such as *"New mobile: device = android, tenure_months < 3"* holds the customers who
meet every condition. A condition on a customer attribute (from the customer list) tests the
customer's value; a condition on an event attribute holds when any of the customer's events
meets it ("device = android": the customer used Android). ``<``, ``<=``, ``>``, ``>=`` compare
numbers; ``=``, ``!=`` compare text; ``in`` takes a comma-separated list.

:func:`persona_log` gives the persona's own :class:`~workbench.EventLog` (its customers'
events, survey answers and customer rows, loaded through the same pipeline), so the journey
map, friction ranking, causes and KPIs all work on it unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.ingest.load import EventLog
from workbench.store.datasets import load_events

OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in")
_NUMERIC = ("<", "<=", ">", ">=")


@dataclass(frozen=True)
class Condition:
    """``attribute op value``, e.g. ``Condition("tenure_months", "<", "3")``."""

    attribute: str
    op: str
    value: str

    def describe(self) -> str:
        return f"{self.attribute} {self.op} {self.value}"


@dataclass(frozen=True)
class Persona:
    """A named set of conditions, all of which a customer must meet."""

    name: str
    conditions: tuple[Condition, ...] = ()

    def describe(self) -> str:
        rule = ", ".join(c.describe() for c in self.conditions) or "every customer"
        return f"{self.name}: {rule}"


def parse_persona(text: str) -> Persona:
    """Read ``"Name: attribute op value, attribute op value"``.

    Examples
    --------
    >>> parse_persona("New mobile: device = android, tenure_months < 3").conditions[1]
    Condition(attribute='tenure_months', op='<', value='3')
    """
    name, sep, rule = text.partition(":")
    if not sep:
        name, rule = text, ""
    conditions = []
    for part in [p.strip() for p in re.split(r",(?![^\[]*\])", rule) if p.strip()]:
        found = re.fullmatch(r"(.+?)\s*(!=|<=|>=|=|<|>|\bin\b)\s*(.+)", part)
        if not found:
            raise ValidationError(
                f"'{part}' is not a condition. Write attribute, operator and value, e.g. "
                f"'tenure_months < 3' or 'device in [android, ios]'; operators: "
                f"{', '.join(OPERATORS)}.",
                "Bad persona",
            )
        attribute, op, value = (g.strip() for g in found.groups())
        conditions.append(Condition(attribute, op, value.strip("[]").strip()))
    return Persona(name.strip() or "Persona", tuple(conditions))


def _condition_params(cond: Condition) -> dict[str, Any]:
    """The values ``persona_condition`` binds for ``cond``."""
    if cond.op not in OPERATORS:
        raise ValidationError(
            f"'{cond.op}' is not an operator; use one of {', '.join(OPERATORS)}.", "Bad persona"
        )
    number = None
    if cond.op in _NUMERIC:
        try:
            number = float(cond.value)
        except ValueError as exc:
            raise ValidationError(
                f"'{cond.describe()}' compares with '{cond.value}', which is not a number.",
                "Bad persona",
            ) from exc
    texts = (
        [v.strip() for v in cond.value.split(",") if v.strip()] if cond.op == "in" else [cond.value]
    )
    return {"op": cond.op, "number": number, "texts": texts or [""]}


def _members(log: EventLog, persona: Persona) -> duckdb.DuckDBPyConnection:
    """A cursor on ``log`` with the temp table ``persona_members``: the ``customer_key`` of
    every customer in ``persona`` (every condition met)."""
    customer_attrs = log.customer_report.attribute_types if log.customer_report else {}
    cur = log.cursor()
    if not persona.conditions:
        db.materialize(cur, "duckdb/analyses/persona_everyone", "persona_members", temp=True)
    for i, cond in enumerate(persona.conditions):
        if cond.attribute in customer_attrs:
            relation = "customers"
        elif cond.attribute in log.attributes or cond.attribute in ("channel", "touchpoint"):
            relation = "events"
        else:
            known = sorted(log.attributes) + sorted(customer_attrs)
            raise ValidationError(
                f"There is no attribute '{cond.attribute}'. Attributes: {', '.join(known)}.",
                "Unknown attribute",
            )
        db.materialize(
            cur,
            "duckdb/analyses/persona_condition",
            "persona_members" if i == 0 else "persona_condition",
            temp=True,
            relation=relation,
            column=cond.attribute,
            **_condition_params(cond),
        )
        if i:
            db.execute(cur, "duckdb/analyses/persona_narrow")
    return cur


def persona_size(log: EventLog, persona: Persona) -> int:
    """How many customers (with events) the persona holds."""
    row = db.execute(_members(log, persona), "duckdb/analyses/persona_size").fetchone()
    return int(row[0]) if row else 0


def persona_log(log: EventLog, persona: Persona) -> EventLog:
    """The persona's own event log: its customers' events, survey answers and customer rows.

    Raises
    ------
    ValidationError
        A condition names an unknown attribute or compares text with ``<``; or no customer
        meets the conditions.

    Examples
    --------
    >>> import workbench as wb
    >>> log = wb.load_events("sample_data/events.csv", customers="sample_data/customers.csv")
    >>> young = persona_log(log, parse_persona("Young: segment = Youth"))
    >>> 0 < young.n_events < log.n_events
    True
    """
    cur = _members(log, persona)
    row = db.execute(cur, "duckdb/analyses/persona_size").fetchone()
    db.settle(cur)  # the count's result is done with before the relation API reads events
    if not row or not row[0]:
        raise ValidationError(
            f"No customer meets {persona.describe()}. Loosen a condition.", "Empty persona"
        )
    m = log.report.mapping
    attrs = list(log.attributes)
    # (a relation, not a DB-API result: Arrow from it needs no extra copy of the rows)
    sql, values = db.prepare("duckdb/analyses/persona_events", time_and_attributes=["ts", *attrs])
    events: Any = cur.sql(sql, params=values).to_arrow_table()
    # columns($list) gives the columns in the table's order: put them in the loader's
    events = events.select(["customer_id", "journey_id", "touchpoint", "channel", "ts", *attrs])
    mapping: dict[str, str | None] = {
        "customer": "customer_id",
        "journey": "journey_id" if m.journey else None,
        "touchpoint": "touchpoint",
        "channel": "channel" if m.channel else None,
        "time": "ts",
    }
    surveys = customers = None
    survey_mapping = customer_mapping = None
    if log.survey_report is not None:
        surveys = db.run_arrow(cur, "duckdb/analyses/persona_surveys")
        survey_mapping = {
            "customer": "customer_id",
            "journey": "journey_id",
            "interaction": "interaction_id",
            "touchpoint": "touchpoint",
            "kind": "kind",
            "score": "score",
            "time": "ts",
            "comment": "comment",
        }
    if log.customer_report is not None:
        customers = db.run_arrow(cur, "duckdb/analyses/persona_customer_rows")
        customer_mapping = {"customer": "customer_id"}
    return load_events(
        events,
        mapping,
        name=f"{persona.name} ({log.report.source})",
        surveys=surveys,
        survey_mapping=survey_mapping,
        customers=customers,
        customer_mapping=customer_mapping,
    )


def compare_kpis(tables: Sequence[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """KPI tables of several personas side by side: one row per KPI, per persona its value,
    interval and n (from :func:`workbench.analyses.kpis` ``.table``)."""
    out: pd.DataFrame | None = None
    for name, table in tables:
        part = table[table["group"] == "all"][["kpi", "label", "value", "ci_low", "ci_high", "n"]]
        part = part.rename(
            columns={
                "value": f"{name}",
                "ci_low": f"{name} low",
                "ci_high": f"{name} high",
                "n": f"{name} n",
            }
        )
        out = part if out is None else out.merge(part, on=["kpi", "label"], how="left")
    return out.reset_index(drop=True) if out is not None else pd.DataFrame()
