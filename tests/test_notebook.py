"""The quickstart notebook runs from top to bottom and draws its charts offline."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOK = ROOT / "docs" / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_runs(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:  # write the report to the test's folder, not the repository
        if cell.cell_type == "code":
            cell.source = cell.source.replace(
                '"quickstart_report.html"', repr(str(tmp_path / "report.html"))
            )
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) >= 4  # journey map, friction, fishbone, levels
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "rows read 30,051 = loaded 30,051 + rejected 0" in text
    assert "sections" in text and (tmp_path / "report.html").stat().st_size > 500_000
