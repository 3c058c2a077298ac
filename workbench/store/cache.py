"""The one cache door: what a journey model's analyses remember, in memory and in the dataset.

Every analysis asks its model's cache, ``model.cache.get_or_run(kind, key, compute)``, and never
keeps anything of its own: the answer comes from memory, then from the dataset file, and only
then from ``compute()``. ``kind`` names what is remembered (``"friction"``, ``"kpis"``,
``"visits"`` ...), ``key`` is everything else it depends on besides the model (goals, windows,
a segment ...).

Three tiers:

- **Memory**, per model: the last few answers of each kind (``slots``). An answer that stands
  for temp relations on the model's cursor (``relations=True``: the ``visits`` table, the
  KPI tables ...) has one slot, since building the relations again with another key replaces
  them; ``invalidates`` names the kinds whose relations read the ones being rebuilt.
- **The dataset file**, when the model is kept in its dataset (:mod:`workbench.store.kept`):
  answers that are DataFrames (``keep=True``) are written beside the model and read back by
  the next session, which then reads no event at all. Their key adds a digest of every query
  and of the analyses' code, so changed code counts afresh.
- **Compute**, the first time.

A kept answer is returned as it was read back from the file, so this session answers from what
the next one will read. Answers held in memory that are DataFrames are handed out as copies:
no caller can change what a later caller gets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import duckdb
import pandas as pd

from workbench.ingest.load import EventLog
from workbench.store import kept

T = TypeVar("T")

#: How many answers of one kind a model holds in memory unless the kind says otherwise.
DEFAULT_SLOTS = 4


class Cache:
    """The cache of one journey model: see the module's docstring.

    Parameters
    ----------
    log
        The model's event log (a dataset, or a log in memory that keeps nothing on disk).
    model_key
        The key of the model's tables kept in the dataset, or None when the model lives in
        memory (then nothing is kept in the file either).

    Examples
    --------
    >>> import workbench as wb
    >>> cache = Cache(wb.load_events("sample_data/events.csv"), None)
    >>> calls = []
    >>> def count():
    ...     calls.append(1)
    ...     return 42
    >>> cache.get_or_run("answer", ("x",), count), cache.get_or_run("answer", ("x",), count)
    (42, 42)
    >>> len(calls)
    1
    """

    def __init__(self, log: EventLog, model_key: str | None) -> None:
        self._log = log
        self._model_key = model_key
        self._memory: dict[str, dict[Hashable, Any]] = {}
        self._lock = threading.RLock()

    @property
    def model_key(self) -> str | None:
        """The key of the kept model this cache keeps answers beside (None: memory only)."""
        return self._model_key

    def get_or_run(
        self,
        kind: str,
        key: Hashable,
        compute: Callable[[], T],
        *,
        cur: duckdb.DuckDBPyConnection | None = None,
        keep: bool = False,
        relations: bool = False,
        invalidates: Sequence[str] = (),
        slots: int = DEFAULT_SLOTS,
    ) -> T:
        """The answer of ``kind`` for ``key``: from memory, else (``keep``) from the dataset
        file, else ``compute()``.

        Parameters
        ----------
        kind, key
            What is remembered, and everything it depends on besides the model.
        compute
            Works the answer out (on the model's cursor, held by the caller).
        cur
            A cursor on the model's database, for ``keep``: the file is read and written
            through it.
        keep
            The answer is a list of DataFrames to keep in the dataset file beside a kept model.
        relations
            The answer stands for temp relations on the model's cursor: one slot, replaced by
            the next key.
        invalidates
            Kinds whose relations read the ones ``compute`` rebuilds: forgotten when it runs.
        slots
            How many answers of ``kind`` memory holds (the oldest goes first).
        """
        with self._lock:
            held = self._memory.get(kind, {})
            if key in held:
                return _handed_out(held[key])  # type: ignore[no-any-return]
        answer: Any = None
        found = False
        if keep:
            answer = self._read_kept(kind, key, cur)
            found = answer is not None
        if not found:
            answer = compute()
            for other in invalidates:
                self.forget(other)
            if keep:
                answer = self._write_kept(kind, key, answer, cur)
        self._hold(kind, key, answer, 1 if relations else slots)
        return _handed_out(answer)  # type: ignore[no-any-return]

    def parts(
        self, kind: str, key: Hashable, cur: duckdb.DuckDBPyConnection
    ) -> list[tuple[str, list[pd.DataFrame]]]:
        """The parts of ``kind`` kept in the dataset file under ``key``, oldest first: each its
        ``points`` text (what it covers) and its tables. For answers that grow part by part
        (friction's concentrations, counted for the points a ranking shows)."""
        return kept.kept_counts(cur, self._file_key(kind, key))

    def add_part(
        self,
        kind: str,
        key: Hashable,
        frames: list[pd.DataFrame],
        points: str,
        cur: duckdb.DuckDBPyConnection,
    ) -> list[pd.DataFrame]:
        """Keep one more part of ``kind`` under ``key`` in the dataset file (when the model is
        kept there); return its tables as the next session will read them."""
        stored = self._file_key(kind, key)
        return kept.keep_frames(self._log, cur, stored, self._model_key, kind, frames, points)

    def relations_kept(
        self,
        kind: str,
        key: Hashable,
        queries: list[tuple[str, str, dict[str, Any]]],
        cur: duckdb.DuckDBPyConnection,
    ) -> None:
        """Make each (query, name, parameters) of ``queries`` the relation ``name`` on ``cur``:
        views over the tables kept in the dataset under ``key`` when an earlier session kept
        them, else built now (and kept for the next session when the model is kept)."""
        stored = self._file_key(kind, key)
        if not kept.kept_views(cur, stored, [name for _, name, _ in queries]):
            kept.keep_tables(self._log, cur, stored, self._model_key, kind, queries)

    def current(self, kind: str) -> Hashable | None:
        """The key of the latest answer of ``kind`` held in memory (for relations: the key the
        relations on the model's cursor were last made with), or None.

        Examples
        --------
        >>> import workbench as wb
        >>> cache = Cache(wb.load_events("sample_data/events.csv"), None)
        >>> cache.get_or_run("visits", "a", lambda: None, relations=True)
        >>> cache.get_or_run("visits", "b", lambda: None, relations=True)
        >>> cache.current("visits"), cache.current("kpis")
        ('b', None)
        """
        with self._lock:
            held = self._memory.get(kind)
            return next(reversed(held)) if held else None

    def forget(self, kind: str) -> None:
        """Forget every answer of ``kind`` held in memory."""
        with self._lock:
            self._memory.pop(kind, None)

    def _hold(self, kind: str, key: Hashable, answer: Any, slots: int) -> None:
        with self._lock:
            held = self._memory.setdefault(kind, {})
            held.pop(key, None)
            held[key] = answer
            while len(held) > slots:
                held.pop(next(iter(held)))

    def _file_key(self, kind: str, key: Hashable) -> str | None:
        return kept.counts_key(self._model_key, kind, key)

    def _read_kept(
        self, kind: str, key: Hashable, cur: duckdb.DuckDBPyConnection | None
    ) -> list[pd.DataFrame] | None:
        if self._model_key is None:
            return None
        found = kept.kept_counts(_cursor(cur), self._file_key(kind, key))
        return found[0][1] if found else None

    def _write_kept(
        self, kind: str, key: Hashable, frames: Any, cur: duckdb.DuckDBPyConnection | None
    ) -> list[pd.DataFrame]:
        if self._model_key is None:
            return list(frames)
        return kept.keep_frames(
            self._log, _cursor(cur), self._file_key(kind, key), self._model_key, kind, frames
        )


def _cursor(cur: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    if cur is None:
        raise TypeError("a kept answer needs the model's cursor (cur=...)")
    return cur


def _handed_out(answer: Any) -> Any:
    """``answer`` as a caller may have it: DataFrames (alone or in a list or tuple) copied."""
    if isinstance(answer, pd.DataFrame):
        return answer.copy()
    if isinstance(answer, list) and any(isinstance(a, pd.DataFrame) for a in answer):
        return [a.copy() if isinstance(a, pd.DataFrame) else a for a in answer]
    if isinstance(answer, tuple) and any(isinstance(a, pd.DataFrame) for a in answer):
        return tuple(a.copy() if isinstance(a, pd.DataFrame) else a for a in answer)
    return answer
