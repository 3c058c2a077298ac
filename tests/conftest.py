"""Shared fixtures: the committed sample data and a tiny hand-written log."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import workbench as wb

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "sample_data"

# Doctests in workbench/ read "sample_data/..." relative to the repository root.
os.chdir(ROOT)


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
def tiny_log() -> wb.EventLog:
    return wb.load_events(DATA / "tiny_journeys.csv")


@pytest.fixture(scope="session")
def tiny_model(tiny_log: wb.EventLog) -> wb.JourneyModel:
    return wb.build_journeys(tiny_log)
