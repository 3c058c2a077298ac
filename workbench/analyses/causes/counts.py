"""Counting candidate causes: units and affected units per attribute value, in one pass per
source table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from workbench.core import db
from workbench.core.db import quote_ident, quote_literal


@dataclass(frozen=True)
class Feature:
    """One attribute offered as a cause: its value as text, from one source table.

    ``labels`` (every value it can take) are needed only when a unit has many rows: the
    values each unit has are then collected as one bit set per unit.
    """

    bone: str
    attribute: str
    value: str
    labels: tuple[str, ...] | None = None
    #: the label's position, when cheaper than looking the value up among the labels
    code: str | None = None
    #: the values are bands of a number (below 94, 94 to 335, 335 or more)
    banded: bool = False


COUNT_COLUMNS = ["bone", "attribute", "value", "units", "affected", "banded"]

#: Where the units' rows come from: the units' table, and which table each row's values join.
SOURCES: dict[str, dict[str, Any]] = {
    "units": {"units": "cause_units", "customers": False, "events": False},
    "customers": {"units": "cause_units", "customers": True, "events": False},
    "steps": {"units": "cause_steps", "customers": False, "events": False},
    "events": {"units": "cause_steps", "customers": False, "events": True},
}


def count_values(
    cur: duckdb.DuckDBPyConnection, features: list[Feature], source: str
) -> pd.DataFrame:
    """Units and affected units per value, one row of ``source`` per unit, in one grouping.

    ``source`` names the rows (see :data:`SOURCES`): the units themselves (``"units"``, their
    ``u.ts``), with their customer (``"customers"``, ``c``), the steps (``"steps"``) or the
    steps with their events (``"events"``, ``e``).
    """
    if not features:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    items = [{"key": f"v{i}", "value": f.value} for i, f in enumerate(features)]
    grouped = db.run(cur, "duckdb/causes/count_values", features=items, **SOURCES[source])
    frames = []
    for i, f in enumerate(features):
        part = grouped[grouped[f"v{i}"].notna()]
        frames.append(
            _counts(f, part[f"v{i}"].astype(str).to_numpy(), part["units"], part["affected"])
        )
    return concat(frames)


def count_sets(
    cur: duckdb.DuckDBPyConnection, features: list[Feature], source: str
) -> pd.DataFrame:
    """Units and affected units per value when a unit has many rows of ``source`` (the steps,
    ``"steps"``, or the steps with their events, ``"events"``; see :data:`SOURCES`).

    One pass gathers, per unit, the set of values it has of each feature as a bit string
    (position *i* = the feature's *i*-th label); the units are then counted per distinct
    bit string, and each string's counts go to every value whose bit it has.
    """
    features = [f for f in features if f.labels]
    if not features:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    coded, labelled = [], []
    for i, f in enumerate(features):
        last = str(len(f.labels or ()) - 1)
        if f.code:
            coded.append({"key": f"b{i}", "code": f.code, "last": last})
        else:
            names = ", ".join(quote_literal(v) for v in f.labels or ())
            labelled.append({"key": f"b{i}", "value": f.value, "labels": names, "last": last})
    where = {k: v for k, v in SOURCES[source].items() if k != "customers"}
    db.materialize(
        cur,
        "duckdb/causes/cause_sets",
        "cause_sets",
        temp=True,
        coded=coded,
        labelled=labelled,
        **where,
    )
    masks = db.run(cur, "duckdb/causes/set_counts")
    db.drop_table(cur, quote_ident("cause_sets"))
    frames = []
    for i, f in enumerate(features):
        part = masks[masks["feature"] == f"b{i}"]
        labels = list(f.labels or ())
        if part.empty:
            continue
        # one row per distinct bit string, one column per label
        has = np.frombuffer("".join(part["bits"]).encode(), dtype=np.uint8).reshape(
            len(part), len(labels)
        ) == ord("1")
        units = has.T.astype(np.int64) @ part["units"].to_numpy(dtype=np.int64)
        affected = has.T.astype(np.int64) @ part["affected"].to_numpy(dtype=np.int64)
        seen = has.any(axis=0)
        frames.append(_counts(f, np.array(labels, dtype=object)[seen], units[seen], affected[seen]))
    return concat(frames)


def _counts(f: Feature, values: Any, units: Any, affected: Any) -> pd.DataFrame:
    """One feature's rows of a count table."""
    return pd.DataFrame(
        {
            "bone": f.bone,
            "attribute": f.attribute,
            "value": values,
            "units": np.asarray(units),
            "affected": np.asarray(affected),
            "banded": f.banded,
        }
    )


_DTYPES = {"bone": "object", "attribute": "object", "value": "object", "banded": "bool"}


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The non-empty count tables as one (an empty one with the columns when there are none)."""
    kept = [f for f in frames if not f.empty]
    if not kept:
        return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "int64")) for c in COUNT_COLUMNS})
    return pd.concat(kept, ignore_index=True)
