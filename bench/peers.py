"""Benchmark: from a log file to a journey model, this project against the tools a user would use.

Run by hand (``make bench-peers`` or ``python bench/peers.py``); it is not a test. Every tool does
the same job on the same Parquet file of three columns (``case_id``, ``activity``,
``timestamp``): read it, and return the directly-follows edges with their counts and the median
time between the two steps, and the variants (each case's sequence of activities) with their
counts.

- **ours**: ``wb.load_events(file)`` (in memory, every row accounted for) and
  ``wb.build_journeys(log)``, in the product's environment;
- **pm4py**: ``read_parquet``, ``format_dataframe``, ``discover_dfg``,
  ``discover_performance_dfg`` and ``get_variants``;
- **pandas**: a plain sort, ``groupby().shift(-1)``, ``groupby().agg()`` implementation;
- **retentioneering**: its ``Eventstream`` and transition counts, when it installs;
- **floor**: DuckDB alone, one ``lead(activity) over (partition by case_id order by timestamp)``
  over the file, counted and thrown away: the least work any journey model must do.

The peers run in their own environment (``bench/.venv-peers``, which ``make bench-peers`` creates
from the registry); they are never dependencies of the product, which never imports them (pm4py is
AGPL). Each tool runs in a fresh process per run, the tools in turn (ours, pm4py, pandas, ...,
then again), ``--repeat`` times, and the median wall time of the process -- Python's start-up and
imports included, as a user waits for it -- is kept, beside the median time of the job itself
inside the process and the process's CPU time (every thread; steadier than the wall time on a
busy machine). Before it prints a ratio it checks that every tool found the same number of
edges, the same total of edge counts, the same number of variants and the same count of the most
frequent variant (and the same median time of the most frequent edge), and stops with the
figures of each tool when they differ.

The logs are made from the sample generator's logs (``bench/journeys.py``'s, seed 1, cached in
``bench/data/``): its journey id is the case, its touchpoint the activity.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SIZES = {"100k": 100_000, "1m": 1_000_000, "3m": 3_000_000, "10m": 10_000_000}
PEERS_PYTHON = HERE / ".venv-peers" / "bin" / "python"
PEERS = ("pm4py", "pandas", "retentioneering")
CASE, ACTIVITY, TIME = "case_id", "activity", "timestamp"
FLOOR = (
    "select count(nx) from (select lead(activity) over "
    "(partition by case_id order by timestamp) as nx from read_parquet($path))"
)
#: What every tool must agree on before a ratio is printed.
COUNTS = ("edges", "transitions", "variants", "top_variant")


# -- the jobs, one per tool; each runs in its own process and returns its counts -------------------


def _summary(
    edges: dict[tuple[str, str], tuple[int, float]], variants: list[int]
) -> dict[str, Any]:
    """The figures every tool must agree on, from ``(source, target) -> (count, median s)`` and
    the variants' counts."""
    top_edge = max(edges.items(), key=lambda kv: (kv[1][0], kv[0]))
    return {
        "edges": len(edges),
        "transitions": int(sum(c for c, _ in edges.values())),
        "variants": len(variants),
        "top_variant": int(max(variants)),
        "top_edge": list(top_edge[0]),
        "top_edge_median_s": float(top_edge[1][1]),
    }


def job_ours(path: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import workbench as wb

    log = wb.load_events(path)
    model = wb.build_journeys(log, keep=False)
    e = model.edges
    edges = {
        (str(s), str(t)): (int(n), float(m))
        for s, t, n, m in zip(
            e["source"], e["target"], e["transitions"], e["median_seconds"], strict=True
        )
    }
    return _summary(edges, [int(n) for n in model.variants["journeys"]])


def job_pm4py(path: Path) -> dict[str, Any]:
    import pandas as pd
    import pm4py

    df = pd.read_parquet(path)
    df = pm4py.format_dataframe(df, case_id=CASE, activity_key=ACTIVITY, timestamp_key=TIME)
    dfg, _starts, _ends = pm4py.discover_dfg(df)
    perf, _starts, _ends = pm4py.discover_performance_dfg(df)
    variants = pm4py.get_variants(df)
    edges = {(str(s), str(t)): (int(n), float(perf[(s, t)]["median"])) for (s, t), n in dfg.items()}
    return _summary(edges, [int(n) for n in variants.values()])


def job_pandas(path: Path) -> dict[str, Any]:
    import pandas as pd

    df = pd.read_parquet(path, columns=[CASE, ACTIVITY, TIME])
    df = df.sort_values([CASE, TIME], kind="stable")
    by_case = df.groupby(CASE, sort=False)
    df["next_activity"] = by_case[ACTIVITY].shift(-1)
    df["seconds"] = (by_case[TIME].shift(-1) - df[TIME]).dt.total_seconds()
    moves = df.dropna(subset=["next_activity"])
    agg = moves.groupby([ACTIVITY, "next_activity"])["seconds"].agg(["size", "median"])
    edges = {(str(s), str(t)): (int(n), float(m)) for (s, t), (n, m) in agg.iterrows()}
    variants = by_case[ACTIVITY].agg(tuple).value_counts()
    return _summary(edges, [int(n) for n in variants])


#: The events retentioneering adds at each path's ends; its graph counts the moves to them.
SYNTHETIC = {"path_start", "path_end"}


def job_retentioneering(path: Path) -> dict[str, Any]:
    import pandas as pd
    from retentioneering.eventstream import Eventstream

    df = pd.read_parquet(path, columns=[CASE, ACTIVITY, TIME])
    schema = {"path_cols": [CASE], "event_col": ACTIVITY, "timestamp_col": TIME}
    stream = Eventstream(df, schema=schema)
    counts = stream.transition_graph_data(edge_weight="count")
    medians = stream.transition_graph_data(edge_weight="time_median")
    edges = {
        (str(s), str(t)): (int(n), pd.Timedelta(medians.loc[s, t]).total_seconds())
        for (s, t), n in counts.stack().items()
        if n > 0 and s not in SYNTHETIC and t not in SYNTHETIC
    }
    # It has no variants of its own: count its paths (its event order) as pandas would.
    frame = stream.to_dataframe()
    variants = frame.groupby(CASE, sort=False)[ACTIVITY].agg(tuple).value_counts()
    return _summary(edges, [int(n) for n in variants])


def job_floor(path: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    row = con.execute(FLOOR, {"path": str(path)}).fetchone()
    return {"lead_rows": int(row[0]) if row else 0}


JOBS = {
    "ours": job_ours,
    "pm4py": job_pm4py,
    "pandas": job_pandas,
    "retentioneering": job_retentioneering,
    "floor": job_floor,
}


def child(tool: str, path: Path) -> dict[str, Any]:
    """Run one tool's job in this process: its counts and the job's own time (no start-up)."""
    t = time.perf_counter()
    out = JOBS[tool](path)
    out["job_s"] = time.perf_counter() - t
    return out


# -- the parent: logs, runs in turn, agreement, ratios ---------------------------------------------


def ensure_log(name: str) -> Path:
    """The (case_id, activity, timestamp) Parquet log of a size, made once from the sample
    generator's log of that size."""
    sys.path.insert(0, str(HERE))
    import duckdb
    from journeys import ensure_data

    path = DATA / f"peers_{name}.parquet"
    if not path.exists():
        source = ensure_data(name, SIZES[name])
        con = duckdb.connect()
        rel = con.read_parquet(str(source)).select(
            f"journey_id as {CASE}, touchpoint as {ACTIVITY}, timestamp as {TIME}"
        )
        rel.write_parquet(str(path))
    return path


def _python(tool: str) -> str:
    return str(PEERS_PYTHON) if tool in PEERS else sys.executable


def _available(tools: list[str]) -> list[str]:
    """The tools that can run here: a peer needs its package in the peers' environment."""
    keep = []
    for tool in tools:
        if tool in PEERS:
            probe = [_python(tool), "-c", f"import {tool}"]
            if not PEERS_PYTHON.exists() or subprocess.run(probe, capture_output=True).returncode:
                print(f"{tool}: not installed in {PEERS_PYTHON.parent.parent}; left out")
                continue
        keep.append(tool)
    return keep


def _children_cpu() -> float:
    """CPU seconds used so far by the finished child processes (every thread of each)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(tool: str, path: Path) -> dict[str, Any]:
    """One fresh process of ``tool`` on ``path``; its wall time includes Python's start-up."""
    cmd = [_python(tool), __file__, "--child", tool, "--file", str(path)]
    # retentioneering reports each call to a remote analytics service unless told not to
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "RETENTIONEERING_NO_TRACK": "1"}
    cpu = _children_cpu()
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    cpu = _children_cpu() - cpu
    if out.returncode != 0:
        sys.exit(f"{tool} failed on {path.name}:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["cpu_s"] = cpu
    return result


def check_agreement(name: str, runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Every run of every tool found the same counts (and the same median of the top edge,
    within a second); otherwise stop and show each tool's figures."""
    figures = {
        tool: {k: r[k] for k in (*COUNTS, "top_edge", "top_edge_median_s")}
        for tool, rs in runs.items()
        if tool != "floor"
        for r in rs
    }
    first = next(iter(figures.values()))
    differ = [
        tool
        for tool, f in figures.items()
        if any(f[k] != first[k] for k in (*COUNTS, "top_edge"))
        or abs(f["top_edge_median_s"] - first["top_edge_median_s"]) > 1.0
    ]
    for tool, rs in runs.items():
        if tool != "floor" and any(r[k] != rs[0][k] for r in rs for k in COUNTS):
            differ.append(f"{tool} (from run to run)")
    # The floor's lead() pairs each event with the next of its case: one pair per move.
    floor = {r["lead_rows"] for r in runs.get("floor", [])}
    if floor and floor != {first["transitions"]}:
        differ.append(f"floor (lead rows {sorted(floor)})")
    if differ:
        table = "\n".join(f"  {tool:>16}: {json.dumps(f)}" for tool, f in figures.items())
        sys.exit(f"{name}: the tools disagree ({', '.join(differ)}); no ratio printed:\n{table}")
    return first


def measure(name: str, tools: list[str], repeat: int) -> dict[str, Any]:
    path = ensure_log(name)
    runs: dict[str, list[dict[str, Any]]] = {tool: [] for tool in tools}
    for i in range(repeat):
        for tool in tools:
            r = run_once(tool, path)
            runs[tool].append(r)
            print(
                f"  {name} run {i + 1}: {tool:>16} {r['wall_s']:7.2f} s (CPU {r['cpu_s']:.2f} s)",
                flush=True,
            )
    agreed = check_agreement(name, runs)
    wall = {t: statistics.median(r["wall_s"] for r in rs) for t, rs in runs.items()}
    job = {t: statistics.median(r["job_s"] for r in rs) for t, rs in runs.items()}
    cpu = {t: statistics.median(r["cpu_s"] for r in rs) for t, rs in runs.items()}
    return {
        "size": name,
        "file": str(path),
        "counts": agreed,
        "lead_rows": int(runs["floor"][0]["lead_rows"]),
        "wall_s": wall,
        "job_s": job,
        "cpu_s": cpu,
        "all_wall_s": {t: [r["wall_s"] for r in rs] for t, rs in runs.items()},
    }


def report(result: dict[str, Any]) -> None:
    c, wall, job, cpu = result["counts"], result["wall_s"], result["job_s"], result["cpu_s"]
    print(
        f"\n{result['size']}: {c['transitions']:,} moves in {c['edges']:,} edges, "
        f"{c['variants']:,} variants (the most frequent {c['top_variant']:,} cases): "
        "every tool agrees"
    )
    print(f"  {'tool':>16} {'process':>10} {'job':>10} {'CPU':>10}   (medians of the runs)")
    for tool in wall:
        print(f"  {tool:>16} {wall[tool]:>9.2f}s {job[tool]:>9.2f}s {cpu[tool]:>9.2f}s")

    def ratios(a: str, b: str) -> str:
        return (
            f"{wall[a] / wall[b]:.1f}x (process), {job[a] / job[b]:.1f}x (job), "
            f"{cpu[a] / cpu[b]:.1f}x (CPU)"
        )

    for tool in (t for t in wall if t in PEERS):
        print(f"  {tool} / ours: {ratios(tool, 'ours')}")
    print(f"  ours / floor: {ratios('ours', 'floor')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1m,3m", help="comma-separated: " + ", ".join(SIZES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tools", default="ours,pm4py,pandas,retentioneering,floor")
    ap.add_argument("--child", choices=sorted(JOBS), help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file)))
        return
    tools = _available(args.tools.split(","))
    for needed in ("ours", "floor"):
        if needed not in tools:
            sys.exit(f"--tools must include {needed}: every ratio is to ours or to the floor")
    results = [measure(name, tools, args.repeat) for name in args.sizes.split(",")]
    for result in results:
        report(result)
    print("\nraw:", json.dumps(results))


if __name__ == "__main__":
    main()
