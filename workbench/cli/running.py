"""What every command does first and last: read the log, build the journeys, report progress,
write the answer."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

import pandas as pd

from workbench.core.errors import WorkbenchError
from workbench.core.periods import parse_span
from workbench.core.progress import Progress
from workbench.core.records import json_rows
from workbench.ingest.load import EventLog
from workbench.ingest.schema import CUSTOMER_ROLES, SURVEY_ROLES, parse_map_args
from workbench.journeys.build import build_journeys
from workbench.journeys.model import JourneyModel, JourneyTables
from workbench.journeys.periods import journeys_between
from workbench.store.datasets import dataset, load_events


def pairs(items: list[str], flag: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise WorkbenchError(f"'{item}' is not NAME=VALUE.", f"Bad {flag} value")
        out[key.strip()] = value.strip()
    return out


def progress_of(args: argparse.Namespace, what: str) -> Progress | None:
    """With --progress, a progress that prints each stage to stderr, e.g. ``' 43%  import:
    Writing the events'``; else None."""
    if not args.progress:
        return None

    def report(done: float, stage: str) -> None:
        print(f"{done:4.0%}  {what}: {stage}", file=sys.stderr, flush=True)

    return report


def build_model(args: argparse.Namespace, log: EventLog) -> JourneyModel:
    model = build_journeys(log, args.session_gap, progress=progress_of(args, "journeys"))
    span = getattr(args, "range", None)
    return model if span is None else journeys_between(model, parse_span(span))


def load_log(args: argparse.Namespace) -> EventLog:
    options: dict[str, Any] = dict(
        mapping=parse_map_args(args.map),
        time_format=args.time_format,
        dayfirst=args.dayfirst,
        delimiter=args.delimiter,
        encoding=args.encoding,
        survey_mapping=parse_map_args(args.survey_map, SURVEY_ROLES.roles, "--survey-map"),
        customer_mapping=parse_map_args(args.customer_map, CUSTOMER_ROLES.roles, "--customer-map"),
        pseudonymise=args.pseudonymise,
        progress=progress_of(args, "import"),
    )
    if args.lifecycle != "complete":  # the default stays out of a kept dataset's key
        options["lifecycle"] = args.lifecycle
    if args.store is not None:
        return dataset(
            args.events,
            folder=args.store,
            surveys=args.surveys,
            customers=args.customers,
            **options,
        )
    return load_events(args.events, surveys=args.surveys, customers=args.customers, **options)


def journeys_json(log: EventLog, model: JourneyModel) -> dict[str, Any]:
    """The JSON document ``journeys`` prints."""
    return model_json(log.report.as_dict(), model)


def model_json(load: dict[str, Any], model: JourneyTables) -> dict[str, Any]:
    """Load accounting, totals and the model's tables (a DuckDB or a Spark journey model)."""
    edges = model.edges.rename(columns={"transitions": "count"})
    variants = model.variants.rename(columns={"journeys": "count"})
    return {
        "load": load,
        "journeys": model.summary(),
        "touchpoints": json_rows(model.touchpoints),
        "edges": json_rows(edges),
        "starts": json_rows(model.starts),
        "ends": json_rows(model.ends),
        "variants": json_rows(variants),
    }


def write_doc(
    args: argparse.Namespace, out: TextIO, doc: dict[str, Any], table: pd.DataFrame
) -> None:
    if args.format == "json":
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        table.to_csv(out, index=False)
