"""The house is one-way: layers checked by import-linter, no import cycles, no hidden imports."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

from .conftest import ROOT

LIBRARY = ROOT / "workbench"
#: Optional extras: imported where Spark work starts, so the library runs without them.
OPTIONAL = ("pyspark", "sqlglot")


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--config", "pyproject.toml", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_module_of_the_library_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph("workbench", cache_dir=None)
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            # a package's __init__ importing its own modules is how a package works
            if not imported.startswith(module + "."):
                edges.add_edge(module, imported)
    cycles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    assert cycles == []


def _function_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found.append((node.lineno, node.module))
                elif isinstance(node, ast.Import):
                    found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def test_imports_inside_functions_are_only_optional_extras_and_the_cli_commands() -> None:
    """An import inside a function hides a dependency from the contracts. Two kinds are
    allowed: the Spark extra, where Spark work starts, and the command line loading the
    analysis a command runs (so ``journeys`` starts without the statistics libraries)."""
    hidden = []
    for path in sorted(LIBRARY.rglob("*.py")):
        for line, module in _function_imports(path):
            if module.split(".")[0] in OPTIONAL:
                continue
            if path.parent.name == "cli" and module.startswith(
                ("workbench.analyses", "workbench.present", "workbench.engines")
            ):
                continue
            hidden.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert hidden == []


def test_the_check_finds_a_hidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from workbench.core import db\n    return db\n")
    assert _function_imports(module) == [(2, "workbench.core")]


#: The longest a function's body (after its docstring) may grow before it is split by concern.
MAX_BODY_LINES = 80


def _body_lengths(path: Path) -> list[tuple[int, str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            documented = isinstance(body[0], ast.Expr) and isinstance(
                getattr(body[0], "value", None), ast.Constant
            )
            first = body[1].lineno if documented and len(body) > 1 else body[0].lineno
            found.append((node.lineno, node.name, int(node.end_lineno or first) - first + 1))
    return found


def test_no_function_of_the_library_is_longer_than_80_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}:{line} {name} ({n} lines)"
        for path in sorted(LIBRARY.rglob("*.py"))
        for line, name, n in _body_lengths(path)
        if n > MAX_BODY_LINES
    ]
    assert long == []


def test_the_length_check_counts_the_body_after_the_docstring(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('def f():\n    """Doc.\n\n    More."""\n    a = 1\n    return a\n')
    assert _body_lengths(module) == [(1, "f", 2)]


_SQL_IN_F_STRING = re.compile(r"f[\"'](select|with|create|insert|drop|describe)\b", re.I)


def _sql_in_f_strings(path: Path, root: Path = ROOT) -> set[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    functions = [
        (node.lineno, int(node.end_lineno or node.lineno), node.name)
        for node in ast.walk(ast.parse("\n".join(lines)))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    found = set()
    for number, line in enumerate(lines, start=1):
        if _SQL_IN_F_STRING.search(line):
            inner = [f for f in functions if f[0] <= number <= f[1]]
            name = max(inner)[2] if inner else "<module>"
            found.add((path.relative_to(root).as_posix(), name))
    return found


def test_no_new_sql_is_built_in_f_strings() -> None:
    found = set().union(*(_sql_in_f_strings(p) for p in LIBRARY.rglob("*.py")))
    # SQL belongs in queries/: names chosen at run time go through db's slots and sections
    assert found == set()


def test_the_sql_check_finds_sql_in_an_f_string(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('def f(t):\n    return f"select * from {t}"\n')
    assert _sql_in_f_strings(module, tmp_path) == {("m.py", "f")}


#: The words a statement starts with: text that begins with one is SQL, and belongs in queries/.
_SQL_START = re.compile(
    r"\s*(select|with|create|insert|drop|delete|update|alter|checkpoint|set|describe|begin|"
    r"commit|rollback)\b",
    re.I,
)


def _leading_texts(node: ast.expr) -> list[str]:
    """The text each way of evaluating ``node`` starts with, where it starts with a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BinOp):  # "create view " + name + ...
        return _leading_texts(node.left)
    if isinstance(node, ast.IfExp):  # "drop view x" if ... else "drop table x"
        return _leading_texts(node.body) + _leading_texts(node.orelse)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _leading_texts(node.values[0])
    return []


def _sql_given_to_execute(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line`` of each ``.execute(...)`` handed SQL text written in the module itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany")
            and node.args
            and any(_SQL_START.match(t) for t in _leading_texts(node.args[0]))
        ):
            found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return found


def test_no_sql_text_is_given_to_execute_outside_the_db_door() -> None:
    door = LIBRARY / "core" / "db.py"
    found = [
        where
        for path in sorted(LIBRARY.rglob("*.py"))
        if path != door
        for where in _sql_given_to_execute(path)
    ]
    # every statement lives in a .sql file under queries/ and runs through workbench.core.db
    assert found == []


def test_the_execute_check_finds_plain_sql_text(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def f(con, raw, v):\n"
        '    con.execute("select count(*) from raw_input")\n'
        "    con.execute(\n        'drop view mapped_rows'\n    )\n"
        '    con.execute("drop view raw_input" if raw else "drop table raw_input")\n'
        '    con.execute("create or replace temp view " + v + " as select 1")\n'
        '    con.cursor().execute("  Checkpoint")\n'
        "    con.execute(sql_text)\n"
        '    con.execute("select " + "1")\n'
        '    con.register("selected", v)\n'
    )
    assert _sql_given_to_execute(module, tmp_path) == [
        "m.py:2",
        "m.py:3",
        "m.py:6",
        "m.py:7",
        "m.py:8",
        "m.py:10",
    ]
