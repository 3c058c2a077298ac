"""Spark sessions for the workbench: making one, running its queries there, the views it keeps.

:func:`session` starts (or joins) a Spark session configured to answer as DuckDB does;
:func:`run` translates a query (see :mod:`workbench.engines.spark.translation`) and runs it
over the session's temporary views; :func:`make_view` makes an answer a view, kept as a
checkpoint when later queries build on it; :func:`register` and :func:`to_pandas` move tables
between pandas/Arrow and Spark; :func:`remove_checkpoints` deletes what a session wrote.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from workbench.core import db
from workbench.engines.spark.translation import Schema, inputs, translate

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame as SparkFrame
    from pyspark.sql import SparkSession

_NO_SPARK = "Running on Spark needs the spark extra: pip install 'journey-workbench[spark]'"


def session(master: str | None = None, *, app_name: str = "journey-workbench") -> SparkSession:
    """A Spark session: local mode on every core unless ``master`` gives a cluster URL.

    Times are read and written in UTC, as the DuckDB side does. The driver gets 4 GB of memory
    (``WORKBENCH_SPARK_DRIVER_MEMORY`` changes it), which takes effect when this call starts
    Spark's JVM. ``WORKBENCH_SPARK_CHECKPOINT_DIR`` (a directory every node can reach, such as
    ``hdfs:///tmp/workbench``) makes the views an analysis keeps reliable checkpoints there
    instead of rows in the executors' memory: slower, but an executor lost on a cluster does
    not fail the analysis.
    """
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        # pyspark is the optional spark extra: imported where Spark work starts
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ImportError(_NO_SPARK) from exc
    builder = (
        SparkSession.builder.master(master or "local[*]")
        .appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        # DuckDB answers NULL where ANSI Spark raises (x / 0, a bad cast)
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", os.environ.get("WORKBENCH_SPARK_PARTITIONS", "8"))
        # the driver's JVM holds every broadcast join's table; Spark's 1 GB default runs out
        # on the KPIs of a million events in local mode
        .config("spark.driver.memory", os.environ.get("WORKBENCH_SPARK_DRIVER_MEMORY", "4g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", os.environ["SPARK_LOCAL_IP"])
        # the files of a reliable checkpoint (see _kept) go when nothing refers to them
        .config("spark.cleaner.referenceTracking.cleanCheckpoints", "true")
    )
    checkpoints = os.environ.get("WORKBENCH_SPARK_CHECKPOINT_DIR")
    if checkpoints:
        builder = builder.config("spark.checkpoint.dir", checkpoints)
    return builder.getOrCreate()


def spark_schema(frame: SparkFrame) -> dict[str, str]:
    """Column names → DuckDB-spelled types of a Spark DataFrame (for :func:`translate`)."""
    return {f.name: _duck_type(f.dataType.simpleString()) for f in frame.schema.fields}


def _duck_type(spark_type: str) -> str:
    t = spark_type.lower()
    if t.startswith("array<"):
        return _duck_type(t[6:-1]) + "[]"
    return {
        "string": "varchar",
        "int": "integer",
        "bigint": "bigint",
        "smallint": "smallint",
        "tinyint": "tinyint",
        "double": "double",
        "float": "float",
        "boolean": "boolean",
        "timestamp": "timestamp",
        "timestamp_ntz": "timestamp",
        "date": "date",
    }.get(t, "varchar" if t.startswith("varchar") else t)


def run(
    spark: SparkSession,
    name_or_sql: str,
    *,
    schema: Schema | None = None,
    **params: Any,
) -> SparkFrame:
    """Run ``queries/<name>.sql`` (or SQL text) on ``spark`` over its temporary views.

    The schema of the views the query reads is looked up in the session unless given.
    """
    text = db.query_text(name_or_sql) if db._NAME.match(name_or_sql) else name_or_sql
    if schema is None:
        schema = {t: spark_schema(spark.table(t)) for t in inputs(text)}
    sql = translate(text, schema)
    return spark.sql(sql, args=_args(params) or None)


def _args(params: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters as Spark binds them: lists as array columns."""
    # pyspark is the optional spark extra, imported only when Spark runs
    from pyspark.sql import functions as F

    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            out[key] = F.array(*[F.lit(v) for v in value]) if value else F.array()
        else:
            out[key] = value
    return out


def to_pandas(frame: SparkFrame) -> pd.DataFrame:
    """A Spark result as a pandas DataFrame (via Arrow)."""
    answer: pd.DataFrame = frame.toArrow().to_pandas()
    return answer


def register(spark: SparkSession, view: str, data: Any) -> SparkFrame:
    """Make ``data`` (a pandas DataFrame or a pyarrow Table) the temporary view ``view``."""

    if isinstance(data, pd.DataFrame):
        data = pa.Table.from_pandas(data, preserve_index=False)
    frame = spark.createDataFrame(_arrow_plain(data))
    frame.createOrReplaceTempView(view)
    return frame


def _arrow_plain(table: Any) -> Any:
    """Dictionary (ENUM) columns, and lists of them, as plain text."""

    cols = []
    for column in table.columns:
        t = column.type
        if pa.types.is_dictionary(t):
            column = column.cast(t.value_type)  # noqa: PLW2901
        elif pa.types.is_list(t) and pa.types.is_dictionary(t.value_type):
            column = column.cast(pa.list_(t.value_type.value_type))  # noqa: PLW2901
        cols.append(column)
    return pa.table(cols, names=table.column_names)


def make_view(
    spark: SparkSession, name: str, as_view: str, keep: bool = False, **params: Any
) -> SparkFrame:
    """Run a query (name or DuckDB SQL) and make its answer the temporary view ``as_view``;
    with ``keep``, computed now and kept (see :func:`_kept`)."""
    frame = run(spark, name, **params)
    if keep:
        frame = _kept(frame)
    frame.createOrReplaceTempView(as_view)
    return frame


def _kept(frame: SparkFrame) -> SparkFrame:
    """``frame`` computed and checkpointed: its rows kept, and its plan cut to a scan of them.

    An analysis stacks some twenty views. Cached (``persist``), each later query still carried
    the plans of every view below it, and Spark spent seconds analysing and optimising them:
    the KPIs' survey responses took 7.6 s at 100k events cached, 0.8 s checkpointed. A
    checkpoint keeps the rows (memory, then disk) on the executors. When the SparkContext has a
    checkpoint directory (``spark.checkpoint.dir``, or ``WORKBENCH_SPARK_CHECKPOINT_DIR`` for
    :func:`session`), the rows are written there instead, and survive an executor lost on a
    cluster; otherwise they live in the executors' block stores, as Spark's local checkpoints
    do. Rows no view or frame refers to any more are removed by Spark's cleaner (see
    :func:`release_unreferenced`)."""
    if frame.sparkSession.sparkContext.getCheckpointDir():
        return frame.checkpoint(eager=True)
    return frame.localCheckpoint(eager=True)


def release_unreferenced(spark: SparkSession) -> None:
    """Let Spark's cleaner remove the kept rows of earlier analyses that nothing refers to any
    more (their views were replaced), now rather than at its periodic clean-up: a session that
    runs many analyses, as a notebook does, keeps one copy of each view."""
    gc.collect()
    jvm = getattr(spark.sparkContext, "_jvm", None)
    if jvm is not None:
        jvm.System.gc()


def remove_checkpoints(spark: SparkSession) -> None:
    """Delete the session's reliable checkpoints: the SparkContext's own folder under the
    checkpoint directory (see :func:`_kept`), which Spark leaves behind when the session ends.
    The views the session's analyses kept cannot be read afterwards, so call it when done with
    them (the command line does, after each command). Without a checkpoint directory there is
    nothing to delete: local checkpoints go with the session."""
    folder = spark.sparkContext.getCheckpointDir()
    if not folder:
        return
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    path = jvm.org.apache.hadoop.fs.Path(folder)
    path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(path, True)
