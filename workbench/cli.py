"""Command-line interface: ``python -m workbench journeys --events FILE ...``.

Bad input exits with status 2 and prints the problem's title and message on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from workbench.errors import WorkbenchError
from workbench.journeys import JourneyModel, build_journeys
from workbench.load import EventLog, load_events
from workbench.records import json_rows
from workbench.schema import parse_map_args

TABLES = ("edges", "starts", "ends", "variants", "touchpoints", "journeys")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m workbench",
        description="Journey Workbench: rebuild customer journeys from event logs.",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    j = sub.add_parser(
        "journeys",
        help="journeys, journey graph, starts, ends and variants of an event log",
        description="Load an event log and print its journey graph, starts, ends, variants "
        "and touchpoints. JSON uses 'count' for the number of transitions (edges) "
        "and journeys (variants).",
    )
    _add_load_options(j)
    j.add_argument(
        "--session-gap",
        metavar="GAP",
        help="cut journeys at gaps longer than GAP (e.g. 30min, 2h); default: use the "
        "journey column if there is one, else 30min",
    )
    j.add_argument("--format", choices=("json", "csv"), default="json")
    j.add_argument(
        "--table",
        choices=TABLES,
        default="edges",
        help="which table --format csv writes (default: edges)",
    )
    j.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    j.add_argument(
        "--rejects",
        type=Path,
        metavar="FILE",
        help="also write every rejected row (line, row, column, reason) to this CSV",
    )
    return ap


def _add_load_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--events",
        required=True,
        type=Path,
        metavar="FILE",
        help="event log: CSV, TSV, Parquet, JSON or NDJSON",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="map a role (customer, journey, touchpoint, channel, time) to a column; "
        "ROLE= unmaps it; repeatable",
    )
    p.add_argument(
        "--time-format",
        metavar="PATTERN",
        help="strptime pattern such as '%%d.%%m.%%Y %%H:%%M', or iso, dmy, mdy, epoch",
    )
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--day-first",
        dest="dayfirst",
        action="store_const",
        const=True,
        help="read ambiguous dates as day/month/year",
    )
    order.add_argument(
        "--month-first",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="read ambiguous dates as month/day/year",
    )
    p.add_argument("--delimiter", metavar="CHAR", help="field delimiter of a text file")
    p.add_argument("--encoding", metavar="NAME", help="utf-8 (default) or latin-1")


def _load(args: argparse.Namespace) -> EventLog:
    return load_events(
        args.events,
        parse_map_args(args.map),
        time_format=args.time_format,
        dayfirst=args.dayfirst,
        delimiter=args.delimiter,
        encoding=args.encoding,
    )


def journeys_json(log: EventLog, model: JourneyModel) -> dict[str, Any]:
    """The JSON document ``journeys`` prints."""
    edges = model.edges.rename(columns={"transitions": "count"})
    variants = model.variants.rename(columns={"journeys": "count"})
    return {
        "load": log.report.as_dict(),
        "journeys": model.summary(),
        "touchpoints": json_rows(model.touchpoints),
        "edges": json_rows(edges),
        "starts": json_rows(model.starts),
        "ends": json_rows(model.ends),
        "variants": json_rows(variants),
    }


def _cmd_journeys(args: argparse.Namespace, out: TextIO) -> None:
    log = _load(args)
    if args.rejects:
        log.rejected_rows().to_csv(args.rejects, index=False)
    model = build_journeys(log, args.session_gap)
    if args.format == "json":
        json.dump(journeys_json(log, model), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    if args.table == "journeys":
        frame = model.journeys()
    elif args.table == "variants":
        frame = model.variants.assign(path=[" > ".join(p) for p in model.variants["path"]])
    else:
        frame = getattr(model, args.table)
    frame.to_csv(out, index=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 2 bad input or usage)."""
    args = _parser().parse_args(argv)
    try:
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as fh:
                _cmd_journeys(args, fh)
        else:
            _cmd_journeys(args, sys.stdout)
    except WorkbenchError as exc:
        print(f"error: {exc.title}\n{exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`: not an error for the user
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from failing at exit
        return 0
    return 0
