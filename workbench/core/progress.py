"""Progress of the long computations, for whoever shows it (the app's progress bars, a script).

A *progress* is any callable taking the fraction done (0 to 1) and a sentence saying what is
being done now, e.g. ``lambda done, what: print(f"{done:4.0%} {what}")``. Functions that take
one report each stage as it starts and ``1.0`` when they are done; without one they report
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Progress = Callable[[float, str], None]


class Stages:
    """The stages of one computation, each with its usual share of the time.

    Examples
    --------
    >>> seen = []
    >>> stages = Stages(lambda done, what: seen.append((round(done, 2), what)),
    ...                 [("Reading", 3), ("Counting", 1)])
    >>> stages.start("Reading"); stages.start("Counting"); stages.done()
    >>> seen
    [(0.0, 'Reading'), (0.75, 'Counting'), (1.0, 'Done')]
    """

    def __init__(self, progress: Progress | None, stages: Sequence[tuple[str, float]]) -> None:
        self._progress = progress
        total = sum(weight for _, weight in stages) or 1.0
        self._before: dict[str, float] = {}
        passed = 0.0
        for label, weight in stages:
            self._before[label] = passed / total
            passed += weight

    def start(self, label: str) -> None:
        """Report that the stage ``label`` (one of those given) begins."""
        if self._progress is not None:
            self._progress(self._before[label], label)

    def done(self) -> None:
        """Report that the computation is complete."""
        if self._progress is not None:
            self._progress(1.0, "Done")
