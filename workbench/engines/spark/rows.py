"""Every row of a file read on Spark, accounted for: read, numbered, loaded or rejected.

:func:`read_events` reads a log, survey or customer file so that a text row that does not split
into the header's fields is kept whole instead of being dropped or padded; :func:`numbered`
gives each row an id, and :func:`positions` turns Spark's ids into the rows' places in the
file; :func:`unreadable_rows` and :func:`rejected_rows` list the rows the staging did not load,
with the DuckDB loader's columns and reasons.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from workbench.core.errors import LoadError
from workbench.engines.spark.sessions import to_pandas

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame as SparkFrame
    from pyspark.sql import SparkSession

#: The column holding each row's id (see :func:`numbered`) until the staging names it ``row_no``.
ROW = "__workbench_row_no"
#: The column a text file's rows that do not split into the header's fields are kept in.
UNREADABLE = "__workbench_unreadable"
#: Spark's row ids keep the partition above these bits and the place within it in them.
_LOW_BITS = (1 << 33) - 1
_REJECTED_COLUMNS = ["row_no", "column", "reason", "value"]


def read_events(spark: SparkSession, path: str, *, delimiter: str | None = None) -> SparkFrame:
    """An event log (or survey) file as a Spark DataFrame: Parquet by its suffix, otherwise
    delimited text with a header, every column as text (times are parsed by the staging
    queries). A text row that does not split into the header's fields is kept whole in the
    column :data:`UNREADABLE`, and the staging rejects it with its row."""
    if str(path).lower().endswith(".parquet") or os.path.isdir(path):
        return spark.read.parquet(str(path))
    if str(path).lower().endswith((".xes", ".xes.gz")):
        raise LoadError(
            f"{os.path.basename(path)} is an XES log, which the Spark engine does not read. "
            "Load it with the DuckDB engine (the default), or convert it to CSV or Parquet "
            "first.",
            "XES on Spark",
        )
    # pyspark is the optional spark extra, imported only when Spark runs
    from pyspark.sql.types import StringType, StructField, StructType

    # with column pruning, whether a row splits into the header's fields depends on the
    # columns a query reads: a row with too many fields would be rejected by one query and
    # loaded by the next
    spark.conf.set("spark.sql.csv.parser.columnPruning.enabled", "false")
    reader = spark.read.options(header=True, sep=delimiter or ",", inferSchema=False)
    header = reader.csv(str(path)).schema
    # the delimiter travels with the frame, to count a rejected row's fields by
    kept = StructField(UNREADABLE, StringType(), metadata={"delimiter": delimiter or ","})
    schema = StructType([*header.fields, kept])
    return (
        reader.schema(schema)
        .options(mode="PERMISSIVE", columnNameOfCorruptRecord=UNREADABLE)
        .csv(str(path))
    )


def source_types(source: SparkFrame) -> dict[str, str]:
    """A source's columns and Spark types, without :data:`UNREADABLE`."""
    return {f.name: f.dataType.simpleString() for f in source.schema.fields if f.name != UNREADABLE}


def _partition_starts(source: SparkFrame) -> dict[int, int]:
    """How many rows of ``source`` come before each of its partitions (by the partition number
    in the upper bits of Spark's row ids): one pass over ``source``, counting its rows."""
    # pyspark is the optional spark extra, imported only when Spark runs
    from pyspark.sql import functions as F

    part = F.shiftright(F.monotonically_increasing_id(), 33)
    # counted through a column of the file: Spark refuses a query of a text file that reads
    # none of its columns but the unreadable rows' one
    column = next(c for c in source.columns if c != UNREADABLE)
    sizes = (
        source.groupBy(part.alias("p"))
        .agg(F.count(F.col(f"`{column}`").isNull()).alias("count"))
        .toPandas()
        .sort_values("p")
    )
    starts = sizes["count"].cumsum() - sizes["count"]
    return {int(p): int(n) for p, n in zip(sizes["p"], starts, strict=True)}


def positions(source: SparkFrame, ids: pd.Series) -> pd.Series:
    """Spark's row ids (``monotonically_increasing_id`` over ``source``: the partition in the
    upper bits, the place within it below) as each row's 1-based position in read order -- for
    a text file, its data row (1 is the first after the header). Counts the rows of each
    partition: one more pass over ``source``, made only when some row is rejected."""
    if ids.empty:
        return ids
    first = _partition_starts(source)
    return pd.Series(
        [first[int(i) >> 33] + (int(i) & _LOW_BITS) + 1 for i in ids],
        index=ids.index,
        dtype="int64",
    )


def numbered(source: SparkFrame, in_file: bool = False) -> SparkFrame:
    """``source`` with each row's id first, in the column :data:`ROW`: Spark's row id (see
    :func:`positions`) or, ``in_file``, the row's position itself, at the cost of one more
    pass."""
    # pyspark is the optional spark extra, imported only when Spark runs
    from pyspark.sql import functions as F

    rows = source.select(F.monotonically_increasing_id().alias(ROW), "*")
    if not in_file:
        return rows
    starts = _partition_starts(source)
    offsets = F.create_map(*(F.lit(v) for pair in starts.items() for v in pair))
    row_id = F.col(ROW)
    return rows.withColumn(
        ROW, offsets[F.shiftright(row_id, 33)] + row_id.bitwiseAND(F.lit(_LOW_BITS)) + 1
    )


def _field_count_reason(line: str, delimiter: str, expected: int) -> str:
    """Why a text row was not split, in the DuckDB loader's words.

    >>> _field_count_reason('a,"b,c",d', ",", 2)
    'more fields than the header (expected 2, found 3)'
    """
    found = len(next(csv.reader([line], delimiter=delimiter), []))
    if found > expected:
        return f"more fields than the header (expected {expected}, found {found})"
    if found < expected:
        return f"fewer fields than the header (expected {expected}, found {found})"
    return f"the fields do not split as the header's {expected} do"


def unreadable_rows(source: SparkFrame, rows: SparkFrame) -> tuple[SparkFrame, pd.DataFrame]:
    """The ``rows`` of ``source`` (see :func:`numbered`) that split into the header's fields,
    without the column :data:`UNREADABLE`; and those that did not (``row_no``, ``column``,
    ``reason``, ``value``: the row as read)."""
    if UNREADABLE not in source.columns:
        return rows, pd.DataFrame(columns=_REJECTED_COLUMNS)
    # pyspark is the optional spark extra, imported only when Spark runs
    from pyspark.sql import functions as F

    bad = rows.where(F.col(UNREADABLE).isNotNull())
    # (Spark refuses a query of a text file that reads only the unreadable rows' column)
    read = to_pandas(bad).rename(columns={ROW: "row_no"})
    expected = len(source.columns) - 1
    delimiter = source.schema[UNREADABLE].metadata.get("delimiter", ",")
    unreadable = pd.DataFrame(
        {
            "row_no": read["row_no"].astype("int64"),
            "column": None,
            "reason": [
                _field_count_reason(str(line), delimiter, expected) for line in read[UNREADABLE]
            ],
            "value": read[UNREADABLE],
        }
    )
    return rows.where(F.col(UNREADABLE).isNull()).drop(UNREADABLE), unreadable


def rejected_rows(
    spark: SparkSession,
    source: SparkFrame,
    classified: str,
    unreadable: pd.DataFrame,
    roles: Mapping[str, str | None],
    in_file: bool = False,
) -> tuple[pd.DataFrame, int]:
    """Every rejected row of a staged ``source`` (``row_no``: its position, see
    :func:`positions`, or already one when numbered ``in_file`` -- see :func:`numbered`;
    ``column``: the file's column, as the DuckDB loader names it; ``reason``, ``value``), in
    row order: those the view ``classified`` rejects for their values and the ``unreadable``
    ones; and the number of rows read."""
    # pyspark is the optional spark extra, imported only when Spark runs
    from pyspark.sql import functions as F

    table = spark.table(classified)
    value = F.col("reject_value") if "reject_value" in table.columns else F.lit(None).cast("string")
    content = to_pandas(
        table.where(F.col("reject_reason").isNotNull()).select(
            "row_no",
            F.col("reject_column").alias("column"),
            F.col("reject_reason").alias("reason"),
            value.alias("value"),
        )
    )
    content["column"] = [roles.get(role) or role for role in content["column"]]
    parts = [frame for frame in (content, unreadable) if len(frame)]
    rejected = (
        pd.concat(parts, ignore_index=True).sort_values("row_no", ignore_index=True)
        if parts
        else content
    )
    if not in_file:
        rejected["row_no"] = positions(source, rejected["row_no"])
    # counted through a column of the file (see _partition_starts)
    counted = table.select(F.count(F.col("customer_id").isNull())).first()
    rows = (int(counted[0]) if counted is not None else 0) + len(unreadable)
    return rejected, rows
