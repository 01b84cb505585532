"""The example notebook cannot go stale: it runs under nbmake, and its design must pass.

``python -m pytest`` runs the notebook through this test; by hand, ``pytest --nbmake
docs/examples`` does the same. Both need the ``test`` extra (nbmake and ipykernel).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "examples" / "sampling-ratios.ipynb"


def _code_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert 4 == notebook["nbformat"]
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_notebook_asserts_that_its_design_passes() -> None:
    """The notebook's last code cell asserts the fairness result, so a failing design fails it."""
    last = _code_cells(NOTEBOOK)[-1]
    assert "result = run_design(" in last
    assert "assert result.passed" == last.strip().splitlines()[-1].strip()


@pytest.mark.slow
def test_notebook_runs_under_nbmake() -> None:
    """Every cell of the notebook runs in a fresh Jupyter kernel without an error (nbmake)."""
    pytest.importorskip("nbmake")
    pytest.importorskip("ipykernel")
    pytest.importorskip("pandas")
    command = [sys.executable, "-m", "pytest", "--nbmake", str(NOTEBOOK.relative_to(ROOT))]
    # -o addopts= : only the notebook (no doctests of the suite's addopts); no cache writes.
    command += ["-o", "addopts=", "-p", "no:cacheprovider", "-p", "no:cov", "-q"]
    # Not under CI's coverage (PYTEST_ADDOPTS="--cov"): the child measures nothing of ours, and
    # its empty report would fail the coverage floor.
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    assert 0 == run.returncode, run.stdout + run.stderr
