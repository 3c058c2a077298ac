"""Shared fixtures: the committed sample data and a tiny hand-written log."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

import workbench as wb

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "sample_data"

# Doctests in workbench/ read "sample_data/..." relative to the repository root.
os.chdir(ROOT)
# The app's datasets and uploads go to a private folder, never the developer's own .workbench/.
os.environ.setdefault("WORKBENCH_DATA_DIR", tempfile.mkdtemp(prefix="workbench-tests-"))


@pytest.fixture(scope="session")
def sample_log() -> wb.EventLog:
    return wb.load_events(SAMPLE / "events.csv")


@pytest.fixture(scope="session")
def sample_model(sample_log: wb.EventLog) -> wb.JourneyModel:
    return wb.build_journeys(sample_log)


@pytest.fixture(scope="session")
def sample_truth() -> dict:
    return json.loads((SAMPLE / "truth.json").read_text())


@pytest.fixture(scope="session")
def sample_full_model() -> wb.JourneyModel:
    """The sample events with their surveys and customer list."""
    log = wb.load_events(
        SAMPLE / "events.csv", surveys=SAMPLE / "surveys.csv", customers=SAMPLE / "customers.csv"
    )
    return wb.build_journeys(log)


def generate(out: Path, **kw: object) -> Path:
    """Run the sample generator into ``out`` (30k events unless told otherwise)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("generate", SAMPLE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    args = {"events": 30_000, "seed": 7, **kw}
    module.generate(args.pop("events"), args.pop("seed"), out, **args)
    return out


def full_model(folder: Path) -> wb.JourneyModel:
    log = wb.load_events(
        folder / "events.csv", surveys=folder / "surveys.csv", customers=folder / "customers.csv"
    )
    return wb.build_journeys(log)


@pytest.fixture(scope="session")
def moved_stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another dataset: seed 11, every story moved to another place, period and team."""
    return generate(tmp_path_factory.mktemp("seed11"), seed=11, placement="random")


@pytest.fixture(scope="session")
def calm_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset with no planted friction and loyalty that depends on nothing."""
    return generate(tmp_path_factory.mktemp("calm"), seed=3, stories=False, driver="none")


@pytest.fixture(scope="session")
def tiny_log() -> wb.EventLog:
    return wb.load_events(DATA / "tiny_journeys.csv")


@pytest.fixture(scope="session")
def tiny_model(tiny_log: wb.EventLog) -> wb.JourneyModel:
    return wb.build_journeys(tiny_log)


# The longest test files go first, so that with parallel workers (``make test``) they do not
# start last and leave one worker running alone at the end.
LONG_FIRST = ("test_spark.py", "test_browser.py", "test_datasets.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable: each file keeps its own order
