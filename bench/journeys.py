"""Benchmark: the journey model and every analysis against the floor of any journey model.

Run by hand (``make bench`` or ``python bench/journeys.py``); it is not a test. For each size it
generates an event log with the sample generator (cached in ``bench/data/``), then, in a fresh
process per size:

- imports the Parquet events, surveys and customers into a dataset file with ``load_events``
  (timed once), closes it and times ``open_dataset`` (what every later visit costs),
- times the floor -- one ``lead(touchpoint) over (partition by customer order by time)`` over
  every event, counted so DuckDB cannot skip it -- and ``build_journeys``, alternating them
  ``--repeat`` times and keeping the median of each (a build that keeps nothing),
- times the first build that keeps the model in the dataset file, then closes the dataset and
  times reopening it with its kept model; the rest runs on that reopened model, as every later
  app session does,
- times what the journey-map controls cost on the built model (sliders, focus, variant),
- times the segment-vs-rest map: the first pick of an attribute, another of its values, then
  a second attribute (two values each),
- then, once each on the model, the analyses: friction ranking, the causes of the top friction
  point, the KPIs by month and the journey-versus-touchpoint comparison for NPS,
- closes the dataset and times a later session: reopening it with its kept model, then the
  same four analyses from the counts the first session kept,
- samples the process's resident memory every 10 ms and keeps the peak of each phase.

It prints each time, its ratio to the floor measured in the same run, the peaks, and how each
time grows from the smallest to the largest size (linear growth is a ratio close to the size
ratio).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SIZES = {"1m": 1_000_000, "10m": 10_000_000}
FLOOR = (
    "select count(nx) from (select lead(touchpoint) over "
    "(partition by customer_id order by ts) as nx from events)"
)


def _rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class _PeakMemory:
    """Samples resident memory in a thread; ``phase(name)`` starts a new peak."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self.current = "start"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _rss_mib()
            self.peaks[self.current] = max(self.peaks.get(self.current, 0.0), rss)
            time.sleep(0.01)

    def phase(self, name: str) -> None:
        self.current = name
        self.peaks[name] = max(self.peaks.get(name, 0.0), _rss_mib())

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return self.peaks


def child(path: Path, repeat: int, memory_limit: str | None) -> dict[str, Any]:
    """Measure one log in this process (called in a fresh interpreter per size)."""
    sys.path.insert(0, str(ROOT))
    import workbench as wb
    from workbench.analyses.causes import effects_for
    from workbench.core.db import quote_ident
    from workbench.journeys.segments import segment_attributes

    # The analyses' modules load scipy and Altair once per process (about 3.5 s here), as the
    # app does when it starts; that is not the analyses' time, so load them before timing.
    for name in ("rank_friction", "group_causes", "kpis", "compare_levels", "compare_segment"):
        getattr(wb, name)

    mem = _PeakMemory()
    mem.phase("import")
    t = time.perf_counter()
    context = {"surveys": path.with_name("surveys.parquet")}
    context["customers"] = path.with_name("customers.parquet")
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="wb-bench-"))
    log = wb.load_events(path, **context, database=folder / "log.duckdb", memory_limit=memory_limit)
    import_s = time.perf_counter() - t
    log.con.close()
    mem.phase("reopen")
    t = time.perf_counter()
    log = wb.open_dataset(folder / "log.duckdb", memory_limit=memory_limit)
    reopen_s = time.perf_counter() - t
    cur = log.cursor()
    floors, builds = [], []
    n_journeys = 0
    for _ in range(repeat):
        mem.phase("floor")
        t = time.perf_counter()
        cur.execute(FLOOR).fetchall()
        floors.append(time.perf_counter() - t)
        mem.phase("model")
        t = time.perf_counter()
        model = wb.build_journeys(log, keep=False)
        builds.append(time.perf_counter() - t)
        n_journeys = model.n_journeys
        del model
    # The first build in a dataset keeps the model in its file; every later session reopens it.
    mem.phase("keep")
    t = time.perf_counter()
    model = wb.build_journeys(log)
    keep_s = time.perf_counter() - t
    del model
    log.con.close()
    mem.phase("reopen model")
    t = time.perf_counter()
    log = wb.open_dataset(folder / "log.duckdb", memory_limit=memory_limit)
    model = wb.build_journeys(log)
    reopen_model_s = time.perf_counter() - t
    cur = log.cursor()
    analyses: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        mem.phase(name)
        t = time.perf_counter()
        out = fn()
        analyses[name] = time.perf_counter() - t
        return out

    # What a slider, a focus or a variant pick costs once the model is built (the app caches
    # each answer; these are first-time answers): the median over a handful of settings.
    mem.phase("interaction")
    focus = str(model.touchpoints["touchpoint"].iloc[0])
    settings = [(60, 30, None, None), (100, 100, None, None), (40, 10, focus, None)]
    settings += [(60, 30, None, 1), (80, 50, None, 3)]
    clicks = []
    for tp, paths, on, variant in settings:
        t = time.perf_counter()
        wb.journey_graph(model, tp, paths, focus=on, variant=variant)
        clicks.append(time.perf_counter() - t)
    # The segment-vs-rest map: the first pick of an attribute (which also gathers each
    # journey's transitions, once per model), switching to another value, another attribute.
    picks = []
    for attribute in segment_attributes(model)[:2]:
        q = quote_ident(attribute)
        table = "events" if attribute in log.attributes else "customers"
        top = cur.execute(
            f"select cast({q} as varchar) from {table} where {q} is not null "
            "group by 1 order by count(*) desc, 1 limit 2"
        ).fetchall()
        for (value,) in top:
            t = time.perf_counter()
            wb.compare_segment(model, attribute, value)
            picks.append((f"{attribute} = {value}", time.perf_counter() - t))
    ranking = timed("friction", lambda: wb.rank_friction(model))
    effect = effects_for(ranking)[0]
    timed("causes", lambda: wb.group_causes(model, effect))
    timed("kpis", lambda: wb.kpis(model, by="month"))
    timed("satisfaction", lambda: wb.compare_levels(model, "nps"))
    # A later session on the same dataset: the kept model, and the counts the analyses kept.
    del model, ranking
    log.con.close()
    mem.phase("later session")
    later: dict[str, float] = {}
    t = time.perf_counter()
    log = wb.open_dataset(folder / "log.duckdb", memory_limit=memory_limit)
    model = wb.build_journeys(log)
    later["model"] = time.perf_counter() - t
    for name, fn in (
        ("friction", lambda: wb.rank_friction(model)),
        ("causes", lambda: wb.group_causes(model, effect)),
        ("kpis", lambda: wb.kpis(model, by="month")),
        ("satisfaction", lambda: wb.compare_levels(model, "nps")),
    ):
        t = time.perf_counter()
        fn()
        later[name] = time.perf_counter() - t
    mem.phase("done")
    peaks = mem.stop()
    log.con.close()
    shutil.rmtree(folder, ignore_errors=True)  # a 10M dataset is half a gigabyte
    return {
        "events": log.n_events,
        "journeys": n_journeys,
        "import_s": import_s,
        "reopen_s": reopen_s,
        "floor_s": statistics.median(floors),
        "model_s": statistics.median(builds),
        "floor_all": floors,
        "model_all": builds,
        "keep_s": keep_s,
        "later_s": later,
        "reopen_model_s": reopen_model_s,
        "analyses_s": analyses,
        "interaction_s": statistics.median(clicks),
        "interaction_max_s": max(clicks),
        "segment_picks": picks,
        "effect": effect,
        "peak_mib": {k: round(v) for k, v in peaks.items() if k != "start"},
    }


def _seconds(r: dict[str, Any]) -> dict[str, float]:
    return {
        "import": r["import_s"],
        "reopen": r["reopen_s"],
        "floor": r["floor_s"],
        "model": r["model_s"],
        **r["analyses_s"],
    }


def ensure_data(name: str, events: int) -> Path:
    folder = DATA / f"events_{name}"
    path = folder / "events.parquet"
    if not path.exists():
        print(f"generating {events:,} events into {folder} (once) ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "sample_data" / "generate.py"),
                "--events",
                str(events),
                "--seed",
                "1",
                "--format",
                "parquet",
                "--out",
                str(folder),
            ],
            check=True,
        )
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1m,10m", help="comma-separated: " + ", ".join(SIZES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--memory-limit",
        default=None,
        help="DuckDB's memory cap (e.g. 4GB, or none for DuckDB's own 80%% of memory); larger "
        "work spills beside the dataset file; default: the workbench's (800MB, or "
        "$WORKBENCH_MEMORY_LIMIT)",
    )
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.repeat, args.memory_limit)))
        return
    results = {}
    for name in args.sizes.split(","):
        path = ensure_data(name, SIZES[name])
        cmd = [sys.executable, __file__, "--child", str(path), "--repeat", str(args.repeat)]
        if args.memory_limit:
            cmd += ["--memory-limit", args.memory_limit]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"the {name} run failed:\n{out.stderr[-3000:]}")
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    phases = ["import", "reopen", "floor", "model", "friction", "causes", "kpis", "satisfaction"]
    print(f"\n{'size':>5} {'events':>11} {'journeys':>10}  " + "".join(f"{p:>13}" for p in phases))
    for name, r in results.items():
        secs = _seconds(r)
        print(
            f"{name:>5} {r['events']:>11,} {r['journeys']:>10,}  "
            + "".join(f"{secs[p]:>12.2f}s" for p in phases)
        )
        ratios = "".join(f"{secs[p] / r['floor_s']:>12.1f}x" for p in phases)
        print(f"{'':>5} {'x floor':>11} {'':>10}  {ratios}")
        whole = sum(secs[p] for p in phases[3:])
        print(
            f"{'':>5} whole analysis (model + analyses): {whole:.2f} s = "
            f"{whole / r['floor_s']:.1f}x the floor; a map interaction "
            f"{r['interaction_s']:.3f} s (median; slowest {r['interaction_max_s']:.3f} s); "
            "peak MiB " + ", ".join(f"{k} {v:,}" for k, v in r["peak_mib"].items())
        )
        first = {"import": r["import_s"], "model (kept)": r["keep_s"]}
        first.update(
            (k, r["analyses_s"][k]) for k in ("friction", "causes", "kpis", "satisfaction")
        )
        print(
            f"{'':>5} first full analysis of a new file: {sum(first.values()):.2f} s (target: "
            "under 30 s at 10M events) = " + " + ".join(f"{k} {v:.2f}" for k, v in first.items())
        )
        print(
            f"{'':>5} the first build in a dataset, keeping the model in its file: "
            f"{r['keep_s']:.2f} s ({r['keep_s'] / r['model_s']:.2f}x a build); reopening the "
            f"dataset with its kept model: {r['reopen_model_s']:.2f} s"
        )
        print(
            f"{'':>5} a later session on the dataset (kept model and counts): "
            + ", ".join(f"{k} {v:.2f} s" for k, v in r["later_s"].items())
        )
        print(
            f"{'':>5} segment vs rest (in turn): "
            + ", ".join(f"{what} {s:.3f} s" for what, s in r["segment_picks"])
        )
    names = list(results)
    if len(names) > 1:
        a, b = results[names[0]], results[names[-1]]
        sa, sb = _seconds(a), _seconds(b)
        print(
            f"\ngrowth {names[0]} -> {names[-1]} ({b['events'] / a['events']:.1f}x the events): "
            + ", ".join(f"{p} {sb[p] / sa[p]:.1f}x" for p in phases)
        )
    print("\nraw:", json.dumps(results))


if __name__ == "__main__":
    main()
