"""Benchmark: how much of the journey model the floor leaves room for, stage by stage.

Run by hand (``make bench-bounds`` or ``python bench/bounds.py``); it is not a test. The speed
target for the journey model is at most twice the floor -- one ``lead(touchpoint) over
(partition by customer order by time)`` over every event, counted and thrown away. This
benchmark asks whether that is within reach of the model the workbench builds, which must keep
a materialised steps table (every event with its step number and the step after it) and each
journey's path as an ordered list.

For each size, in a fresh process, it imports the Parquet log into a dataset file (or opens the
one given with ``--dataset``, read-only) and then, for each DuckDB thread count asked for
(``--threads``, default 1 and 2), alternates ``--repeat`` times:

- the floor,
- the floor written out: the same window, with the event's key, time and touchpoint, stored
  as a temp table (the least a materialised steps table costs),
- ``build_journeys(keep=False)``, timing each of its stages from its progress reports: the
  steps table, the journeys with their ordered paths, the moves, the starts/ends/touchpoints
  and the variants.

It prints the median of each, its ratio to the floor measured beside it, the two stages the
design requires (steps table and ordered paths) added up -- when they alone exceed twice the
floor, no tuning of the other stages reaches the target -- and the model without its steps
table: what a build would cost if the import had made the steps table already. Threads 1 and
2 show whether the ratio depends on the number of cores. Last, it ranks friction once on the
last model (which keeps nothing, so nothing is reused), stage by stage.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from journeys import FLOOR, SIZES, ensure_data  # noqa: E402

WRITTEN_FLOOR = (
    "create or replace temp table bound_floor as select customer_id, ts, touchpoint, "
    "lead(touchpoint) over (partition by customer_id order by ts) as nx from events"
)
# What build_journeys reports as each stage starts, and the short name printed for it.
STAGES = {
    "Ordering each journey's steps": "steps table",
    "Summarising each journey and its path": "ordered paths",
    "Counting the moves between touchpoints": "moves",
    "Counting starts, ends and touchpoints": "starts, ends, touchpoints",
    "Ranking the variants": "variants",
}
REQUIRED = ("steps table", "ordered paths")


def mark(marks: list[tuple[str, float]]) -> Any:
    """A progress that notes when each stage starts."""
    return lambda _, what: marks.append((what, time.perf_counter()))


def _stages(marks: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each stage's name and seconds, from the progress reports (the last says "Done")."""
    return [(what, end - began) for (what, began), (_, end) in itertools.pairwise(marks)]


def child(path: Path, dataset: Path | None, repeat: int, threads: list[int]) -> dict[str, Any]:
    """Measure one log in this process (called in a fresh interpreter per size)."""
    sys.path.insert(0, str(ROOT))
    import workbench as wb

    # The analyses' modules load scipy and Altair once per process, as the app does when it
    # starts; that is not the ranking's time, so load them before timing.
    for name in ("rank_friction", "group_causes", "kpis", "compare_levels"):
        getattr(wb, name)
    folder = Path(tempfile.mkdtemp(prefix="wb-bounds-"))
    if dataset is None:
        log = wb.load_events(path, database=folder / "log.duckdb")
    else:
        log = wb.open_dataset(dataset, read_only=True)
    cur = log.cursor()
    results: dict[str, Any] = {"events": log.n_events, "threads": {}}
    for n in threads:
        cur.execute(f"set threads = {int(n)}")
        runs: dict[str, list[float]] = {}

        def add(name: str, seconds: float, runs: dict[str, list[float]] = runs) -> None:
            runs.setdefault(name, []).append(seconds)

        for _ in range(repeat):
            t = time.perf_counter()
            cur.execute(FLOOR).fetchall()
            add("floor", time.perf_counter() - t)
            t = time.perf_counter()
            cur.execute(WRITTEN_FLOOR)
            add("floor, written out", time.perf_counter() - t)
            cur.execute("drop table bound_floor")
            marks: list[tuple[str, float]] = []
            t = time.perf_counter()
            model = wb.build_journeys(log, keep=False, progress=mark(marks))
            add("journey model", time.perf_counter() - t)
            for name, seconds in _stages(marks):
                add(STAGES.get(name, name), seconds)
        # The analyses' largest part, once on the last model (it keeps nothing, so nothing is
        # reused): the friction ranking, stage by stage.
        marks = []
        t = time.perf_counter()
        wb.rank_friction(model, progress=mark(marks))
        add("friction ranking", time.perf_counter() - t)
        for name, seconds in _stages(marks):
            add(f"friction: {name[0].lower()}{name[1:]}", seconds)
        del model
        results["threads"][n] = {k: statistics.median(v) for k, v in runs.items()}
    log.con.close()
    shutil.rmtree(folder, ignore_errors=True)  # a 10M dataset is half a gigabyte
    return results


def report(size: str, r: dict[str, Any]) -> None:
    print(f"\n## {size}: {r['events']:,} events")
    for n, times in r["threads"].items():
        missing = [name for name in REQUIRED if name not in times]
        if missing:
            sys.exit(f"build_journeys reported no stage for {missing}: update STAGES")
        floor = times["floor"]
        print(f"\nthreads = {n}; floor {floor:.2f} s")
        print("| part | seconds | × floor |")
        print("|---|---|---|")
        for name, seconds in times.items():
            if name != "floor" and not name.startswith("friction"):
                print(f"| {name} | {seconds:.2f} | {seconds / floor:.2f}× |")
        required = sum(times[name] for name in REQUIRED)
        rest = times["journey model"] - times["steps table"]
        for what, seconds in (
            (f"required by the design ({' + '.join(REQUIRED)})", required),
            ("the aggregates alone, from a steps table already made", rest),
        ):
            verdict = "above" if seconds > 2 * floor else "within"
            print(f"| {what} | {seconds:.2f} | {seconds / floor:.2f}× ({verdict} the 2× target) |")
        for name, seconds in times.items():
            if name.startswith("friction"):
                print(f"| {name} | {seconds:.2f} | {seconds / floor:.2f}× |")
        left = 6 * floor - times["journey model"]
        print(
            f"\nThe whole analysis may take 6× the floor, {6 * floor:.2f} s: after the model, "
            f"{left:.2f} s ({left / floor:.2f}× the floor) for friction, causes, KPIs and "
            f"satisfaction; the friction ranking alone took {times['friction ranking']:.2f} s "
            f"({times['friction ranking'] / floor:.2f}×)."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1m", "10m"], choices=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument(
        "--dataset", type=Path, help="a dataset file to measure instead (opened read-only)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.dataset, args.repeat, args.threads)))
        return
    # With --dataset, one run on that file; else each size's generated log, imported afresh.
    runs = [(args.dataset.name, args.dataset)] if args.dataset else []
    runs = runs or [(size, ensure_data(size, SIZES[size])) for size in args.sizes]
    for label, path in runs:
        cmd = [sys.executable, __file__, "--child", str(path), "--repeat", str(args.repeat)]
        cmd += ["--threads", *map(str, args.threads)]
        if args.dataset:
            cmd += ["--dataset", str(args.dataset)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"the {label} run failed:\n{out.stderr[-3000:]}")
        report(label, json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
