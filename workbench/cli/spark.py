"""The commands that also run on Apache Spark (``--engine spark``)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import pandas as pd

from workbench.cli.running import (
    model_json,
    write_doc,
)
from workbench.core.errors import WorkbenchError
from workbench.core.records import json_rows
from workbench.ingest.schema import CUSTOMER_ROLES, SURVEY_ROLES, parse_map_args


@contextmanager
def on_spark(
    args: argparse.Namespace, what_it_does: str, more: Sequence[str] = ()
) -> Iterator[tuple[Any, Any]]:
    """The Spark module and a session on ``args.master``, after refusing the options the
    Spark engine does not take (``more`` adds refusals of the command's own). When the command
    is done, the session's checkpoint files (with a checkpoint directory) are removed."""
    unsupported = [
        flag
        for flag, given in (
            ("--store", args.store),
            ("--time-format", args.time_format),
            ("--day-first/--month-first", args.dayfirst is not None),
            ("--pseudonymise", args.pseudonymise),
            ("--encoding", args.encoding),
        )
        if given
    ]
    if unsupported or more:
        what = ", ".join([*unsupported, *more])
        raise WorkbenchError(
            f"{what} is not available with --engine spark, which {what_it_does} from ISO 8601 "
            "times. Leave it out, or use the default engine.",
            "Not available on Spark",
        )
    try:
        from workbench.engines import spark as engine
    except ImportError as exc:
        raise WorkbenchError(str(exc), "Spark is not installed") from exc
    session = engine.session(args.master)
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield engine, session
    finally:
        engine.remove_checkpoints(session)


def journeys_on_spark(args: argparse.Namespace, out: TextIO) -> None:
    refused = [
        flag
        for flag, given in (("--surveys", args.surveys), ("--customers", args.customers))
        if given
    ]
    if args.table == "journeys":
        refused.append("--table journeys")
    if args.range is not None:
        refused.append("--period")
    what = "builds the journey model (edges, starts, ends, variants, touchpoints)"
    with on_spark(args, what, refused) as (engine, session):
        model = engine.build_journeys_on_spark(
            session,
            engine.read_events(session, str(args.events), delimiter=args.delimiter),
            mapping=parse_map_args(args.map),
            session_gap=args.session_gap,
        )
    if args.rejects:
        model.rejected.to_csv(args.rejects, index=False)
    if args.format == "json":
        load = spark_load(model.rows, model.rejected)
        doc = {"engine": "spark", **model_json(load, model)}
        write_doc(args, out, doc, pd.DataFrame())
        return
    frame = getattr(model, args.table)
    if args.table == "variants":
        frame = frame.assign(path=[" > ".join(p) for p in frame["path"]])
    frame.to_csv(out, index=False)


def spark_load(rows: int, rejected: pd.DataFrame, **more: Any) -> dict[str, Any]:
    """Row accounting of a file read on Spark, in the keys of the DuckDB load report (and
    ``more`` of them, such as ``unmatched``)."""
    by_reason = (
        rejected.groupby(["reason", "column"], sort=False, dropna=False)
        .agg(rows=("row_no", "size"), first_row=("row_no", "min"))
        .reset_index()
        .sort_values("rows", ascending=False, kind="stable")
    )
    return {
        "rows_read": rows,
        "rows_loaded": rows - len(rejected),
        "rows_rejected": len(rejected),
        **more,
        "rejected_by_reason": json_rows(by_reason),
    }


def kpis_on_spark(args: argparse.Namespace, out: TextIO) -> None:
    what = "computes the KPIs of events, surveys and a customer list"
    with on_spark(args, what) as (engine, session):
        surveys = customers = None
        if args.surveys:
            surveys = engine.read_events(session, str(args.surveys), delimiter=args.delimiter)
        if args.customers:
            customers = engine.read_events(session, str(args.customers), delimiter=args.delimiter)
        result = engine.kpis_on_spark(
            session,
            engine.read_events(session, str(args.events), delimiter=args.delimiter),
            surveys,
            by=args.by,
            min_n=args.min_n,
            repeat_window=args.repeat_window,
            survey_window=args.survey_window,
            mapping=parse_map_args(args.map),
            survey_mapping=parse_map_args(args.survey_map, SURVEY_ROLES.roles, "--survey-map"),
            session_gap=args.session_gap,
            customers=customers,
            customer_mapping=parse_map_args(
                args.customer_map, CUSTOMER_ROLES.roles, "--customer-map"
            ),
        )
    load = spark_load(result.model.rows, result.model.rejected)
    if surveys is not None:
        load["surveys"] = spark_load(result.survey_rows, result.surveys_rejected)
    if result.customers is not None:
        staged = result.customers
        load["customers"] = spark_load(staged.rows, staged.rejected, unmatched=staged.unmatched)
    doc = {
        "engine": "spark",
        "load": load,
        "goals": list(result.goals),
        **result.kpis.to_json(),
    }
    write_doc(args, out, doc, result.kpis.table)


# Each analysis command imports its analysis when it runs, so that `journeys` and `--help` start
# without the statistics and chart libraries (tests/test_toplevel.py).
