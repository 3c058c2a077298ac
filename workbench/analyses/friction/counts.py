"""The friction counts: every signal at every touchpoint and move, counted from the visits
(kept by the model's cache, and in the dataset beside a kept model)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from workbench.analyses.outcomes import prepare_visits, visit_key
from workbench.core import db
from workbench.journeys.model import JourneyModel
from workbench.journeys.segments import segment_values

# -- candidates and tests ----------------------------------------------------------------------

_COUNTS = (
    "touchpoint_signals",
    "touchpoint_outcomes",
    "outcome_totals",
    "transition_signals",
    "loop_overlaps",
    "weekly_signals",
    "weekly_loops",
)
#: How many sets of counts (visit parameters x segment) a model keeps.
_KEEP_COUNTS = 4


class Visits:
    """The visits of one set of parameters: their key, and the ``visits`` table built on the
    model's cursor only when a count that is not kept needs it (:meth:`ensure`)."""

    def __init__(
        self,
        model: JourneyModel,
        cur: duckdb.DuckDBPyConnection,
        goals: Sequence[str] | None,
        survey_window: str,
        repeat_s: float,
        wait_s: float,
        transfers: Sequence[str] | None = None,
        contacts: Sequence[str] | None = None,
    ) -> None:
        self._args = (model, cur, goals, survey_window, repeat_s, wait_s)
        self._transfers, self._contacts = transfers, contacts
        self.key = visit_key(
            goals, survey_window, repeat_s, wait_s, transfers=transfers, contacts=contacts
        )

    def ensure(self) -> None:
        prepare_visits(*self._args, transfers=self._transfers, contacts=self._contacts)

    def ensure_moves(self) -> None:
        """:meth:`ensure`, then the temp table ``visit_moves`` (each journey's moves, grouped
        once for the transition, loop and weekly-loop counts), once per set of visits."""
        self.ensure()
        model, cur = self._args[0], self._args[1]
        model.cache.get_or_run(
            "visit_moves",
            self.key,
            lambda: db.materialize(cur, "friction/visit_moves", "visit_moves", temp=True),
            relations=True,
        )


def count_signals(
    cur: duckdb.DuckDBPyConnection, model: JourneyModel, segment: str | None, visits: Visits
) -> list[pd.DataFrame]:
    """The friction queries' counts for ``visits`` and ``segment`` (see ``_COUNTS``).

    Kept on the model for the last few parameter sets: weights, floors and the false-discovery
    level only change what is done with the counts, so changing them reads no event again. A
    model kept in its dataset keeps them there too (:mod:`workbench.store.kept`), so the next
    session reads them back instead of counting the visits again.
    """

    def count() -> list[pd.DataFrame]:
        visits.ensure_moves()
        _segment_views(cur, model, segment)
        return [db.run(cur, f"friction/{name}") for name in _COUNTS]

    counts: list[pd.DataFrame] = model.cache.get_or_run(
        "friction", (visits.key, segment), count, cur=cur, keep=True, slots=_KEEP_COUNTS
    )
    return counts


def _segment_views(
    cur: duckdb.DuckDBPyConnection, model: JourneyModel, segment: str | None
) -> None:
    """Views that split visits, their moves and journeys by segment: every step in its
    journey's segment, so each segment's counts reconcile."""
    if segment is None:  # no join: every row in the one segment 'all'
        db.create_view(cur, "duckdb/friction/unsegmented_visits", "segment_visits", temp=True)
        db.create_view(cur, "duckdb/friction/unsegmented_moves", "segment_moves", temp=True)
        db.create_view(cur, "duckdb/segments/all_journeys", "segment_journeys", temp=True)
        return
    segment_values(model, cur, segment)
    db.create_view(cur, "duckdb/friction/segment_visits", "segment_visits", temp=True)
    db.create_view(cur, "duckdb/friction/segment_moves", "segment_moves", temp=True)
    db.create_view(cur, "duckdb/friction/segment_journeys", "segment_journeys", temp=True)
