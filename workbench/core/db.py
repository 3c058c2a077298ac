"""The one door to DuckDB: connections, named queries from ``queries/``, and identifier quoting.

Every query the workbench runs lives in a ``.sql`` file under ``queries/`` and is called by its
name without the suffix, e.g. ``run(con, "journeys/edges")``. The door checks that the ``$name``
parameters the file uses are exactly the ones given, binds them as DuckDB parameters, and turns a
``duckdb.Error`` into a :class:`~workbench.core.errors.QueryError` that names the file.

Names in the SQL text
---------------------
Values are always bound (``$name``). Where a query must name something chosen at run time (the
table a statement creates, a relation to read), its file holds a slot and :func:`prepare` fills
it before DuckDB sees the text; this is the only step that puts text into SQL:

- ``{{name}}`` becomes an identifier quoted by :func:`quote_ident`: the value is a name, or a
  tuple of names for a qualified one (``("workbench_models", "m1_steps")`` gives
  ``"workbench_models"."m1_steps"``).
- ``{{> name}}`` includes the text of another query: the statements under
  ``queries/duckdb/db/`` wrap a query file this way (``create or replace table {{table}} as
  {{> query}}``).
- ``{{= name}}`` becomes a text literal quoted by :func:`quote_literal`: for a value a view
  holds (a view cannot bind parameters), such as the touchpoints a view keeps.

Where a query's shape depends on the log (a join only a customer split needs, one column per
attribute), two sections do it, never nested:

- ``{{?flag}}...{{/flag}}`` keeps its text when ``flag`` is ``True`` and drops it when
  ``False``; the slots inside are filled like any other.
- ``{{#items}}...{{/items}}`` repeats its text once per item of a list of dicts, one after the
  other; the slots inside are filled from the item, whose keys must be exactly those slots.
  Lists in SQL take a trailing comma in DuckDB (``select a, {{#items}}{{name}}, {{/items}}
  from t``), so the text carries its own.

Slots, sections and ``$`` parameters are passed alike, as keyword arguments; every slot must be
filled and nothing else given, or a ``QueryError`` names the file. A file with slots runs
without its opening comment. Sets of columns are named with ``columns($names)`` and bound
lists, not slots.

The queries under ``queries/duckdb/`` are the door's own statements (create, drop, describe,
count), the loaders' reads of source files, the kept-model store's records and the small counts
the analyses check: DuckDB's alone, never run by the Spark engine, and left out of
:func:`query_names` (the relations of the analysis). This module is the only one that holds SQL
text (``tests/test_architecture.py`` checks that no other hands ``execute`` a statement).

Where the SQL files live
------------------------
In an installed wheel they sit inside the package (``workbench/queries``); in a source checkout
they sit at the top of the repository (``queries/``).
See ``docs/adr/0001-queries-travel-with-the-package.md``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from workbench.core import query_files
from workbench.core.errors import QueryError

# The query files' names, slots and text are query_files'; the door offers them as its own.
QUERY_DIR = query_files.QUERY_DIR
LOCAL = query_files.LOCAL
_NAME = query_files._NAME
_checked = query_files._checked
query_text = query_files.query_text
query_params = query_files.query_params
query_slots = query_files.query_slots
query_sections = query_files.query_sections
query_names = query_files.query_names
local_query_names = query_files.local_query_names
prepare = query_files.prepare
quote_ident = query_files.quote_ident
quote_literal = query_files.quote_literal
_QUOTED = re.compile(r'"((?:[^"]|"")*)"(?:\.|$)')

# How much memory DuckDB may use per connection before it spills to disk. A laptop runs the app,
# a browser and more beside it, so the workbench caps DuckDB instead of letting it take 80 % of
# the memory: 10M events are analysed within 1.5 GiB of resident memory (bench/README.md).
# WORKBENCH_MEMORY_LIMIT sets another cap ("4GB"), or "none" for DuckDB's own default.
DEFAULT_MEMORY_LIMIT = "800MB"


def memory_cap(given: str | None = None) -> str | None:
    """The memory cap a new connection gets: ``given``, else ``$WORKBENCH_MEMORY_LIMIT``, else
    :data:`DEFAULT_MEMORY_LIMIT`; ``None`` when the choice is "none" (DuckDB's own default).

    Examples
    --------
    >>> memory_cap("4GB"), memory_cap("none")
    ('4GB', None)
    """
    value = given if given is not None else os.environ.get("WORKBENCH_MEMORY_LIMIT", "")
    value = value.strip() or DEFAULT_MEMORY_LIMIT
    return None if value.lower() == "none" else value


def out_of_memory(
    exc: BaseException, where: str = "This step", con: duckdb.DuckDBPyConnection | None = None
) -> QueryError:
    """The titled error for DuckDB running out of memory in ``where``: it says the cap and how
    to raise it. Every door to DuckDB (named queries, loading, the CLI, the app's pages) turns
    ``duckdb.OutOfMemoryException`` into this.

    Examples
    --------
    >>> out_of_memory(MemoryError(), "Loading events.csv").title
    'Out of memory'
    """
    cap = memory_cap() or "80 % of this computer's memory"
    if con is not None:
        try:
            row = con.execute("select current_setting('memory_limit')").fetchone()
            cap = str(row[0]) if row else cap
        except duckdb.Error:
            pass
    return QueryError(
        f"{where} needed more memory than DuckDB may use here ({cap}) and could not spill the "
        "rest to disk. Raise the cap with the environment variable WORKBENCH_MEMORY_LIMIT "
        "(e.g. 4GB, or none for 80 % of this computer's memory) and start again.",
        "Out of memory",
    )


def connect(
    database: str | Path | None = None,
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    read_only: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB connection for the workbench (in memory unless a file is given).

    Parameters
    ----------
    database
        Path of a DuckDB database file, or ``None`` for an in-memory database.
    threads
        DuckDB threads; every core by default.
    memory_limit
        How much memory DuckDB may use before it spills to disk (see :func:`memory_cap`:
        800 MB unless ``$WORKBENCH_MEMORY_LIMIT`` or this says otherwise; ``"none"`` for
        DuckDB's default of 80 % of the memory).
    read_only
        Open the file without the write lock (other processes may read it too).

    Examples
    --------
    >>> from workbench.core import db
    >>> con = db.connect()
    >>> con.execute("select 1").fetchone()
    (1,)
    """
    if database is None:
        con = duckdb.connect(":memory:")
    else:
        con = duckdb.connect(str(database), read_only=read_only)
    con.execute("set TimeZone = 'UTC'")  # timestamps are stored as naive UTC or local wall time
    # (set at run time, not as configuration when connecting: DuckDB opens a file once per
    # process, and refuses a second connection to it with a configuration of its own)
    if threads is not None:
        execute(con, f"{LOCAL}/db/set_threads", threads=int(threads))
    cap = memory_cap(memory_limit)
    if cap is not None:
        execute(con, f"{LOCAL}/db/set_memory_limit", memory_limit=cap)
    if database is None:
        # an in-memory database spills to the system's temporary folder, not the working one
        spill = Path(tempfile.gettempdir()) / f"workbench-spill-{os.getpid()}"
        execute(con, f"{LOCAL}/db/set_temp_directory", temp_directory=str(spill))
    return con


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run ``queries/<name>.sql`` (one of the door's own, under ``queries/duckdb/``) and return
    the connection holding its result; DuckDB's errors pass through as they are.

    Examples
    --------
    >>> con = connect()
    >>> temp_relation(con, "odd name", "select 1 as n")
    >>> execute(con, "duckdb/db/columns", relation="odd name").fetchone()[:2]
    ('n', 'INTEGER')
    """
    sql, values = _checked(name, params)
    return con.execute(sql, values or None)


def _execute(
    con: duckdb.DuckDBPyConnection, name: str, sql: str, params: dict[str, Any]
) -> duckdb.DuckDBPyConnection:
    try:
        return con.execute(sql, params or None)
    except duckdb.OutOfMemoryException as exc:
        raise out_of_memory(exc, f"queries/{name}.sql", con) from exc
    except duckdb.Error as exc:
        raise QueryError(
            f"queries/{name}.sql failed: {_first_line(exc)}", f"Query '{name}' failed"
        ) from exc


def settle(con: duckdb.DuckDBPyConnection) -> None:
    """Finish any result a caller left open on ``con`` (``execute(...).fetchone()`` leaves one),
    so that DuckDB's relation API, which refuses to work beside an open result, can run.

    Examples
    --------
    >>> con = connect()
    >>> con.execute("select 1").fetchone()
    (1,)
    >>> settle(con)
    >>> _ = con.sql("select 2 as n").create_view("two")
    >>> con.execute("select n from two").fetchall()
    [(2,)]
    """
    con.fetchall()


def threads(con: duckdb.DuckDBPyConnection) -> int:
    """How many threads DuckDB runs a query on.

    Examples
    --------
    >>> threads(connect(threads=2))
    2
    """
    row = con.execute("select current_setting('threads')").fetchone()
    return int(row[0]) if row else 1


def run(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with ``params`` and return the result as a DataFrame.

    Examples
    --------
    >>> from workbench.core import db
    >>> con = db.connect()
    >>> _ = con.execute("create table events as select 'C1' customer_id")
    >>> db.query_params("journeys/steps")
    frozenset()
    """
    sql, values = _checked(name, params)
    return _execute(con, name, sql, values).df()


def run_arrow(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> Any:
    """Like :func:`run` but return a ``pyarrow.Table`` (no pandas conversion)."""
    sql, values = _checked(name, params)
    return _execute(con, name, sql, values).to_arrow_table()


def table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """All rows of a table the workbench made (e.g. a model's ``variants``), as a DataFrame.

    ENUM columns (touchpoints) come back as text, and lists of them as lists of text.
    """
    sql, _ = _checked(f"{LOCAL}/db/all_rows", {"relation": name})
    try:
        rows = con.sql(sql)
        # ENUMs as text: each column cast by DuckDB's expression API (no SQL text to write)
        frame: pd.DataFrame = rows.project(
            *(
                _enum_as_text(duckdb.ColumnExpression(col), str(typ))
                for col, typ in zip(rows.columns, rows.types, strict=True)
            )
        ).df()
    except duckdb.Error as exc:
        raise QueryError(
            f"Table {name} could not be read: {_first_line(exc)}", "A query failed"
        ) from exc
    for col, typ in columns(con, name).items():
        if typ.endswith("[]"):  # lists come back as numpy arrays; people expect lists
            frame[col] = [v.tolist() if hasattr(v, "tolist") else v for v in frame[col]]
    return frame


def _enum_as_text(column: Any, typ: str) -> Any:
    """``column`` as itself, or cast to text when it is an ENUM or a list of ENUMs."""
    if typ.startswith("ENUM(") and typ.endswith("[]"):
        return column.cast(duckdb.list_type(duckdb.sqltypes.VARCHAR)).alias(column.get_name())
    if typ.startswith("ENUM("):
        return column.cast(duckdb.sqltypes.VARCHAR).alias(column.get_name())
    return column


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def materialize(
    con: duckdb.DuckDBPyConnection,
    name: str,
    table: str,
    *,
    temp: bool = False,
    schema: str | None = None,
    **params: Any,
) -> None:
    """Create (or replace) ``table`` (in ``schema`` when given) from ``queries/<name>.sql``.

    ``temp=True`` makes a table private to this connection or cursor, so two models built on the
    same database never see each other's intermediate tables.
    """
    sql, values = _checked(name, params)
    target = (table,) if schema is None else (schema, table)
    wrapper = f"{LOCAL}/db/create_temp_table" if temp else f"{LOCAL}/db/create_table"
    statement, _ = _checked(wrapper, {"target": target, "query": sql})
    _execute(con, name, statement, values)


def inline(name: str, **params: Any) -> str:
    """The text of ``queries/<name>.sql`` as a view holds it: name slots filled and each value
    written in as a literal (numbers and booleans only, as a view cannot bind parameters). For
    a view another engine makes from the same text.

    Examples
    --------
    >>> inline("duckdb/db/drop_view", view="v").strip()
    'drop view if exists "v"'
    """
    sql, values = _checked(name, params)
    for key, value in values.items():
        if isinstance(value, bool):
            literal = "true" if value else "false"
        elif isinstance(value, (int, float)):
            literal = repr(float(value))
        else:
            raise QueryError(
                f"queries/{name}.sql: a view can only take numbers and booleans, not "
                f"{key}={value!r}.",
                "Query called wrongly",
            )
        sql = re.sub(r"\$" + key + r"\b", literal, sql)
    return sql


def create_view(
    con: duckdb.DuckDBPyConnection, name: str, view: str, *, temp: bool = False, **params: Any
) -> None:
    """Create (or replace) view ``view`` over ``queries/<name>.sql``.

    A view costs nothing until read; use it for a relation that one later query reads once.
    Views cannot hold parameters, so values are written in as literals (numbers and booleans
    only; see :func:`inline`); name slots are filled as in :func:`run`.
    """
    sql = inline(name, **params)
    wrapper = f"{LOCAL}/db/create_temp_view" if temp else f"{LOCAL}/db/create_view"
    statement, _ = _checked(wrapper, {"target": view, "query": sql})
    _execute(con, name, statement, {})


def distinct_counts(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str]
) -> dict[str, int]:
    """How many distinct non-null values each of ``columns`` of ``table`` holds (one scan).

    Examples
    --------
    >>> con = connect()
    >>> _ = con.execute("create table t as select * from (values (1, 'a'), (2, 'a')) v(x, y)")
    >>> distinct_counts(con, "t", ["x", "y"])
    {'x': 2, 'y': 1}
    """
    if not columns:
        return {}
    found = execute(con, f"{LOCAL}/db/distinct_counts", relation=table, columns=list(columns))
    (row,) = found.fetchall()
    counts = dict(zip(_in_table_order(con, table, columns), row, strict=True))
    return {c: int(counts[c]) for c in columns}


def distinct_values(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """The distinct non-null values of each of ``columns`` of ``table``, as sorted text (one
    scan). Meant for columns already known to hold few values (see :func:`distinct_counts`).

    Examples
    --------
    >>> con = connect()
    >>> _ = con.execute("create table t as select * from (values (2, 'b'), (1, null)) v(x, y)")
    >>> distinct_values(con, "t", ["x", "y"])
    {'x': ('1', '2'), 'y': ('b',)}
    """
    if not columns:
        return {}
    found = execute(con, f"{LOCAL}/db/distinct_values", relation=table, columns=list(columns))
    (row,) = found.fetchall()
    values = dict(zip(_in_table_order(con, table, columns), row, strict=True))
    return {c: tuple(str(v) for v in (values[c] or [])) for c in columns}


def _in_table_order(
    con: duckdb.DuckDBPyConnection, relation: str, names: Sequence[str]
) -> list[str]:
    """``names`` in the order of ``relation``'s columns: the order ``columns($names)`` gives."""
    wanted = set(names)
    return [c for c in columns(con, relation) if c in wanted]


def enum_values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> tuple[str, ...]:
    """Every value an ENUM column's type can take, in code order (empty for an empty table).

    Examples
    --------
    >>> con = connect()
    >>> _ = con.execute("create table t as select cast('b' as enum('a', 'b')) as x")
    >>> enum_values(con, "t", "x")
    ('a', 'b')
    """
    row = execute(con, f"{LOCAL}/db/enum_values", relation=table, column=[column]).fetchone()
    return tuple(row[0]) if row and row[0] else ()


def qualified(schema: str, table: str) -> str:
    """``schema.table`` with both names quoted (see :func:`quote_ident`)."""
    return f"{quote_ident(schema)}.{quote_ident(table)}"


def temp_relation(
    con: duckdb.DuckDBPyConnection,
    name: str,
    sql: str,
    params: dict[str, Any] | None = None,
    *,
    table: bool = False,
) -> None:
    """Create (or replace) the temp view ``name`` (a temp table with ``table=True``) as
    ``sql``: a query the workbench generates from the log's own columns (names quoted with
    :func:`quote_ident`), with any values bound in ``params``.

    Examples
    --------
    >>> con = connect()
    >>> temp_relation(con, "big", "select 1 as n where 1 > $cut", {"cut": 0}, table=True)
    >>> con.execute("select n from big").fetchall()
    [(1,)]
    """
    wrapper = "create_temp_table" if table else "create_temp_view"
    statement, _ = _checked(f"{LOCAL}/db/{wrapper}", {"target": name, "query": sql})
    con.execute(statement, params or None)


def create_table(
    con: duckdb.DuckDBPyConnection, name: str, sql: str, params: dict[str, Any] | None = None
) -> None:
    """Create (or replace) the table ``name`` in the database (not a temp one: in a dataset file
    its rows may spill to disk) as ``sql``, with any values bound in ``params``.

    Examples
    --------
    >>> con = connect()
    >>> create_table(con, "firsts", "select * from range(10) limit $n", {"n": 3})
    >>> con.execute("select count(*) from firsts").fetchall()
    [(3,)]
    """
    statement, _ = _checked(f"{LOCAL}/db/create_table", {"target": name, "query": sql})
    con.execute(statement, params or None)


def _relation(relation: str) -> tuple[str, ...]:
    """The names in ``relation``, a name made by :func:`quote_ident` or :func:`qualified`.

    Examples
    --------
    >>> _relation('"workbench_models"."m1 ""x"" y"')
    ('workbench_models', 'm1 "x" y')
    >>> _relation("steps")
    Traceback (most recent call last):
    ...
    workbench.core.errors.QueryError: Query called wrongly: 'steps' is not a name quoted by ...
    """
    parts = _QUOTED.findall(relation)
    if not parts or "".join(f'"{p}".' for p in parts)[:-1] != relation:
        raise QueryError(
            f"{relation!r} is not a name quoted by quote_ident or qualified.",
            "Query called wrongly",
        )
    return tuple(p.replace('""', '"') for p in parts)


def view_over(con: duckdb.DuckDBPyConnection, view: str, relation: str) -> None:
    """Create (or replace) the temp view ``view`` as every row of ``relation``, a name made by
    :func:`quote_ident` or :func:`qualified`."""
    execute(con, f"{LOCAL}/db/view_over", view=view, relation=_relation(relation))


def read_all(con: duckdb.DuckDBPyConnection, relation: str) -> pd.DataFrame:
    """Every row of ``relation`` (a name made by :func:`quote_ident` or :func:`qualified`)."""
    return execute(con, f"{LOCAL}/db/all_rows", relation=_relation(relation)).df()


def drop_table(con: duckdb.DuckDBPyConnection, relation: str) -> None:
    """Drop ``relation`` (a name made by :func:`quote_ident` or :func:`qualified`) if it exists."""
    execute(con, f"{LOCAL}/db/drop_table", table=_relation(relation))


def drop_view(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop the view ``name`` (quoted here) if it exists.

    Examples
    --------
    >>> con = connect()
    >>> temp_relation(con, "odd name", "select 1 as n")
    >>> drop_view(con, "odd name")
    >>> con.execute("select count(*) from duckdb_views() where view_name = 'odd name'").fetchall()
    [(0,)]
    """
    execute(con, f"{LOCAL}/db/drop_view", view=name)


def drop_type(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop the type ``name`` (an ENUM; quoted here) if it exists.

    Examples
    --------
    >>> con = connect()
    >>> _ = con.execute("create type mood as enum ('ok', 'sad')")
    >>> drop_type(con, "mood")
    >>> con.execute("select count(*) from duckdb_types() where type_name = 'mood'").fetchall()
    [(0,)]
    """
    execute(con, f"{LOCAL}/db/drop_type", type=name)


def row_count(con: duckdb.DuckDBPyConnection, relation: str | tuple[str, ...]) -> int:
    """How many rows the table or view ``relation`` holds (a name, quoted here, or a tuple of
    names for a schema-qualified one).

    Examples
    --------
    >>> con = connect()
    >>> temp_relation(con, "odd name", "select * from range(3)")
    >>> row_count(con, "odd name")
    3
    """
    row = execute(con, f"{LOCAL}/db/row_count", relation=relation).fetchone()
    return int(row[0]) if row else 0


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write what the database file holds in its log into the file itself."""
    execute(con, f"{LOCAL}/db/checkpoint")


def table_from_frame(con: duckdb.DuckDBPyConnection, relation: str, frame: pd.DataFrame) -> None:
    """Create the table ``relation`` (a name made by :func:`qualified`) holding ``frame``."""
    con.register("frame_in", frame)
    try:
        execute(con, f"{LOCAL}/db/table_from_frame", table=_relation(relation))
    finally:
        con.unregister("frame_in")


def columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """Column names and DuckDB types of a table or view, in order."""
    rows = execute(con, f"{LOCAL}/db/columns", relation=relation).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}
