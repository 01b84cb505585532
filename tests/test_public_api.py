"""The public surface is pinned: adding or removing a name must be a deliberate change."""

from __future__ import annotations

import re
from pathlib import Path

import randsample

EXPECTED = {
    "FairnessResult",
    "MonthlyReport",
    "Outcome",
    "monthly_report",
    "run_design",
    "Assignment",
    "Conflicts",
    "Directory",
    "Inspector",
    "Visit",
    "assign_inspectors",
    "check_feasibility",
    "make_assignment_record",
    "verify_assignment",
    "Department",
    "InspectionItem",
    "JointDraw",
    "MergedPlan",
    "MergedVisit",
    "Plan",
    "Task",
    "burden",
    "draw_joint",
    "merge_plan",
    "plan_metrics",
    "verify_joint",
    "Allocation",
    "allocate",
    "Estimates",
    "estimate_mean",
    "estimate_ratio",
    "estimate_total",
    "Sizes",
    "SealedRecord",
    "read_record",
    "sizes_from_rates",
    "PURPOSE_ENTERPRISES",
    "PURPOSE_INSPECTORS",
    "Discrepancy",
    "DrawRecord",
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidTypeError",
    "LowEntropySeedError",
    "Population",
    "PublicSource",
    "RandsampleError",
    "RecordFormatError",
    "RecordIntegrityError",
    "SampleSizeError",
    "Seed",
    "SelectedUnit",
    "StratifiedSample",
    "StratumSummary",
    "VerificationReport",
    "__version__",
    "commitment_for",
    "draw_stratified",
    "draw_stratified_pips",
    "inclusion_probabilities",
    "is_valid_uscc",
    "make_record",
    "ticket",
    "ticket_order",
    "tickets",
    "validate_uscc",
    "verify",
}


def test_all_is_pinned():
    """__all__ is exactly the expected names, without repeats, and each one exists.

    (Its order is kept by ruff's RUF022: constants, classes, then functions.)
    """
    assert EXPECTED == set(randsample.__all__)
    assert len(EXPECTED) == len(randsample.__all__)
    for name in randsample.__all__:
        assert hasattr(randsample, name)


def test_errors_form_one_hierarchy():
    """Every library error is a RandsampleError; argument errors are also ValueError/TypeError."""
    for name in randsample.__all__:
        obj = getattr(randsample, name)
        if (
            isinstance(obj, type)
            and issubclass(obj, Exception)
            and obj is not randsample.RandsampleError
        ):
            assert issubclass(obj, randsample.RandsampleError)
            assert issubclass(obj, (ValueError, TypeError))


def test_readme_example_runs():
    """The Python example in the README runs as written."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    exec(compile(block.group(1), "README.md", "exec"), {})


def test_importing_the_package_and_the_cli_leaves_scipy_stats_out():
    """``import randsample`` and the command line do not import scipy.stats (about 0.4 s, half
    of the import time): estimation and fairness import it when they first compute."""
    import subprocess
    import sys

    code = "import sys, randsample, randsample.cli; print('scipy.stats' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "False" == done.stdout.strip()
