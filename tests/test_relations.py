"""Every relation the workbench creates is registered with its one maker
(workbench.core.relations)."""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import workbench as wb
from workbench.analyses.causes import effects_for
from workbench.core import db, relations

from .conftest import ROOT, SAMPLE

#: Where a relation is created on behalf of the module that asked: not its maker.
DOORS = ("workbench.core.", "workbench.store.cache", "workbench.store.kept")
#: The db helpers that create a relation, and where their name argument stands.
CREATORS = {"materialize": 2, "create_view": 2, "temp_relation": 1, "view_over": 1}


def _maker() -> str:
    for frame in inspect.stack()[2:]:
        module = inspect.getmodule(frame.frame)
        name = module.__name__ if module else ""
        if name.startswith("workbench.") and not name.startswith(DOORS):
            return name
    return "?"


@pytest.fixture(scope="module")
def created() -> dict[str, set[str]]:
    """A whole analysis of the sample, every relation created through db recorded with the
    module that asked for it."""
    made: dict[str, set[str]] = defaultdict(set)

    def recording(fn: Callable[..., Any], at: int) -> Callable[..., Any]:
        def record(*args: Any, **kwargs: Any) -> Any:
            if not kwargs.get("schema"):  # kept tables live in their own schema
                made[str(args[at])].add(_maker())
            return fn(*args, **kwargs)

        return record

    with pytest.MonkeyPatch.context() as mp:
        for name, at in CREATORS.items():
            mp.setattr(db, name, recording(getattr(db, name), at))
        log = wb.load_events(
            SAMPLE / "events.csv",
            surveys=SAMPLE / "surveys.csv",
            customers=SAMPLE / "customers.csv",
        )
        model = wb.build_journeys(log)
        ranking = wb.rank_friction(model)
        wb.rank_friction(model, segment="device")
        for effect in [*effects_for(ranking)[:2], "detractor", "no_goal:Fault resolved"]:
            wb.group_causes(model, effect)
        wb.kpis(model, by="segment")
        wb.compare_levels(model, "nps", boots=20)
        wb.team_view(model)
        wb.journey_drivers(model)
        wb.compare_segment(model, "device", "mobile_web")
        model.journeys()
    return made


def test_every_relation_an_analysis_creates_is_registered_with_its_maker(
    created: dict[str, set[str]],
) -> None:
    assert len(created) > 30
    wrong = {}
    for name, makers in created.items():
        found = relations.find(name)
        if found is None or makers != {found.made_by}:
            wrong[name] = (sorted(makers), found.made_by if found else "not registered")
    assert wrong == {}


def _literal_creations(root: Path = ROOT) -> Iterator[tuple[str, str]]:
    """(module, relation) for each relation a library module creates with SQL text of its own."""
    pattern = re.compile(r"create or replace (?:temp )?(?:table|view) ([a-z_]+)")
    for path in (root / "workbench").rglob("*.py"):
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            yield module, name


def test_the_scan_sees_a_relation_created_in_a_module_s_own_text(tmp_path: Path) -> None:
    (tmp_path / "workbench").mkdir()
    text = 'def f(cur):\n    cur.execute("create or replace temp table odd_points as select 1")\n'
    (tmp_path / "workbench" / "m.py").write_text(text)
    assert list(_literal_creations(tmp_path)) == [("workbench.m", "odd_points")]


def test_relations_created_in_the_library_s_own_text_are_registered_with_their_maker() -> None:
    found = list(_literal_creations())
    wrong = [
        (module, name)
        for module, name in found
        if (r := relations.find(name)) is None or r.made_by != module
    ]
    assert wrong == []


@pytest.mark.parametrize("query", db.query_names() + db.local_query_names())
def test_every_query_reads_registered_relations(query: str) -> None:
    unknown = [n for n in relations.query_inputs(query) if relations.find(n) is None]
    assert unknown == []


def test_the_registry_names_each_relation_once() -> None:
    names = [r.name for r in relations.RELATIONS]
    assert len(names) == len(set(names))
    assert all(r.made_by.startswith("workbench.") for r in relations.RELATIONS)
