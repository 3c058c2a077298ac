"""Show a workbench error to a person: its title in bold, then what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb
import streamlit as st

from workbench.core.db import out_of_memory
from workbench.core.errors import NotEnoughData, WorkbenchError

T = TypeVar("T")


def show_error(exc: WorkbenchError) -> None:
    """Render ``exc`` as an error box: title, then the message."""
    st.error(f"**{exc.title}**  \n{exc.message}", icon="⚠️")


def guarded(fn: Callable[[], T]) -> T | None:
    """Run ``fn``; on a :class:`WorkbenchError` (or DuckDB running out of memory) show it and
    return ``None``.

    A failed analysis leaves the rest of the page standing.
    """
    try:
        return fn()
    except NotEnoughData as exc:  # not a fault: the view says why it is not shown
        st.info(f"**{exc.title}**  \n{exc.message}", icon="ℹ️")
        return None
    except WorkbenchError as exc:
        show_error(exc)
        return None
    except duckdb.OutOfMemoryException as exc:
        show_error(out_of_memory(exc))
        return None
