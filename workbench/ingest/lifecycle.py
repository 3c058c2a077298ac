"""Lifecycle transitions: which events a journey is made of, and how long each activity took.

Process-mining logs often record one activity as several events, told apart by a lifecycle
transition (XES ``lifecycle:transition``: ``start`` when work on it began, ``complete`` when it
ended; also ``schedule``, ``suspend``, ``resume`` ...). Read as they are, each activity would be
two steps of the journey. So when a log has a lifecycle column (named ``lifecycle:transition``,
``lifecycle`` or ``transition``, every value a transition of the XES lifecycle model and some of
them ``complete``):

- by default (``lifecycle="complete"``) the journeys use the ``complete`` events and the events
  with no lifecycle value; the other events are *set aside*: counted in the load report
  (``rows_set_aside``) and said in a note, neither loaded nor rejected;
- with ``lifecycle="all"`` every event is a step;
- either way, each complete event that has a start gets the activity's duration in seconds in
  the attribute column ``activity_seconds``, so everything that reads attributes (segments,
  causes, the Data page) can use it. Starts and completes pair within the same journey (or the
  customer, when there is no journey column) and the same activity, first in first out: each
  complete takes the earliest start before it that no earlier complete took; a complete with no
  open start has no duration.

An attribute column was chosen over a relation of its own because a duration belongs to the
complete event it ends, one value per event, and the loader already types, keeps and shows
attribute columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from workbench.core import db
from workbench.core.errors import ValidationError
from workbench.ingest.schema import normalise

#: Column names (normalised) that hold a lifecycle transition.
NAMES = ("lifecycle_transition", "lifecycle", "transition")
#: The transitions of the XES standard lifecycle model (IEEE 1849, lifecycle extension).
TRANSITIONS = frozenset(
    {
        "schedule",
        "assign",
        "reassign",
        "start",
        "suspend",
        "resume",
        "pi_abort",
        "ate_abort",
        "complete",
        "autoskip",
        "manualskip",
        "withdraw",
        "unknown",
    }
)
#: ``complete``: the journeys use the complete events; ``all``: every event is a step.
CHOICES = ("complete", "all")
SECONDS = "activity_seconds"


@dataclass(frozen=True)
class Lifecycle:
    """The lifecycle column a log has, and what was made of it.

    Attributes
    ----------
    source, column
        The column in the file, and its name among the loaded attributes.
    choice
        ``complete`` or ``all`` (see :data:`CHOICES`).
    counts
        Events per transition (lower case; ``""`` for no value), most frequent first.
    seconds
        The name of the duration column (``activity_seconds`` unless the log has one).
    pairs
        Complete events with a duration (set by :func:`durations`).
    """

    source: str
    column: str
    choice: str
    counts: tuple[tuple[str, int], ...]
    seconds: str = SECONDS
    pairs: int = 0

    @property
    def set_aside(self) -> int:
        """Events not loaded because of their transition."""
        if self.choice == "all":
            return 0
        return sum(n for value, n in self.counts if value not in ("", "complete"))

    def note(self) -> str:
        """What the load did with the transitions, in plain words."""
        others = [(v, n) for v, n in self.counts if v not in ("", "complete")]
        listed = _listing(others)
        one = sum(n for _, n in others) == 1
        if self.choice == "all":
            text = (
                f"Every lifecycle transition in '{self.source}' is a step of the journeys "
                f"(lifecycle='all'): {listed} event{'' if one else 's'} "
                f"{'is' if one else 'are'} kept beside the complete events."
            )
        else:
            text = (
                f"{listed} event{' was' if one else 's were'} set aside: journeys use the "
                f"complete events (column '{self.source}'; lifecycle='all', or --lifecycle all, "
                "keeps every event)."
            )
        if self.pairs:
            text += (
                f" {self.pairs:,} {'activity has' if self.pairs == 1 else 'activities have'} a "
                f"start and a complete event: '{self.seconds}' holds the seconds between them."
            )
        return text


def _listing(counts: Sequence[tuple[str, int]]) -> str:
    parts = [f"{n:,} {value}" for value, n in counts]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def check_choice(choice: str) -> None:
    """Raise :class:`ValidationError` unless ``choice`` is one of :data:`CHOICES`."""
    if choice not in CHOICES:
        raise ValidationError(
            f"lifecycle={choice!r} is not a choice; use 'complete' (journeys use the complete "
            "events) or 'all' (every event is a step).",
            "Unknown lifecycle choice",
        )


def find(
    con: duckdb.DuckDBPyConnection,
    attributes: Sequence[str],
    aliases: Mapping[str, str],
    used: Sequence[str],
    choice: str = "complete",
) -> Lifecycle | None:
    """The lifecycle column among the ``attributes`` of ``raw_input``, or None when there is
    none or nothing to do (no transition but ``complete``).

    ``aliases`` gives each attribute's loaded name; ``used`` the names already taken, which
    the duration column must not take."""
    check_choice(choice)
    found = [c for c in attributes if normalise(c) in NAMES]
    for column in sorted(found, key=lambda c: NAMES.index(normalise(c))):
        rows = db.execute(con, "duckdb/ingest/lifecycle_values", column=column).fetchall()
        counts = tuple((str(v or ""), int(n)) for v, n in rows)
        values = {v for v, _ in counts if v}
        if "complete" not in values or not values <= TRANSITIONS or values == {"complete"}:
            continue
        seconds = SECONDS
        while seconds.lower() in {u.lower() for u in used}:
            seconds += "_"
        return Lifecycle(column, aliases[column], choice, counts, seconds)
    return None


def durations(con: duckdb.DuckDBPyConnection, found: Lifecycle) -> Lifecycle:
    """Pair the starts and completes of ``lifecycle_rows`` into table ``activity_durations``
    (``row_no`` of the complete event, ``activity_seconds``); the lifecycle with its pairs."""
    db.materialize(
        con,
        "duckdb/ingest/activity_durations",
        "activity_durations",
        temp=True,
        lifecycle=found.column,
    )
    return Lifecycle(**{**found.__dict__, "pairs": db.row_count(con, "activity_durations")})
