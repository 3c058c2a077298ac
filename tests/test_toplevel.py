"""The public surface is small and documented, and the library never needs Streamlit."""

from __future__ import annotations

import inspect
import subprocess
import sys

import workbench as wb

from .conftest import ROOT


def test_all_lists_exactly_the_public_names() -> None:
    public = {n for n in dir(wb) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if inspect.ismodule(getattr(wb, n))}
    assert set(wb.__all__) == public - (modules - {"charts"})
    assert len(wb.__all__) <= 26  # a small surface: the rest lives in the modules


def test_public_functions_have_numpy_docstrings_with_examples() -> None:
    for name in wb.__all__:
        obj = getattr(wb, name)
        assert obj.__doc__, name
        if inspect.isfunction(obj):
            doc = obj.__doc__
            assert "Parameters\n" in doc or "Examples\n" in doc, name
            assert "Examples\n" in doc, f"{name} needs an example that runs on sample_data/"


def test_library_imports_and_runs_without_streamlit() -> None:
    code = (
        "import sys, workbench as wb\n"
        "log = wb.load_events('tests/data/tiny_journeys.csv')\n"
        "m = wb.build_journeys(log)\n"
        "wb.charts.journey_map_dot(wb.journey_graph(m))\n"
        "wb.charts.variants_chart(m.variants).to_dict()\n"
        "bad = sorted(k for k in sys.modules if k == 'streamlit' or k.startswith('streamlit.'))\n"
        "print(len(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def test_import_and_the_journeys_command_leave_the_heavy_libraries_alone() -> None:
    """``import workbench`` and ``python -m workbench journeys`` start in about a second: the
    statistics, model and chart libraries are imported when an analysis first needs them."""
    heavy = ("scipy", "sklearn", "statsmodels", "ruptures", "altair", "networkx")
    code = (
        "import sys, workbench as wb\n"
        "from workbench import cli\n"
        "cli.main(['journeys', '--events', 'tests/data/tiny_journeys.csv', '--table', 'edges'])\n"
        f"print(sorted(k for k in sys.modules if k.split('.')[0] in {heavy!r}))\n"
        "wb.rank_friction\n"
        "print('scipy' in sys.modules, callable(wb.group_causes))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    *_, loaded, after = done.stdout.strip().splitlines()
    assert loaded == "[]"
    assert after == "True True"


def test_no_module_in_the_library_mentions_streamlit() -> None:
    for path in (ROOT / "workbench").rglob("*.py"):
        text = path.read_text()
        assert "import streamlit" not in text and "from streamlit" not in text, path
