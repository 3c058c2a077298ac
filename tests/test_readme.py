"""The README's examples run as written: the notebook block and the command lines on the sample."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _commands() -> list[list[str]]:
    """Every `python -m workbench` command of the README that runs on the bundled sample."""
    found = []
    for block in _blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            command = line.split("#")[0].strip()
            if command.startswith("python -m workbench") and "sample_data/" in command:
                found.append(shlex.split(command.split(">")[0]))
    return found


def test_readme_has_the_two_setup_commands() -> None:
    setup = _blocks("sh")[0]
    assert [line.split()[:2] for line in setup.strip().splitlines()] == [
        ["make", "app"],
        ["make", "test"],
    ]


def test_notebook_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks("python")
    assert len(blocks) == 2  # the notebook session, then keeping an import
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in blocks:
        code = block.replace('"sample_data/', f'"{ROOT / "sample_data"}/')
        exec(compile(code, "README.md", "exec"), namespace)
    assert (tmp_path / "fishbone.svg").read_text().startswith("<svg")
    assert (tmp_path / "report.html").stat().st_size > 500_000
    assert len(list((tmp_path / ".workbench" / "datasets").glob("*.duckdb"))) == 1
    assert (tmp_path / "sample.duckdb").is_file()
    levels = namespace["levels"]
    assert levels.verdict == "journey"  # type: ignore[attr-defined]
    fishbone = namespace["fishbone"]
    assert fishbone.leader("People")["label"] == "team = Tech Support B"  # type: ignore[attr-defined]


@pytest.mark.parametrize("argv", _commands(), ids=lambda a: a[3])
def test_command_line_example_runs(argv: list[str], tmp_path: Path) -> None:
    assert argv[:3] == ["python", "-m", "workbench"]
    if "--out" in argv:  # write into the test's folder, not the repository
        argv = [*argv]
        argv[argv.index("--out") + 1] = str(tmp_path / argv[argv.index("--out") + 1])
    done = subprocess.run(
        [sys.executable, *argv[1:]], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    if argv[3] == "report":
        page = (tmp_path / "report.html").read_text()
        assert page.startswith("<!DOCTYPE html>") and "Journey versus touchpoint" in page
        return
    out = json.loads(done.stdout)
    documented = {
        "journeys": {"load", "journeys", "touchpoints", "edges", "starts", "ends", "variants"},
        "friction": {"friction"},
        "causes": {"effect", "bones"},
        "kpis": {"by", "params", "kpis"},
        "funnel": {"steps", "params", "table", "sentence"},
        "reasons": {"language", "sentiment_method", "reasons", "alerts"},
        "satisfaction": {
            "outcome",
            "n",
            "journey_level",
            "touchpoint_level",
            "difference",
            "verdict",
            "measures",
        },
    }[argv[3]]
    assert documented <= set(out)


def test_every_subcommand_has_an_example() -> None:
    assert {argv[3] for argv in _commands()} == {
        "journeys",
        "friction",
        "causes",
        "kpis",
        "satisfaction",
        "report",
        "funnel",
        "reasons",
    }
