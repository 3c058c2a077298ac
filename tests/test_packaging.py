"""`pip install .` gives a working library and CLI from any directory (ADR 0001)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE


@pytest.mark.slow
def test_wheel_carries_the_queries_and_runs_from_elsewhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("journey_workbench-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "workbench/queries/journeys/steps.sql" in names
    assert "workbench/py.typed" in names
    target = tmp_path / "site"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import workbench, sys; print(workbench.__file__); print(workbench.core.db.QUERY_DIR)"
    where = subprocess.run(
        [sys.executable, "-c", "import workbench.core.db;" + code.split(";", 1)[1]],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
    )
    first, second = where.stdout.splitlines()
    assert first.startswith(str(target)) and second.startswith(str(target))
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "journeys", "--events", str(SAMPLE / "events.csv")],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["load"]["rows_rejected"] == 0
