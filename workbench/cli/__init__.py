"""Command-line interface: ``python -m workbench COMMAND --events FILE ...``.

Commands: ``journeys`` (journey graph, starts, ends, variants), ``friction`` (friction points
ranked by score), ``causes`` (a fishbone of one effect), ``kpis`` (NPS, CSAT, CES, FCR ...),
``satisfaction`` (journey-level vs touchpoint-level measures) and ``funnel`` (journeys reaching
touchpoints in order). Bad input exits with status 2 and prints the problem's title and message
on stderr.

``journeys`` and ``kpis`` also run on Apache Spark (``--engine spark``, local mode unless
``--master`` names a cluster): the same queries, the same answers, for logs beyond one machine.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import duckdb

from workbench.cli.commands import COMMANDS
from workbench.cli.options import build_parser
from workbench.core.db import out_of_memory
from workbench.core.errors import WorkbenchError

__all__ = ["COMMANDS", "main"]

SPARK_COMMANDS = ("journeys", "kpis")


def check_engine(args: argparse.Namespace) -> None:
    if args.engine == "spark" and args.command not in SPARK_COMMANDS:
        raise WorkbenchError(
            f"{args.command} runs on DuckDB only; on Spark, {' and '.join(SPARK_COMMANDS)} run. "
            "Leave out --engine spark.",
            "Not available on Spark",
        )
    if args.master and args.engine != "spark":
        raise WorkbenchError(
            "--master names a Spark cluster; it needs --engine spark.", "No Spark engine"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 2 bad input or usage)."""
    args = build_parser().parse_args(argv)
    command = COMMANDS[args.command]
    try:
        check_engine(args)
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as fh:
                command(args, fh)
        else:
            command(args, sys.stdout)
    except (WorkbenchError, duckdb.OutOfMemoryException) as caught:
        exc = caught if isinstance(caught, WorkbenchError) else out_of_memory(caught)
        print(f"error: {exc.title}\n{exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`: not an error for the user
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from failing at exit
        return 0
    return 0
