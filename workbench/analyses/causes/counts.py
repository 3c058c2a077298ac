"""Counting candidate causes: units and affected units per attribute value, in one pass per
source table."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from workbench.core.db import quote_literal


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


def count_values(
    cur: duckdb.DuckDBPyConnection, features: list[Feature], source: str
) -> pd.DataFrame:
    """Units and affected units per value, one row of ``source`` per unit, in one grouping.

    ``source`` gives each row's ``u.effect`` beside the table the values are read from.
    """
    if not features:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    values = ", ".join(f"cast({f.value} as varchar) as v{i}" for i, f in enumerate(features))
    keys = ", ".join(f"v{i}" for i in range(len(features)))
    sets = ", ".join(f"(v{i})" for i in range(len(features)))
    grouped = cur.execute(
        f"with x as (select u.effect, {values} from {source}) "
        f"select {keys}, count(*) as units, count_if(effect) as affected "
        f"from x group by grouping sets ({sets})"
    ).df()
    frames = []
    for i, f in enumerate(features):
        part = grouped[grouped[f"v{i}"].notna()]
        frames.append(
            pd.DataFrame(
                {
                    "bone": f.bone,
                    "attribute": f.attribute,
                    "value": part[f"v{i}"].astype(str).to_numpy(),
                    "units": part["units"].to_numpy(),
                    "affected": part["affected"].to_numpy(),
                    "banded": f.banded,
                }
            )
        )
    return concat(frames)


def count_sets(
    cur: duckdb.DuckDBPyConnection, features: list[Feature], source: str
) -> pd.DataFrame:
    """Units and affected units per value when a unit has many rows of ``source``.

    ``source`` gives each row's ``u.unit`` and ``u.effect``.

    One pass gathers, per unit, the set of values it has of each feature as a bit string
    (position *i* = the feature's *i*-th label); the units are then counted per distinct
    bit string, and each string's counts go to every value whose bit it has.
    """
    features = [f for f in features if f.labels]
    if not features:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    bits = []
    for i, f in enumerate(features):
        names = ", ".join(quote_literal(v) for v in f.labels or ())
        code = f.code or f"enum_code(cast(cast({f.value} as varchar) as enum({names})))"
        bits.append(f"bitstring_agg({code}, 0, {len(f.labels or ()) - 1}) as b{i}")
    cur.execute(
        "create or replace temp table cause_sets as "
        f"select u.unit, u.effect, {', '.join(bits)} from {source} group by u.unit, u.effect"
    )
    masks = cur.execute(
        "\nunion all\n".join(
            f"select {i} as feature, cast(b{i} as varchar) as bits, count(*) as units, "
            f"count_if(effect) as affected from cause_sets where b{i} is not null group by b{i}"
            for i in range(len(features))
        )
    ).df()
    cur.execute("drop table cause_sets")
    frames = []
    for i, f in enumerate(features):
        part = masks[masks["feature"] == i]
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
        frames.append(
            pd.DataFrame(
                {
                    "bone": f.bone,
                    "attribute": f.attribute,
                    "value": np.array(labels, dtype=object)[seen],
                    "units": units[seen],
                    "affected": affected[seen],
                    "banded": f.banded,
                }
            )
        )
    return concat(frames)


_DTYPES = {"bone": "object", "attribute": "object", "value": "object", "banded": "bool"}


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The non-empty count tables as one (an empty one with the columns when there are none)."""
    kept = [f for f in frames if not f.empty]
    if not kept:
        return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "int64")) for c in COUNT_COLUMNS})
    return pd.concat(kept, ignore_index=True)
