"""How fast an XES log streams in, and in how much memory (run by hand, never in the tests).

``python bench/xes.py --events 1000000`` writes a generated XES log of that many events (traces
of 2-40 events with start/complete pairs, a resource and a cost; seed 1) into ``bench/data/``
once, then, in a fresh process for each, times

- ``read``: the XES reader alone, into a DuckDB file (what streaming costs);
- ``load``: ``load_events`` into a dataset file (reading, lifecycle, types, keys, events),

and prints events per second (of wall-clock and of CPU time: the reader is one Python thread,
so on a busy machine the CPU figure is the steadier one) and the peak resident memory of the
process.
"""

from __future__ import annotations

import argparse
import gzip
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACTIVITIES = [f"Activity {c}" for c in "ABCDEFGHIJKLMNOP"]


def generate(path: Path, events: int, seed: int = 1) -> None:
    """Write ``events`` events of start/complete pairs (and lone completes) as XES."""
    rng = random.Random(seed)
    opener = gzip.open if path.suffix == ".gz" else open
    t0 = datetime(2024, 1, 1)
    n = case = 0
    with opener(path, "wt", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n')
        out.write('  <string key="concept:name" value="bench"/>\n')
        while n < events:
            case += 1
            out.write(f'  <trace>\n    <string key="concept:name" value="case {case}"/>\n')
            out.write(f'    <string key="channel" value="{rng.choice(["web", "phone"])}"/>\n')
            t = t0 + timedelta(minutes=rng.randrange(500_000))
            for _ in range(rng.randrange(1, 20)):
                act = rng.choice(ACTIVITIES)
                transitions = ["start", "complete"] if rng.random() < 0.7 else ["complete"]
                for transition in transitions:
                    t += timedelta(seconds=rng.randrange(1, 3600))
                    out.write(
                        "    <event>\n"
                        f'      <string key="concept:name" value="{act}"/>\n'
                        f'      <date key="time:timestamp" value="{t.isoformat()}.000+01:00"/>\n'
                        f'      <string key="lifecycle:transition" value="{transition}"/>\n'
                        f'      <string key="org:resource" value="R{rng.randrange(50)}"/>\n'
                        f'      <float key="cost" value="{rng.random() * 100:.2f}"/>\n'
                        "    </event>\n"
                    )
                    n += 1
            out.write("  </trace>\n")
        out.write("</log>\n")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(what: str, path: Path) -> None:
    """One measurement, in this process (called in a fresh one by ``main``)."""
    import workbench as wb
    from workbench.core import db
    from workbench.ingest import xes

    base = _peak_mb()
    folder = Path(tempfile.mkdtemp(prefix="xes-bench-"))
    started, cpu = time.perf_counter(), time.process_time()
    if what == "read":
        con = db.connect(folder / "read.duckdb")
        read = xes.read_xes(con, path)
        n = read.events
    else:
        # the case is the customer here until case-only logs need no customer column
        log = wb.load_events(
            path, {"customer": "case:concept:name"}, database=folder / "load.duckdb"
        )
        n = log.report.rows_read
        print("   ", log.report.notes[0] if log.report.notes else "")
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{what:5} {n:>10,} events  {took:6.1f} s  {n / took:>9,.0f} events/s  "
        f"(CPU {cpu:.1f} s: {n / cpu:,.0f} events/s)  "
        f"peak RSS {_peak_mb():,.0f} MB (after imports {base:,.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--gz", action="store_true", help="write and read the log gzipped")
    parser.add_argument("--run", choices=("read", "load"), help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run(args.run, args.path)
        return
    path = HERE / "data" / f"bench-{args.events}.xes{'.gz' if args.gz else ''}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generate(path, args.events)
    print(f"{path.name}: {path.stat().st_size / 1e6:,.0f} MB")
    for what in ("read", "load"):
        cmd = [sys.executable, __file__, "--run", what, "--path", str(path)]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
