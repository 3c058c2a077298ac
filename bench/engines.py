"""Benchmark: the journey model, or the KPIs, on DuckDB against the same queries on Spark.

Run by hand (``make bench-engines`` or ``python bench/engines.py [--analysis kpis]``); it is not
a test and needs the spark extra and Java. For each size it generates an event log with the
sample generator (Parquet, with its surveys, cached in ``bench/data/``), then times, in this one
process:

- **DuckDB**: ``load_events`` of the Parquet file(s) into memory and ``build_journeys`` (with
  ``--analysis kpis``: the surveys loaded too, and ``kpis`` of the model);
- **Spark** (local mode on every core, the session started once beforehand and timed apart):
  ``read_events`` and ``build_journeys_on_spark`` (``kpis_on_spark``) -- the same staging,
  journey and KPI queries, translated -- until the tables are back in pandas.

Each engine runs ``--repeat`` times per size (median kept), and the two must agree (the model's
events, journeys and customers; every KPI figure). It prints both times, Spark's time as a
multiple of DuckDB's, and how each grows with the size: where the multiple falls below 1 is the
crossover.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from journeys import ensure_data  # noqa: E402  (the other bench's cached logs)

SIZES = {"100k": 100_000, "300k": 300_000, "1m": 1_000_000, "3m": 3_000_000, "10m": 10_000_000}


def _timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _same_kpis(name: str, duck: Any, spark: Any) -> None:
    import numpy as np

    keys = ["group", "kpi", "n"]
    same = duck[keys].values.tolist() == spark[keys].values.tolist() and np.allclose(
        duck["value"].astype(float), spark["value"].astype(float), rtol=1e-9, equal_nan=True
    )
    if not same:
        sys.exit(f"{name}: the engines' KPIs disagree:\n{duck}\n{spark}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100k,300k,1m", help="comma-separated: " + ", ".join(SIZES))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--master", default=None, help="Spark master URL (default: local[*])")
    ap.add_argument(
        "--analysis",
        choices=("journeys", "kpis"),
        default="journeys",
        help="what both engines compute: the journey model (default) or the KPIs",
    )
    args = ap.parse_args()

    import workbench as wb
    from workbench.engines import spark as engine

    t = time.perf_counter()
    spark = engine.session(args.master)
    spark.sparkContext.setLogLevel("ERROR")
    startup = time.perf_counter() - t
    print(f"Spark session started in {startup:.1f} s ({spark.sparkContext.master})", flush=True)
    print(f"computing: {args.analysis}", flush=True)
    results: dict[str, dict[str, Any]] = {}
    for name in args.sizes.split(","):
        path = ensure_data(name, SIZES[name])
        surveys = path.parent / "surveys.parquet"
        if args.analysis == "kpis":
            duck_s, kpis = _timed(
                lambda p=path, s=surveys: wb.kpis(wb.build_journeys(wb.load_events(p, surveys=s))),
                args.repeat,
            )
            spark_s, skpis = _timed(
                lambda p=path, s=surveys: engine.kpis_on_spark(
                    spark,
                    engine.read_events(spark, str(p)),
                    engine.read_events(spark, str(s)),
                ),
                args.repeat,
            )
            _same_kpis(name, kpis.table, skpis.kpis.table)
            model = skpis.model
        else:
            duck_s, model = _timed(lambda p=path: wb.build_journeys(wb.load_events(p)), args.repeat)
            spark_s, smodel = _timed(
                lambda p=path: engine.build_journeys_on_spark(
                    spark, engine.read_events(spark, str(p))
                ),
                args.repeat,
            )
            same = (model.n_events, model.n_journeys, model.n_customers) == (
                smodel.n_events,
                smodel.n_journeys,
                smodel.n_customers,
            )
            if not same:
                sys.exit(f"{name}: the engines disagree: {model.summary()} vs {smodel.summary()}")
        results[name] = {
            "events": model.n_events,
            "journeys": model.n_journeys,
            "duckdb_s": duck_s,
            "spark_s": spark_s,
        }
        print(
            f"{name:>5} {model.n_events:>11,} events  DuckDB {duck_s:7.2f} s  "
            f"Spark {spark_s:7.2f} s  Spark/DuckDB {spark_s / duck_s:6.1f}x",
            flush=True,
        )
    spark.stop()
    names = list(results)
    if len(names) > 1:
        a, b = results[names[0]], results[names[-1]]
        grow = b["events"] / a["events"]
        print(
            f"\ngrowth {names[0]} -> {names[-1]} ({grow:.1f}x the events): "
            f"DuckDB {b['duckdb_s'] / a['duckdb_s']:.1f}x, Spark {b['spark_s'] / a['spark_s']:.1f}x"
        )
    print("\nraw:", json.dumps({"analysis": args.analysis, "startup_s": startup, "sizes": results}))


if __name__ == "__main__":
    main()
