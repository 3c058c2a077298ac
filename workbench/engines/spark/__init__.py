"""The workbench's SQL on Apache Spark, for logs beyond one machine (the ``spark`` extra).

Every query under ``queries/`` is written in DuckDB's SQL against logical views; on Spark it is
translated, not rewritten by hand, and ``tests/test_spark.py`` runs every query on both engines
over the same data and compares the answers. The package, one concern per module:

- :mod:`~workbench.engines.spark.dialect`: :class:`WorkbenchSpark`, sqlglot's Spark dialect
  with DuckDB's answers kept, and :class:`TranslationError` for what it cannot keep;
- :mod:`~workbench.engines.spark.translation`: :func:`translate` (DuckDB → Spark SQL, with the
  table of every fix) and :func:`inputs`; needs only sqlglot;
- :mod:`~workbench.engines.spark.sessions`: :func:`session`, :func:`run` (a query on a
  session's views), :func:`register`, :func:`to_pandas`, the views an analysis keeps as
  checkpoints and :func:`remove_checkpoints`;
- :mod:`~workbench.engines.spark.rows`: :func:`read_events`, which reads a log, survey or
  customer file so that no row is lost unseen, and the accounting of rejected rows;
- :mod:`~workbench.engines.spark.staging`: :func:`stage_surveys` and :func:`stage_customers`
  (and the events), with the loader's queries;
- :mod:`~workbench.engines.spark.pipeline`: :func:`build_journeys_on_spark` and
  :func:`kpis_on_spark` (``journeys`` and ``kpis --engine spark`` on the command line).

Only the functions that run on a session import ``pyspark``; translating needs only sqlglot.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.engines.spark.dialect import TranslationError, WorkbenchSpark
from workbench.engines.spark.pipeline import (
    SparkJourneys,
    SparkKpis,
    build_journeys_on_spark,
    kpis_on_spark,
)
from workbench.engines.spark.rows import read_events
from workbench.engines.spark.sessions import (
    register,
    remove_checkpoints,
    run,
    session,
    spark_schema,
    to_pandas,
)
from workbench.engines.spark.staging import SparkCustomers, stage_customers, stage_surveys
from workbench.engines.spark.translation import Schema, inputs, translate

__all__: Sequence[str] = (
    "Schema",
    "SparkCustomers",
    "SparkJourneys",
    "SparkKpis",
    "TranslationError",
    "WorkbenchSpark",
    "build_journeys_on_spark",
    "inputs",
    "kpis_on_spark",
    "read_events",
    "register",
    "remove_checkpoints",
    "run",
    "session",
    "spark_schema",
    "stage_customers",
    "stage_surveys",
    "to_pandas",
    "translate",
)
