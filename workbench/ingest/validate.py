"""Data-quality problems of a loaded log, as rows a person can read and act on.

:func:`validate` returns every problem it finds: rejected rows (by reason), duplicated events,
journey ids shared by several customers, implausible timestamps, unusually heavy customers, rare
touchpoints that may be typos, and rows out of time order. The Data page shows them as a table;
a pipeline can call :meth:`Problems.raise_first` to stop at the first error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.core.records import rows
from workbench.ingest.load import EventLog

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Problems:
    """Every problem found, one row each: severity, check, rows, message, fix."""

    table: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        return self.table[self.table["severity"] == "error"]

    def __len__(self) -> int:
        return len(self.table)

    def raise_first(self, severity: str = "error") -> None:
        """Raise :class:`ValidationError` for the first problem at ``severity`` or worse."""
        worst = SEVERITIES.index(severity)
        for row in self.table.itertuples(index=False):
            if SEVERITIES.index(str(row.severity)) <= worst:
                raise ValidationError(f"{row.message} {row.fix}".strip(), str(row.check))


def validate(log: EventLog, *, now: datetime | None = None, heavy_factor: float = 50.0) -> Problems:
    """Check a loaded log and return its problems, worst first.

    Parameters
    ----------
    log
        A loaded event log.
    now
        Timestamps more than a day after this are flagged as in the future (default: now).
    heavy_factor
        Customers with more than this many times the median events per customer (and at least
        1,000 events), or with more than 10,000 events at all, are flagged as possible test
        accounts, bots or placeholder ids.

    Examples
    --------
    >>> import workbench as wb
    >>> problems = wb.validate(wb.load_events("sample_data/events.csv"))
    >>> list(problems.table.columns)
    ['severity', 'check', 'rows', 'message', 'fix']
    """
    problems = [
        *_rejected_rows(log),
        *_query_checks(log, now=now, heavy_factor=heavy_factor),
        *_channel_check(log),
    ]
    table = pd.DataFrame(problems, columns=["severity", "check", "rows", "message", "fix"])
    table["order"] = table["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    table = table.sort_values(["order", "rows"], ascending=[True, False], kind="stable")
    return Problems(table.drop(columns="order").reset_index(drop=True))


def _rejected_rows(log: EventLog) -> list[dict[str, object]]:
    """One error per reason rows were rejected at load, with where it first happened."""
    problems: list[dict[str, object]] = []
    for r in rows(log.report.rejected_by_reason):
        if pd.notna(r["first_line"]):
            where = f"line {int(r['first_line'])}"
        elif pd.notna(r["first_row"]):
            where = f"row {int(r['first_row'])}"
        else:
            where = "an unknown place"
        col = "" if r["column"] == "(whole row)" else f" in column '{r['column']}'"
        ex = r["example"]
        example = f" (e.g. '{ex}')" if isinstance(ex, str) and ex else ""
        problems.append(
            {
                "severity": "error",
                "check": "Rows rejected",
                "rows": int(r["rows"]),
                "message": f"{int(r['rows']):,} row(s) not loaded: {r['reason']}{col}, first at "
                f"{where}{example}.",
                "fix": _fix_for(str(r["reason"])),
            }
        )
    return problems


# What queries/validation/checks.sql counts, and how each finding reads: severity, check,
# message ({n} rows, {ex} an example) and fix.
_CHECK_TEXTS = {
    "duplicate_events": (
        "warning",
        "Duplicate events",
        "{n:,} event(s) repeat an earlier one exactly (same customer, journey, touchpoint "
        "and time), first at row {ex}.",
        "They are kept and count as extra steps; remove them at the source if they are "
        "double exports.",
    ),
    "shared_journey_ids": (
        "warning",
        "Journey ids shared",
        "{n:,} journey id(s) belong to more than one customer (e.g. '{ex}').",
        "Check the journey column, or cut journeys by session gap instead.",
    ),
    "implausible_times": (
        "warning",
        "Implausible times",
        "{n:,} event(s) are dated before 1990 or in the future (e.g. {ex}).",
        "Check the time column and its format.",
    ),
    "heavy_customers": (
        "info",
        "Heavy customers",
        "{n:,} customer(s) have far more events than the rest or than a person makes "
        "(largest: '{ex}').",
        "These may be test accounts, bots or shared ids; consider filtering them.",
    ),
    "rare_touchpoints": (
        "info",
        "Rare touchpoints",
        "{n:,} touchpoint(s) occur at most twice (e.g. '{ex}').",
        "Rare names are often typos or renamed steps; check the spelling.",
    ),
    "out_of_order": (
        "info",
        "Rows out of time order",
        "{n:,} row(s) come before an earlier event of the same customer in the file "
        "(first at row {ex}).",
        "Nothing to do: journeys are ordered by time, not by file order.",
    ),
}


def _query_checks(
    log: EventLog, *, now: datetime | None, heavy_factor: float
) -> list[dict[str, object]]:
    """The checks made in SQL over the loaded events, one problem per check that finds any."""
    latest = (now or datetime.now()) + timedelta(days=1)
    checks = db.run(
        log.cursor(), "validation/checks", latest_plausible=latest, heavy_factor=heavy_factor
    )
    found = {str(c): (int(a), e) for c, a, e in checks.itertuples(index=False)}
    problems: list[dict[str, object]] = []
    for key, (severity, title, message, fix) in _CHECK_TEXTS.items():
        n, example = found.get(key, (0, None))
        if n:
            problems.append(
                {
                    "severity": severity,
                    "check": title,
                    "rows": n,
                    "message": message.format(n=n, ex=example),
                    "fix": fix,
                }
            )
    return problems


def _channel_check(log: EventLog) -> list[dict[str, object]]:
    """A note when no column is mapped to channel: journeys work, channel switches do not."""
    if log.has_channel:
        return []
    return [
        {
            "severity": "info",
            "check": "No channel column",
            "rows": 0,
            "message": "No column was mapped to channel.",
            "fix": "Map one to see channel switches; journeys work without it.",
        }
    ]


def _fix_for(reason: str) -> str:
    if "time" in reason:
        return "Check the time format shown above, or pass time_format= / --time-format."
    if "fields" in reason:
        return "Check the delimiter and quoting of these lines in the source file."
    if "journey id" in reason:
        return "Fill the journey id, or map no journey column to cut journeys by session gap."
    if "empty" in reason:
        return "Fill the missing value in the source, or map another column to this role."
    if "encoding" in reason:
        return "Save the file as UTF-8, or pass encoding='latin-1'."
    if "JSON" in reason:
        return "Fix or remove the broken JSON record."
    return "Fix these rows in the source file."
