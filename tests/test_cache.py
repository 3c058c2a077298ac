"""The one cache door (workbench.store.cache): memory, then the dataset file, then compute."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench.store.cache import Cache

from .conftest import DATA


class Calls:
    """A compute that counts how often it ran."""

    def __init__(self, answer: object) -> None:
        self.answer, self.n = answer, 0

    def __call__(self) -> object:
        self.n += 1
        return self.answer


@pytest.fixture
def cache(tiny_log: wb.EventLog) -> Cache:
    return Cache(tiny_log, None)


def test_memory_answers_the_same_key_and_computes_another(cache: Cache) -> None:
    compute = Calls(1)
    assert [cache.get_or_run("k", key, compute) for key in ("a", "a", "b", "a")] == [1] * 4
    assert compute.n == 2


def test_the_oldest_answer_goes_when_the_slots_are_full(cache: Cache) -> None:
    compute = Calls(1)
    for key in ("a", "b", "c", "a"):
        cache.get_or_run("k", key, compute, slots=2)
    assert compute.n == 4  # "a" had gone when "c" came


def test_relations_keep_one_key_and_invalidate_what_reads_them(cache: Cache) -> None:
    cache.get_or_run("visits", "v1", Calls(None), relations=True)
    cache.get_or_run("visits", "v2", Calls(None), relations=True)
    assert cache.current("visits") == "v2"
    again = Calls(None)
    cache.get_or_run("visits", "v1", again, relations=True)
    assert again.n == 1
    cache.get_or_run("outcomes", "o", Calls(None), relations=True, invalidates=["visits"])
    assert cache.current("visits") is None


def test_frames_are_handed_out_as_copies(cache: Cache) -> None:
    frame = pd.DataFrame({"x": [1, 2]})
    first = cache.get_or_run("k", "a", lambda: [frame])
    first[0].loc[0, "x"] = 99
    (second,) = cache.get_or_run("k", "a", lambda: [frame])
    assert second["x"].tolist() == [1, 2]


def test_kept_answers_reach_the_next_session_through_the_dataset(tmp_path: Path) -> None:
    path = tmp_path / "tiny.duckdb"
    wb.load_events(DATA / "tiny_journeys.csv", database=path).con.close()
    log = wb.open_dataset(path)
    model = wb.build_journeys(log)
    counts = pd.DataFrame({"touchpoint": ["a", "b"], "n": [3, 4]})
    compute = Calls([counts])
    with model.using() as cur:
        kept = model.cache.get_or_run("k", ("x", 1), compute, cur=cur, keep=True)
    pd.testing.assert_frame_equal(kept[0], counts)
    del model
    log.con.close()
    # a new process: a new model, a new cache, and the answer read from the file
    later = wb.build_journeys(wb.open_dataset(path))
    never = Calls([pd.DataFrame()])
    with later.using() as cur:
        (again,) = later.cache.get_or_run("k", ("x", 1), never, cur=cur, keep=True)
        other = later.cache.get_or_run("k", ("x", 2), Calls([counts]), cur=cur, keep=True)
    assert never.n == 0
    pd.testing.assert_frame_equal(again, counts)
    pd.testing.assert_frame_equal(other[0], counts)


def test_a_model_in_memory_keeps_nothing_on_disk(tiny_model: wb.JourneyModel) -> None:
    assert tiny_model.cache.model_key is None
    compute = Calls([pd.DataFrame({"x": [1]})])
    with tiny_model.using() as cur:
        tiny_model.cache.get_or_run("k", "a", compute, cur=cur, keep=True)
        tiny_model.cache.forget("k")
        tiny_model.cache.get_or_run("k", "a", compute, cur=cur, keep=True)
    assert compute.n == 2
