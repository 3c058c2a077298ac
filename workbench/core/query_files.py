"""The query files under ``queries/``: where they live, their names, their ``$`` parameters,
slots and sections, and the one step that fills a file's slots and sections into the text DuckDB
runs (:func:`prepare`), with identifiers and literals quoted here. Running them is
:mod:`workbench.core.db`'s; the rules of slots and sections are in its docstring.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from workbench.core.errors import QueryError

_PACKAGE = Path(__file__).resolve().parent.parent
QUERY_DIR = _PACKAGE / "queries" if (_PACKAGE / "queries").is_dir() else _PACKAGE.parent / "queries"

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRIP = re.compile(r"--[^\n]*|'(?:[^']|'')*'")
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
_SLOT = re.compile(r"\{\{([>=]\s*)?([a-z_]+)\}\}")
_SECTION = re.compile(r"\{\{([#?])([a-z_]+)\}\}(.*?)\{\{/\2\}\}", re.S)
_HEADER = re.compile(r"\A(?:--[^\n]*\n|\s*\n)*")
_QUOTED = re.compile(r'"((?:[^"]|"")*)"(?:\.|$)')
#: The folder of the door's own statements and the loaders' reads (see the module docstring).
LOCAL = "duckdb"


@cache
def query_text(name: str) -> str:
    """Return the SQL text of ``queries/<name>.sql``."""
    if not _NAME.match(name):
        raise QueryError(
            f"'{name}' is not a query name (lower-case words and '/').", "Unknown query"
        )
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"There is no query file {path}.", "Unknown query")
    return path.read_text(encoding="utf-8")


@cache
def query_params(name: str) -> frozenset[str]:
    """The ``$name`` parameters that ``queries/<name>.sql`` uses (comments and strings ignored)."""
    return frozenset(_PARAM.findall(_STRIP.sub("", query_text(name))))


@cache
def query_slots(name: str) -> frozenset[str]:
    """The ``{{name}}`` and ``{{> name}}`` slots of ``queries/<name>.sql`` (comments ignored).

    Examples
    --------
    >>> sorted(query_slots("duckdb/db/create_table"))
    ['query', 'target']
    """
    text = _STRIP.sub("", query_text(name))
    sections = query_sections(name)
    outside = _SECTION.sub(lambda m: m[3] if m[1] == "?" else "", text)
    slots = frozenset(m[2] for m in _SLOT.finditer(outside)) | frozenset(sections)
    if slots & query_params(name):
        raise QueryError(
            f"queries/{name}.sql uses {', '.join(sorted(slots & query_params(name)))} both as "
            "a slot and as a $parameter.",
            "Query written wrongly",
        )
    return slots


@cache
def query_sections(name: str) -> dict[str, frozenset[str] | None]:
    """The sections of ``queries/<name>.sql`` (comments ignored): for a repeated one
    (``{{#items}}``) the slots each item fills, for a kept-or-dropped one (``{{?flag}}``)
    ``None``.

    Examples
    --------
    >>> sorted(query_sections("duckdb/causes/count_values")["features"])
    ['key', 'value']
    """
    found: dict[str, frozenset[str] | None] = {}
    for m in _SECTION.finditer(_STRIP.sub("", query_text(name))):
        kind, key, body = m[1], m[2], m[3]
        if re.search(r"\{\{[#?/]", body):
            raise QueryError(
                f"queries/{name}.sql nests a section in {key}; sections do not nest.",
                "Query written wrongly",
            )
        fields = frozenset(s[2] for s in _SLOT.finditer(body)) if kind == "#" else None
        if key in found and (found[key] is None) != (fields is None):
            raise QueryError(
                f"queries/{name}.sql uses {key} both as a flag and as a list.",
                "Query written wrongly",
            )
        known = found.get(key)
        found[key] = fields if known is None or fields is None else known | fields
    return found


def query_names() -> list[str]:
    """Every relation query under ``queries/``, as names ``run`` accepts (the door's own
    statements under ``queries/duckdb/`` left out)."""
    return sorted(
        name
        for name in (
            p.relative_to(QUERY_DIR).with_suffix("").as_posix() for p in QUERY_DIR.rglob("*.sql")
        )
        if not name.startswith(LOCAL + "/")
    )


def local_query_names() -> list[str]:
    """The door's own statements and the loaders' reads, under ``queries/duckdb/``."""
    return sorted(
        p.relative_to(QUERY_DIR).with_suffix("").as_posix()
        for p in (QUERY_DIR / LOCAL).rglob("*.sql")
    )


def _checked(name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text of ``queries/<name>.sql`` with its slots filled, and the values to bind."""
    slots = query_slots(name)
    wanted = query_params(name) | slots
    missing, extra = wanted - params.keys(), params.keys() - wanted
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(sorted(missing)))
        if extra:
            parts.append("unexpected " + ", ".join(sorted(extra)))
        raise QueryError(
            f"queries/{name}.sql was called with the wrong parameters: " + "; ".join(parts) + ".",
            "Query called wrongly",
        )
    if not slots:
        return query_text(name), params
    values = {k: v for k, v in params.items() if k not in slots}
    return _render(name, {k: params[k] for k in slots}), values


def _render(name: str, fill: dict[str, Any]) -> str:
    """The template step: each section and slot of ``queries/<name>.sql`` filled from ``fill``
    (checked to hold exactly its slots), the file's opening comment left out."""
    fields = query_sections(name)

    def section(m: re.Match[str]) -> str:
        key, body, value = m[2], m[3], fill[m[2]]
        wanted = fields[key]
        if wanted is None:
            if not isinstance(value, bool):
                raise QueryError(
                    f"queries/{name}.sql: {key} must be True or False, not {value!r}.",
                    "Query called wrongly",
                )
            return _fill_slots(name, body, fill) if value else ""
        if not isinstance(value, list) or not all(
            isinstance(item, dict) and item.keys() == wanted for item in value
        ):
            raise QueryError(
                f"queries/{name}.sql: {key} must be a list of items, each with exactly "
                f"{', '.join(sorted(wanted))}.",
                "Query called wrongly",
            )
        return "".join(_fill_slots(name, body, item) for item in value)

    text = _HEADER.sub("", query_text(name), count=1)
    parts, last = [], 0
    for m in _SECTION.finditer(text):  # the text around sections, then each section
        parts += [_fill_slots(name, text[last : m.start()], fill), section(m)]
        last = m.end()
    return "".join([*parts, _fill_slots(name, text[last:], fill)])


def _fill_slots(name: str, text: str, fill: dict[str, Any]) -> str:
    """``text`` with each ``{{name}}`` slot filled by a quoted name, each ``{{> name}}`` by
    SQL text, from ``fill``."""

    def slot(m: re.Match[str]) -> str:
        value = fill[m[2]]
        if m[1] and m[1][0] == "=":  # {{= name}}: a text literal
            if not isinstance(value, str):
                raise QueryError(
                    f"queries/{name}.sql: {m[2]} must be text, not {value!r}.",
                    "Query called wrongly",
                )
            return quote_literal(value)
        if m[1]:  # {{> name}}: the text of a query
            if not isinstance(value, str):
                raise QueryError(
                    f"queries/{name}.sql: {m[2]} must be SQL text.", "Query called wrongly"
                )
            return value
        parts = (value,) if isinstance(value, str) else value
        if not isinstance(parts, tuple) or not parts or not all(isinstance(v, str) for v in parts):
            raise QueryError(
                f"queries/{name}.sql: {m[2]} must be a name or a tuple of names, not {value!r}.",
                "Query called wrongly",
            )
        return ".".join(quote_ident(v) for v in parts)

    return _SLOT.sub(slot, text)


def prepare(name: str, **params: Any) -> tuple[str, dict[str, Any]]:
    """The statement of ``queries/<name>.sql`` with its slots filled, and the values to bind:
    for a caller that runs it itself (and handles DuckDB's errors itself).

    Examples
    --------
    >>> prepare("duckdb/db/drop_view", view='a"b')[0].strip()
    'drop view if exists "a""b"'
    >>> prepare("duckdb/db/drop_table", table=("workbench_models", "m1"))[0].strip()
    'drop table if exists "workbench_models"."m1"'
    """
    return _checked(name, params)


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB, doubling any double quote inside it.

    Use it for column names that come from a user's file, after checking them against
    ``DESCRIBE``; never build SQL from user text any other way.
    """
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Quote a string literal for DuckDB: ``it's`` becomes ``'it''s'``."""
    return "'" + str(value).replace("'", "''") + "'"
