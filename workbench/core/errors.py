"""One error family for the whole workbench, titled for the people who read it.

Every error carries a short ``title`` ("Ambiguous dates") and a ``message`` that says what is wrong
and what to do about it. The app shows both; the CLI prints them to stderr and exits non-zero.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose.

    Parameters
    ----------
    message
        What went wrong and what to change, in plain language.
    title
        A few words that name the problem; defaults to the class's own title.
    """

    default_title = "Something went wrong"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.title = title or self.default_title

    def __str__(self) -> str:
        return f"{self.title}: {self.message}"


class LoadError(WorkbenchError):
    """A source could not be read at all (missing file, unknown format, unreadable bytes)."""

    default_title = "Could not read the data"


class ValidationError(WorkbenchError):
    """The data or a parameter was read but cannot be used as given (mapping, dates, gaps)."""

    default_title = "The data needs attention"


class QueryError(WorkbenchError):
    """A query in ``queries/`` failed or was called with the wrong parameters."""

    default_title = "A query failed"


class NotEnoughData(ValidationError):
    """The data is fine but holds too little for this view (too few answers, customers or
    weeks): the app says so as information, not as an error to fix."""

    default_title = "Not enough data"
