"""The documentation cannot go stale: the notebook is executed, every public name documented.

The example notebook is run cell by cell in one namespace (no Jupyter kernel is needed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import randsample

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "examples" / "sampling-ratios.ipynb"


def _code_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for cell in cells:
        assert cell["outputs"] == [], "commit the notebook with empty outputs"
        assert cell["execution_count"] is None
    return ["".join(cell["source"]) for cell in cells]


@pytest.mark.slow
def test_notebook_runs_and_its_design_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    monkeypatch.chdir(NOTEBOOK.parent)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for index, source in enumerate(_code_cells(NOTEBOOK)):
        # IPython would display a cell's last expression; plain exec just evaluates it.
        try:
            exec(compile(source, f"<{NOTEBOOK.name} cell {index}>", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message names the cell
            pytest.fail(f"notebook code cell {index} raised {exc!r}:\n{source}")
    result = namespace["result"]
    assert isinstance(result, randsample.FairnessResult)
    assert result.passed, result.summary()
