"""Each command's work: load, analyse, print JSON (or CSV)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

import pandas as pd

from workbench.cli.running import (
    build_model,
    journeys_json,
    load_log,
    pairs,
    progress_of,
    write_doc,
)
from workbench.cli.spark import journeys_on_spark, kpis_on_spark


def cmd_journeys(args: argparse.Namespace, out: TextIO) -> None:
    if args.engine == "spark":
        journeys_on_spark(args, out)
        return
    log = load_log(args)
    if args.rejects:
        log.rejected_rows().to_csv(args.rejects, index=False)
    model = build_model(args, log)
    if args.format == "json":
        write_doc(args, out, journeys_json(log, model), pd.DataFrame())
        return
    if args.table == "journeys":
        frame = model.journeys()
    elif args.table == "variants":
        frame = model.variants.assign(path=[" > ".join(p) for p in model.variants["path"]])
    else:
        frame = getattr(model, args.table)
    frame.to_csv(out, index=False)


def cmd_friction(args: argparse.Namespace, out: TextIO) -> None:
    from workbench.analyses.friction import rank_friction

    log = load_log(args)
    model = build_model(args, log)
    weights = {k: float(v) for k, v in pairs(args.weight, "--weight").items()}
    ranking = rank_friction(
        model,
        goals=args.goal,
        segment=args.segment,
        long_wait=args.long_wait,
        repeat_window=args.repeat_window,
        weights=weights,
        transfers=args.transfer,
        progress=progress_of(args, "friction"),
        contacts=args.contact,
    )
    doc = {"load": log.report.as_dict(), **ranking.to_json()}
    table = ranking.table.drop(columns=["signals", "cycle", "concentration"])
    write_doc(args, out, doc, table)


def cmd_causes(args: argparse.Namespace, out: TextIO) -> None:
    from workbench.analyses.causes import group_causes

    # FROM..TO; the analysis checks both ends and says what to write when one is not a date
    first, _, last = (args.period or "").partition("..")
    log = load_log(args)
    model = build_model(args, log)
    fishbone = group_causes(
        model,
        args.effect,
        bones=pairs(args.bone, "--bone"),
        goals=args.goal,
        long_wait=args.long_wait,
        repeat_window=args.repeat_window,
        period=(first, last) if args.period is not None else None,
        contacts=args.contact,
    )
    write_doc(args, out, fishbone.to_json(), fishbone.causes)


def cmd_kpis(args: argparse.Namespace, out: TextIO) -> None:
    from workbench.analyses.kpis import kpis

    if args.engine == "spark":
        kpis_on_spark(args, out)
        return
    log = load_log(args)
    model = build_model(args, log)
    table = kpis(
        model,
        by=args.by,
        min_n=args.min_n,
        repeat_window=args.repeat_window,
        survey_window=args.survey_window,
        goals=args.goal,
        contacts=args.contact,
    )
    write_doc(args, out, {"load": log.report.as_dict(), **table.to_json()}, table.table)


def cmd_satisfaction(args: argparse.Namespace, out: TextIO) -> None:
    from workbench.analyses.satisfaction import compare_levels

    log = load_log(args)
    model = build_model(args, log)
    result = compare_levels(
        model,
        args.outcome,
        boots=args.boots,
        survey_window=args.survey_window,
        repeat_window=args.repeat_window,
    )
    write_doc(args, out, result.to_json(), result.measures)


def cmd_report(args: argparse.Namespace, out: TextIO) -> None:
    from workbench.analyses.friction import rank_friction
    from workbench.present.report import build_report

    log = load_log(args)
    model = build_model(args, log)
    ranking = rank_friction(
        model,
        goals=args.goal,
        long_wait=args.long_wait,
        repeat_window=args.repeat_window,
        progress=progress_of(args, "friction"),
    )
    report = build_report(
        model,
        title=args.title,
        goals=args.goal,
        effect=args.effect,
        outcome=args.outcome,
        ranking=ranking,
    )
    out.write(report.html())


def cmd_funnel(args: argparse.Namespace, out: TextIO) -> None:
    from workbench.analyses.funnel import PERIODS, funnel

    log = load_log(args)
    model = build_model(args, log)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()] if args.steps else None
    period = args.by if args.by in PERIODS and args.by not in log.attributes else None
    result = funnel(
        model,
        steps,
        by=None if period else args.by,
        period=period,
        within=args.within,
        start=args.start,
        end=args.end,
    )
    write_doc(args, out, result.to_json(), result.table)


def cmd_reasons(args: argparse.Namespace, out: TextIO) -> None:
    from workbench.analyses.voice import reasons

    log = load_log(args)
    model = build_model(args, log)
    columns = [] if args.no_text_columns else args.text_column
    result = reasons(model, columns)
    write_doc(args, out, result.to_json(), result.reasons.drop(columns=["examples"]))


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], None]] = {
    "journeys": cmd_journeys,
    "friction": cmd_friction,
    "causes": cmd_causes,
    "kpis": cmd_kpis,
    "satisfaction": cmd_satisfaction,
    "report": cmd_report,
    "funnel": cmd_funnel,
    "reasons": cmd_reasons,
}


#: The commands that run on Spark.
