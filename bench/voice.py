"""Benchmark: voice of the customer (contact reasons from free text) at 100k and 1M texts.

Run by hand (``python bench/voice.py``); it is not a test. For each size it writes a log of
one contact per journey and one CSAT survey with a comment per contact (``bench/data/voice-*``,
Parquet, written once): the feedback world's reasons and phrasing
(``tests/worlds/feedback.py``), about a third in Swedish, with a clause of context on half the
comments (an order number, a day, a repeat), a typo in about one word of twelve (as the chat
world's agents write), so that nearly every text differs from every other, and the *invoice*
reason rising from week 18 of 26, mostly at one team. Then, in a fresh process per size, it
loads the log into a dataset file and builds the journeys (timed, not part of the figure), and
times:

- the stages one by one on the built model (``--stages``): finding the texts, detecting their
  language, grouping them into reasons (every source and language, ``group_all``), sentiment
  and the weekly alerts;
- ``wb.reasons(model)`` as a whole, the figure the issue sets (1M texts in under 2 minutes on
  2 cores), on a model that has not computed it before;

sampling the process's resident memory every 10 ms and keeping the peak of each phase. It
prints each time (wall clock, and the CPU time of all the process's threads: on a shared
machine the wall clock also counts the time other work held the cores), the peaks, and how each
time grows from the smallest size to the largest.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from journeys import _PeakMemory  # noqa: E402  (the sampler of the journeys bench beside this file)

import workbench as wb  # noqa: E402
from tests.worlds import chat, feedback  # noqa: E402
from workbench.analyses.voice import language, sentiment, summary, texts, trends  # noqa: E402
from workbench.analyses.voice.grouping import group_all  # noqa: E402

DATA = HERE / "data"
SIZES = {"10k": 10_000, "100k": 100_000, "300k": 300_000, "1m": 1_000_000}
WEEKS = 26
RISING_WEEK = 18
START = datetime(2026, 1, 5)
TEAMS = ["Stockholm 1", "Stockholm 2", "Malmö", "Göteborg"]
CONTEXT = {
    "en": ["order {n}", "since monday", "for the third time", "case {n}", "again this month",
           "on my last bill", "after calling twice", "ref {n}"],
    "sv": ["order {n}", "sedan i måndags", "för tredje gången", "ärende {n}", "igen denna månad",
           "på senaste fakturan", "efter att ha ringt två gånger", "ref {n}"],
}  # fmt: skip


class _Draws:
    """The worlds' draws (``tests/worlds/world.py``) from Python's fast generator."""

    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)

    def u(self) -> float:
        return self._r.random()

    def chance(self, p: float) -> bool:
        return self._r.random() < p

    def pick(self, items: Any, weights: Any = None) -> Any:
        if weights is None:
            return items[int(self._r.random() * len(items))]
        return self._r.choices(items, weights)[0]


def _text(d: _Draws, reason: str, lang: str, mood: str) -> str:
    """A comment about ``reason``: the feedback world's, with context and typos."""
    text = feedback._comment(d, reason, lang, mood)  # type: ignore[arg-type]
    if d.chance(0.5):
        text += " " + d.pick(CONTEXT[lang]).format(n=100000 + int(d.u() * 900000))
    words = text.split()
    return " ".join(chat._typo(d, w) if d.chance(chat.TYPO) else w for w in words)  # type: ignore[arg-type]


def generate(out: Path, n: int, seed: int = 1) -> None:
    """Write ``events.parquet`` and ``surveys.parquet`` with ``n`` commented contacts."""
    d = _Draws(seed)
    reasons = list(feedback.REASONS)
    events: list[tuple[Any, ...]] = []
    surveys: list[tuple[Any, ...]] = []
    per_week = n // WEEKS
    for i in range(n):
        week = min(i // per_week, WEEKS - 1)
        weights = [feedback.REASONS[r][1] for r in reasons]
        rising = week >= RISING_WEEK
        if rising:
            weights[0] *= 3.0
        reason = d.pick(reasons, weights)
        path, _, unhappy = feedback.REASONS[reason]
        touchpoint, channel = path[-1]
        team_weights = [4, 1, 1, 1] if rising and reason == "invoice" else None
        team = d.pick(TEAMS, team_weights)
        ts = START + timedelta(weeks=week, seconds=int(d.u() * 7 * 86400))
        u = d.u()
        mood = "neg" if u < unhappy else ("neu" if u < unhappy + 0.15 else "pos")
        lang = "sv" if d.chance(1 / 3) else "en"
        customer = f"C{int(d.u() * n / 3):07d}"
        events.append((f"E{i:07d}", customer, f"J{i:07d}", touchpoint, channel, ts, team))
        text = _text(d, reason, lang, mood)
        score = feedback._score(d, mood)  # type: ignore[arg-type]
        later = ts + timedelta(hours=2)
        surveys.append(
            (f"S{i:07d}", customer, f"J{i:07d}", f"E{i:07d}", "csat", score, later, text)
        )
    out.mkdir(parents=True, exist_ok=True)
    ev_cols = [
        "event_id",
        "customer_id",
        "journey_id",
        "touchpoint",
        "channel",
        "timestamp",
        "team",
    ]
    sv_cols = ["survey_id", "customer_id", "journey_id", "interaction_id", "kind", "score",
               "timestamp", "comment"]  # fmt: skip
    pd.DataFrame(events, columns=ev_cols).to_parquet(out / "events.parquet")
    pd.DataFrame(surveys, columns=sv_cols).to_parquet(out / "surveys.parquet")


def ensure_data(size: str) -> Path:
    out = DATA / f"voice-{size}"
    if not (out / "surveys.parquet").exists():
        t = time.perf_counter()
        generate(out, SIZES[size])
        print(f"wrote {out} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return out


def child(folder: Path, stages: bool) -> dict[str, Any]:
    """Measure one size in this process (a fresh interpreter per size)."""
    mem = _PeakMemory()
    out: dict[str, Any] = {}
    mem.phase("load")
    t = time.perf_counter()
    db_dir = Path(tempfile.mkdtemp(prefix="wb-voice-bench-"))
    log = wb.load_events(
        folder / "events.parquet",
        surveys=folder / "surveys.parquet",
        database=db_dir / "log.duckdb",
    )
    model = wb.build_journeys(log, keep=False)
    out["load_and_build_s"] = time.perf_counter() - t
    language.detect("warm the language model up")  # loaded once per process (~3 s)

    def timed(name: str, fn: Any) -> Any:
        mem.phase(name)
        start, cpu = time.perf_counter(), time.process_time()
        value = fn()
        out[f"{name}_s"] = time.perf_counter() - start
        out[f"{name}_cpu"] = time.process_time() - cpu
        return value

    if stages:
        found = timed("find_texts", lambda: texts.find_texts(model, []))
        table = found.table
        out["texts"] = len(table)
        table["language"] = timed("language", lambda: language.detect_all(table["text"])).values
        grouping, _ = timed("grouping", lambda: group_all(table["text"], table["language"]))
        table["reason"] = grouping.reason
        feeling = timed("sentiment", lambda: sentiment.sentiment(table, table["language"]))
        table["sentiment"] = feeling.label
        timed("alerts", lambda: trends.alerts(table, {}))
        del found, table, grouping, feeling
        model = wb.build_journeys(log, keep=False)  # a model that has not read its texts
    voice: summary.VoiceOfCustomer = timed("reasons", lambda: wb.reasons(model, columns=[]))
    out["texts"] = len(voice.texts)
    out["reasons_found"] = len(voice.reasons)
    out["alerts"] = voice.alerts[["label", "from", "rate_before", "rate_during", "where"]].to_dict(
        orient="records"
    )
    out["agreement"] = {k: voice.agreement.get(k) for k in ("accuracy", "chance_accuracy")}
    out["peaks_mib"] = {k: round(v) for k, v in mem.stop().items()}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="100k,1m", help=f"comma-separated, of {', '.join(SIZES)}")
    p.add_argument("--stages", action="store_true", help="also time each stage on its own")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args.stages), default=str))
        return
    results: dict[str, dict[str, Any]] = {}
    for size in args.sizes.split(","):
        folder = ensure_data(size)
        cmd = [sys.executable, __file__, "--child", str(folder)]
        done = subprocess.run([*cmd, *(["--stages"] if args.stages else [])],
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"size {size} failed")
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[size]
        times = ", ".join(
            f"{k[:-2]} {v:.1f} s"
            + (f" (CPU {r[k[:-2] + '_cpu']:.1f} s)" if k[:-2] + "_cpu" in r else "")
            for k, v in r.items()
            if k.endswith("_s")
        )
        print(f"{size}: {r['texts']:,} texts, {r['reasons_found']} reasons; {times}")
        print(f"  peak memory (MiB): {r['peaks_mib']}")
        print(f"  agreement: {r['agreement']}")
        for a in r["alerts"]:
            print(f"  alert: {a}")
    sizes = list(results)
    if len(sizes) > 1:
        first, last = results[sizes[0]], results[sizes[-1]]
        ratio = last["texts"] / first["texts"]
        growth = ", ".join(
            f"{k[:-2]} {last[k] / first[k]:.1f}×"
            for k in last
            if k.endswith("_s") and k in first and first[k] > 0
        )
        print(f"growth {sizes[0]} -> {sizes[-1]} ({ratio:.0f}× the texts): {growth}")


if __name__ == "__main__":
    main()
