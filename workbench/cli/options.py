"""The command line's commands and options, as argparse declares them."""

from __future__ import annotations

import argparse
from pathlib import Path

TABLES = ("edges", "starts", "ends", "variants", "touchpoints", "journeys")


def build_parser() -> argparse.ArgumentParser:
    """The command line: each command's help, description and own options are declared by
    its ``_add_<command>_command``; the options several commands share by ``_add_*_options``."""
    ap = argparse.ArgumentParser(
        prog="python -m workbench",
        description="Journey Workbench: rebuild customer journeys from event logs and find "
        "what hurts them.",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_journeys_command(sub)
    _add_friction_command(sub)
    _add_causes_command(sub)
    _add_kpis_command(sub)
    _add_satisfaction_command(sub)
    _add_report_command(sub)
    _add_funnel_command(sub)
    _add_reasons_command(sub)
    return ap


def _add_journeys_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    j = sub.add_parser(
        "journeys",
        help="journeys, journey graph, starts, ends and variants of an event log",
        description="Load an event log and print its journey graph, starts, ends, variants "
        "and touchpoints. JSON uses 'count' for the number of transitions (edges) and "
        "journeys (variants).",
    )
    _add_load_options(j)
    _add_range_option(j)
    j.add_argument(
        "--table",
        choices=TABLES,
        default="edges",
        help="which table --format csv writes (default: edges)",
    )
    j.add_argument(
        "--rejects",
        type=Path,
        metavar="FILE",
        help="also write every rejected row (line, row, column, reason) to this CSV",
    )


def _add_friction_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    f = sub.add_parser(
        "friction",
        help="friction points ranked by how many customers they cost",
        description="Rank friction points (drop-offs, loops, long waits, transfers, "
        "unresolved and repeat contacts, channel switches) by score = weight x customers "
        "affected x (rate - base rate) / rate. JSON: {'friction': [...]} sorted by score.",
    )
    _add_load_options(f)
    _add_analysis_options(f)
    _add_range_option(f)
    _add_contact_option(f)
    f.add_argument(
        "--segment",
        metavar="ATTRIBUTE",
        help="rank within each value of this attribute (e.g. device)",
    )
    f.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="SIGNAL=W",
        help="weight of a signal in the score (default channel_switch=0.25)",
    )
    f.add_argument(
        "--transfer",
        action="append",
        metavar="STEP",
        help="a touchpoint that is a transfer, an escalation or a second line: a contact "
        "followed by it counts as transferred (repeat for several; default: recognised by "
        "their names, e.g. 'Second-line transfer', 'Eskalering')",
    )


def _add_causes_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser(
        "causes",
        help="causes of an effect, grouped Ishikawa-style on six bones",
        description="Group the causes of an effect on the bones People, Process, Channel & "
        "technology, Policy & information, Time & environment and Customer. Effects: "
        "friction:<signal>:<point> (e.g. 'friction:unresolved:Support call'), "
        "no_goal:<touchpoint> (journeys heading to it that do not reach it), "
        "not_reached:<touchpoint> (all journeys that never reach it, e.g. 'not_reached:purchase': "
        "who does not buy), has:<touchpoint>, reason:<label> (journeys whose customers wrote "
        "a reason, labelled as `reasons` prints it, e.g. 'reason:fee / invoice / warning'), "
        "low_csat, detractor, churned.",
    )
    _add_load_options(c)
    _add_analysis_options(c)
    _add_contact_option(c)
    c.add_argument("--effect", required=True, metavar="EFFECT")
    c.add_argument(
        "--period",
        metavar="FROM..TO",
        help="count only the contacts, journeys or customers of this period, both days "
        "included, e.g. 2026-05-04..2026-06-28 (default: the whole log)",
    )
    c.add_argument(
        "--bone",
        action="append",
        default=[],
        metavar="ATTRIBUTE=BONE",
        help="move an attribute to another bone, e.g. queue='Policy & information'",
    )


def _add_kpis_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    k = sub.add_parser(
        "kpis",
        help="conversion, journey length and duration, NPS, CSAT, CES, first-contact resolution",
        description="The KPIs with the number behind each figure, a 95 %% interval and a "
        "warning when the number is too small to trust; overall or split --by channel, month, "
        "week or an attribute (team, segment ...). Every log gets conversion to each goal, "
        "journey length and duration, time to goal and repeat visits; contacts give "
        "first-contact resolution and repeat contacts; surveys give NPS, CSAT and CES.",
    )
    _add_load_options(k)
    k.add_argument("--by", metavar="SPLIT", help="channel, month, week or an attribute")
    k.add_argument(
        "--goal",
        action="append",
        default=None,
        metavar="TOUCHPOINT",
        help="a touchpoint that means success (repeatable); guessed when not given",
    )
    _add_contact_option(k)
    k.add_argument(
        "--min-n",
        type=int,
        default=30,
        metavar="N",
        help="warn when a figure rests on fewer than N answers (default 30)",
    )
    _add_window_options(k)


def _add_satisfaction_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser(
        "satisfaction",
        help="journey-level vs touchpoint-level measures: which predicts the outcome better",
        description="Compare how strongly journey-level measures (effort, contacts, switches, "
        "loops, waiting, completion, journey CSAT) and touchpoint-level measures (CSAT and CES "
        "of single interactions) predict an outcome, out of sample, with bootstrap intervals. "
        "JSON: {outcome, n, journey_level, touchpoint_level, difference, verdict, measures}.",
    )
    _add_load_options(s)
    s.add_argument("--outcome", required=True, choices=("nps", "detractor", "churn", "revenue"))
    s.add_argument("--boots", type=int, default=1000, help="bootstrap resamples (default 1000)")
    _add_window_options(s)


def _add_report_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser(
        "report",
        help="a self-contained HTML report of the whole analysis",
        description="One HTML file that opens offline in any browser: data provenance and row "
        "accounting, KPIs with trends, the journey map and variants, the top friction points, "
        "the fishbone of the top one (or --effect) and the journey-versus-touchpoint verdict.",
    )
    _add_load_options(r)
    _add_analysis_options(r)
    r.add_argument("--effect", metavar="EFFECT", help="the fishbone's effect (see causes)")
    r.add_argument(
        "--outcome",
        choices=("nps", "detractor", "churn", "revenue"),
        help="outcome for journey versus touchpoint (default: nps, else churn)",
    )
    r.add_argument("--title", default="Customer journey report", help="the report's heading")


def _add_funnel_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    f = sub.add_parser(
        "funnel",
        help="how many journeys reach a few touchpoints in order, and where they stop",
        description="A funnel: journeys reaching each step in order (other touchpoints may "
        "come between), conversion from the first and from the previous step with 95 %% "
        "intervals, journeys lost and the time each step takes; overall or split --by an "
        "attribute, week or month. Without --steps, the most common path to a goal. JSON: "
        "{steps, params, table, sentence}.",
    )
    _add_load_options(f)
    f.add_argument(
        "--steps",
        metavar="A,B,C",
        help="the touchpoints in order, comma-separated (default: the most common path to a goal)",
    )
    f.add_argument(
        "--by", metavar="SPLIT", help="an attribute (device, segment ...), week or month"
    )
    f.add_argument(
        "--within", metavar="DURATION", help="every step at most this long after the first (1d)"
    )
    f.add_argument("--start", metavar="DATE", help="journeys starting on or after this date")
    f.add_argument("--end", metavar="DATE", help="journeys starting on or before this date")


def _add_reasons_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser(
        "reasons",
        help="contact reasons and sentiment from what customers wrote, and rising reasons",
        description="Group survey comments and free-text event columns into contact reasons "
        "(per language, offline), read their sentiment (learned from the scores given with "
        "them, or a lexicon) and alert on reasons rising week by week. Phone numbers, e-mail "
        "addresses and personnummer are masked. JSON: {language, sentiment_method, "
        "sentiment_agreement, reasons: [{label, terms, count, share, negative_share, examples, "
        "by_week}], alerts: [{label, from, to, rate_before, rate_during, where, explanation}], "
        "left_out}.",
    )
    _add_load_options(r)
    r.add_argument(
        "--text-column",
        action="append",
        default=None,
        metavar="ATTRIBUTE",
        help="an event column holding free text (repeatable); found by its look when not given",
    )
    r.add_argument(
        "--no-text-columns",
        action="store_true",
        help="read the survey comments only",
    )


def _add_engine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="duckdb (default, this computer) or spark (the same queries on Apache Spark; "
        "needs the spark extra and Java; journeys and kpis only)",
    )
    p.add_argument(
        "--master",
        metavar="URL",
        help="with --engine spark: the cluster's master URL (default: local mode on every core)",
    )


def _add_window_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--survey-window",
        default="7d",
        metavar="DURATION",
        help="a survey counts for the customer's journey that ended at most this "
        "long before it, when it names no journey or interaction (default 7d)",
    )
    p.add_argument(
        "--repeat-window",
        default="7d",
        metavar="DURATION",
        help="a contact followed by another within this is repeated (default 7d)",
    )


def _add_load_options(p: argparse.ArgumentParser) -> None:
    """The options every command takes: what to load and how, the engine, the output."""
    _add_source_options(p)
    _add_time_options(p)
    _add_reading_options(p)
    _add_engine_options(p)
    _add_output_options(p)


def _add_source_options(p: argparse.ArgumentParser) -> None:
    """The files to load (events, surveys, customers) and how their columns map to roles."""
    p.add_argument(
        "--events",
        required=True,
        type=Path,
        metavar="FILE",
        help="event log: CSV, TSV, Parquet, JSON, NDJSON or XES (.xes, .xes.gz)",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="map an event role (customer, journey, touchpoint, channel, time) to a "
        "column; ROLE= unmaps it; repeatable. A customer or a journey (case) column is "
        "enough: with only a case id, each case is its own customer",
    )
    p.add_argument(
        "--surveys",
        type=Path,
        metavar="FILE",
        help="survey responses (NPS, CSAT, CES) to load beside the events",
    )
    p.add_argument(
        "--survey-map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="map a survey role (customer, journey, interaction, touchpoint, kind, "
        "score, time, comment) to a column of the survey file",
    )
    p.add_argument(
        "--customers",
        type=Path,
        metavar="FILE",
        help="customer list (segment, tenure, plan, revenue, churned ...)",
    )
    p.add_argument(
        "--customer-map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="map the customer role to a column of the customer file",
    )


def _add_time_options(p: argparse.ArgumentParser) -> None:
    """How times are written, and which way to read dates that could be either."""
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


def _add_reading_options(p: argparse.ArgumentParser) -> None:
    """How the files are read: delimiter, encoding, session gap, pseudonyms, kept dataset."""
    p.add_argument("--delimiter", metavar="CHAR", help="field delimiter of a text file")
    p.add_argument(
        "--encoding", metavar="NAME", help="utf-8 (default), or windows-1252 (also reads latin-1)"
    )
    p.add_argument(
        "--session-gap",
        metavar="GAP",
        help="cut journeys at gaps longer than GAP (e.g. 30min, 2h); default: use "
        "the journey column if there is one, else 30min",
    )
    p.add_argument(
        "--lifecycle",
        choices=("complete", "all"),
        default="complete",
        help="with a lifecycle column (lifecycle:transition): journeys use the complete "
        "events (default; start events are set aside and time each activity) or all events",
    )
    p.add_argument(
        "--pseudonymise",
        metavar="SALT",
        help="replace customer and journey ids by salted SHA-256 pseudonyms as they are read",
    )
    p.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="keep the import as a DuckDB dataset in DIR (e.g. .workbench/datasets) and reopen "
        "it while the files and options stay the same",
    )


def _add_output_options(p: argparse.ArgumentParser) -> None:
    """Where the answer goes and in what form, and whether to report progress."""
    p.add_argument("--format", choices=("json", "csv"), default="json")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    p.add_argument(
        "--progress",
        action="store_true",
        help="say on stderr what is being done (import, journeys, friction) and how far it is",
    )


def _add_contact_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--contact",
        action="append",
        default=None,
        metavar="CHANNEL",
        help="a channel (a touchpoint, when the log has no channel) whose steps are contacts "
        "with the company (repeatable); guessed from the names when not given",
    )


def _add_analysis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--goal",
        action="append",
        default=None,
        metavar="TOUCHPOINT",
        help="a touchpoint that means success (repeatable); guessed when not given",
    )
    p.add_argument(
        "--long-wait",
        default="5min",
        metavar="DURATION",
        help="a wait longer than this is long (default 5min)",
    )
    p.add_argument(
        "--repeat-window",
        default="7d",
        metavar="DURATION",
        help="a contact followed by another within this is repeated (default 7d)",
    )


def _add_range_option(p: argparse.ArgumentParser) -> None:
    """``--period FROM..TO``: the journeys that start in a date range, as ``causes`` reads it."""
    p.add_argument(
        "--period",
        dest="range",
        metavar="FROM..TO",
        help="only the journeys that start in this period, both days included, each with all "
        "its steps, e.g. 2026-05-04..2026-06-28 (default: the whole log)",
    )
