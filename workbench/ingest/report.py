"""What happened to every row of a file read: one report for events, surveys and customers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.ingest.schema import ColumnMapping
from workbench.ingest.sources import Dialect
from workbench.ingest.times import TimeFormat


@dataclass(frozen=True)
class LoadReport:
    """What happened to every row of an event log, a survey export or a customer list.

    Attributes
    ----------
    table
        Which table the rows went to: ``events``, ``surveys`` or ``customers``.
    rows_read, rows_loaded, rows_rejected, rows_set_aside
        ``rows_read == rows_loaded + rows_rejected + rows_set_aside`` always holds. Rows set
        aside are neither loaded nor rejected: the lifecycle transitions a journey does not
        use (start events, by default; see :mod:`workbench.ingest.lifecycle`); 0 for most logs.
    rejected
        The first rejected rows (up to 1,000): ``line`` (in the file, when it has lines),
        ``row`` (data row number), ``column``, ``reason``, ``value``. All of an event log's:
        :meth:`workbench.ingest.load.EventLog.rejected_rows`.
    rejected_by_reason
        Counts per reason and column, with the first line and an example value.
    mapping, time_format, dialect, attribute_types
        How the file was read: which column plays which role, how its times were written (None
        for a customer list, which has none), its text dialect and its other columns' types.
    unmatched
        Surveys and customers: loaded rows whose customer has no events in the log (kept, but
        they join no journey).
    notes
        What a person should know about the read (a guessed format, withheld text ...).
    """

    table: str
    source: str
    kind: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rejected: pd.DataFrame
    rejected_by_reason: pd.DataFrame
    mapping: ColumnMapping
    time_format: TimeFormat | None
    dialect: Dialect
    attribute_types: dict[str, str]
    unmatched: int = 0
    notes: tuple[str, ...] = ()
    rows_set_aside: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the rejected rows are summarised by reason)."""
        out = {
            "source": self.source,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
        }
        if self.rows_set_aside:
            out["rows_set_aside"] = self.rows_set_aside
        if self.table != "events":
            out["unmatched"] = self.unmatched
        return {
            **out,
            "rejected_by_reason": self.rejected_by_reason.to_dict(orient="records"),
            "mapping": self.mapping.as_dict(),
            "time_format": self.time_format.describe() if self.time_format else None,
            "dialect": self.dialect.describe(),
            "notes": list(self.notes),
        }
