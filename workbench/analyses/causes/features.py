"""The attributes offered as candidate causes of an effect, read from the steps, the events, the
units' times and the customer list."""

from __future__ import annotations

import itertools
import math

import duckdb
import pandas as pd

from workbench.analyses.causes.counts import (
    Feature,
    concat,
    count_sets,
    count_values,
)
from workbench.core import db
from workbench.core.db import quote_ident, quote_literal
from workbench.journeys.model import JourneyModel

_MAX_VALUES = 50
#: A touchpoint or channel that this share of the affected journeys pass is part of the
#: effect's path, not a cause of it, and is left out.
PATH_SHARE = 0.95


def feature_counts(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    unit: str,
    bone_of: dict[str, str],
    exclude: set[tuple[str, str]],
    signal_values: dict[str, bool],
) -> pd.DataFrame:
    """(bone, attribute, value, units, affected) for every candidate cause.

    ``signal_values`` gives, for the flag attributes, the value that is bad (transferred:
    true, resolved: false).

    Each source (steps, events, the units themselves, customers) is read once for all its
    attributes. When a unit is one row of the source (a contact, a step), every attribute is
    counted in one grouping; when a unit has many rows (a journey's steps, a customer's
    events), each unit's values of an attribute are first gathered into one bit set
    (``bitstring_agg``), so that a unit counts once per value however many of its rows have it.
    """
    excluded_attrs = {a for a, v in exclude if v == "*"}
    per_unit = unit in ("journeys", "customers")
    # the steps (and through their row numbers, the events) each unit is about
    db.create_view(
        cur,
        "causes/cause_steps",
        "cause_steps",
        temp=True,
        by_journey=unit == "journeys",
        by_customer=unit == "customers",
    )
    steps = _step_features(cur, unit, bone_of, per_unit)
    events = _event_features(cur, model, bone_of, excluded_attrs, signal_values, per_unit)
    customers = _customer_features(cur, model, bone_of)
    parts = [
        count_values(cur, _time_features(), "units"),
        count_values(cur, customers, "customers"),
    ]
    for features, source in ((steps, "steps"), (events, "events")):
        count = count_sets if per_unit else count_values
        parts.append(count(cur, features, source))
    counts = concat(parts)
    if exclude:
        pairs = zip(counts["attribute"], counts["value"], strict=True)
        drop = pd.Series([(a, v) in exclude or (a, "*") in exclude for a, v in pairs], dtype=bool)
        counts = counts[~drop.to_numpy()]
    if unit == "journeys":
        counts = _without_the_path(cur, counts)
    return counts.reset_index(drop=True)


def _step_features(
    cur: duckdb.DuckDBPyConnection, unit: str, bone_of: dict[str, str], per_unit: bool
) -> list[Feature]:
    """The touchpoint (or, for whole journeys and customers, the visits) and the channel of
    the steps each unit is about."""
    label = "touchpoint" if unit in ("contacts", "steps") else "visits"
    steps = []
    for attr, bone in (("touchpoint", "Process"), ("channel", None)):
        labels = db.enum_values(cur, "steps", attr) if per_unit else None
        steps.append(
            Feature(
                bone or bone_of.get(attr, "Channel & technology"),
                label if attr == "touchpoint" else attr,
                f"cast(u.{attr} as varchar)",
                labels,
                f"enum_code(u.{attr})",
            )
        )
    return steps


def _event_features(
    cur: duckdb.DuckDBPyConnection,
    model: JourneyModel,
    bone_of: dict[str, str],
    excluded_attrs: set[str],
    signal_values: dict[str, bool],
    per_unit: bool,
) -> list[Feature]:
    """The event attributes worth counting: flags (for a whole journey, its bad value only),
    text with a few values, and numbers in quartile bands."""
    log = model.log
    categorical = [
        a
        for a, t in log.attributes.items()
        if a in bone_of and a not in excluded_attrs and t in ("VARCHAR", "BOOLEAN")
    ]
    event_values = db.distinct_counts(cur, "events", categorical)
    wanted_strings = [
        a
        for a in categorical
        if log.attributes[a] == "VARCHAR" and 2 <= event_values[a] <= _MAX_VALUES * 4
    ]
    string_labels = db.distinct_values(cur, "events", wanted_strings) if per_unit else {}
    events: list[Feature] = []
    for attr, typ in log.attributes.items():
        if attr not in bone_of or attr in excluded_attrs:
            continue
        q = f"e.{quote_ident(attr)}"
        if typ == "BOOLEAN" and per_unit:
            # a journey (or customer) "had" a transfer / an unresolved contact; that it also
            # had a contact that was not transferred says nothing
            wanted = str(signal_values.get(attr, True)).lower()
            events.append(
                Feature(
                    bone_of[attr],
                    attr,
                    f"case when {q} = {wanted} then '{wanted}' end",
                    (wanted,),
                )
            )
        elif typ == "BOOLEAN":
            if event_values[attr] >= 2:
                events.append(Feature(bone_of[attr], attr, f"cast({q} as varchar)"))
        elif typ == "VARCHAR":
            if attr in wanted_strings:
                events.append(Feature(bone_of[attr], attr, q, string_labels.get(attr)))
        else:
            band = _bands(cur, "events", attr)
            if band:
                events.append(
                    Feature(bone_of[attr], attr, band[0].replace("__v__", q), band[1], banded=True)
                )
    return events


def _time_features() -> list[Feature]:
    """Month, weekday and two-hour slot of each unit (a customer's: of their last journey)."""
    ts = "u.ts"
    time_bone = "Time & environment"
    return [
        Feature(time_bone, "month", f"strftime({ts}, '%Y-%m')"),
        Feature(time_bone, "weekday", f"dayname({ts})"),
        Feature(
            time_bone,
            "hour",
            f"lpad(cast(hour({ts}) // 2 * 2 as varchar), 2, '0') || '-' || "
            f"lpad(cast(hour({ts}) // 2 * 2 + 2 as varchar), 2, '0')",
        ),
    ]


def _customer_features(
    cur: duckdb.DuckDBPyConnection, model: JourneyModel, bone_of: dict[str, str]
) -> list[Feature]:
    """The customer list's attributes worth counting: text with a few values, numbers in
    quartile bands."""
    log = model.log
    cust_attrs = log.customer_report.attribute_types if log.customer_report else {}
    customer_values = db.distinct_counts(
        cur,
        "customers",
        [a for a, t in cust_attrs.items() if a in bone_of and t in ("VARCHAR", "BOOLEAN")],
    )
    customers: list[Feature] = []
    for attr, typ in cust_attrs.items():
        if attr not in bone_of:
            continue
        q = f"c.{quote_ident(attr)}"
        if typ in ("VARCHAR", "BOOLEAN"):
            if 2 <= customer_values[attr] <= _MAX_VALUES:
                customers.append(Feature(bone_of[attr], attr, f"cast({q} as varchar)"))
        else:
            band = _bands(cur, "customers", attr)
            if band:
                customers.append(
                    Feature(bone_of[attr], attr, band[0].replace("__v__", q), banded=True)
                )
    return customers


def _without_the_path(cur: duckdb.DuckDBPyConnection, counts: pd.DataFrame) -> pd.DataFrame:
    """Leave out the touchpoints and channels nearly every affected journey passes: they
    describe the effect (the path of a loop, the way to a drop-off), they do not explain it."""
    totals = db.execute(cur, "duckdb/causes/unit_totals").fetchone()
    k = int(totals[1]) if totals else 0
    path = counts["attribute"].isin(["visits", "channel"])
    return counts[~(path & (counts["affected"] >= PATH_SHARE * k))]


def _bands(
    cur: duckdb.DuckDBPyConnection, table: str, attr: str
) -> tuple[str, tuple[str, ...]] | None:
    """A CASE expression putting a numeric attribute into quartile bands (``__v__`` = value),
    and the bands' names."""
    row = db.execute(cur, "duckdb/causes/quartiles", relation=table, attribute=attr).fetchone()
    if not row or row[0] is None or row[1] < 4:
        return None
    cuts = sorted({round(float(x), 2) for x in row[0]})
    if len(cuts) < 2:
        return None
    names = []
    bounds = [-math.inf, *cuts, math.inf]
    for lo, hi in itertools.pairwise(bounds):
        if lo == -math.inf:
            names.append((f"__v__ < {hi}", f"below {_num(hi)}"))
        elif hi == math.inf:
            names.append((f"__v__ >= {lo}", f"{_num(lo)} or more"))
        else:
            names.append((f"__v__ >= {lo} and __v__ < {hi}", f"{_num(lo)} to {_num(hi)}"))
    whens = " ".join(f"when {cond} then {quote_literal(text)}" for cond, text in names)
    return f"case {whens} end", tuple(dict.fromkeys(text for _, text in names))


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:g}"
