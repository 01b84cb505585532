"""The shared table of verdict vectors: the library and the CLI reach every expected verdict.

tests/data/verdicts holds one file per case (docs/spec.md section 16.7): a record, its inputs
and the verdict every verifier must reach (verified; not verified, naming these top-level
fields; malformed) with the randomness notes. The stdlib-only verifier runs over the same
table in test_verdicts_standalone.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .verdicts import VECTORS, cases, cli, expected, library

CASES = cases()


def test_the_table_covers_every_verdict():
    """The table has verified, not verified and malformed cases, and every note code."""
    verdicts = {case["expected"]["verdict"] for case in CASES.values()}
    notes = {code for case in CASES.values() for code in case["expected"]["notes"]}
    assert {"verified", "not verified", "malformed"} == verdicts
    assert {
        "publicly-random",
        "raw-seed",
        "unannounced",
        "low-entropy",
        "weak-sources",
        "weak-secret",
    } == notes
    assert len(CASES) >= 60


def test_the_vectors_are_what_the_generator_writes():
    """The frozen vectors are exactly what tests/data/verdicts/generate_verdicts.py builds."""
    done = subprocess.run(
        [sys.executable, str(VECTORS / "generate_verdicts.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_library_verdict(name: str):
    """read_record + verify (+ verify_replacements) give the vector's verdict."""
    assert expected(CASES[name]) == library(CASES[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_verdict(name: str, tmp_path: Path):
    """randsample verify --json gives the vector's verdict (exit 0, 1 or 2)."""
    assert expected(CASES[name]) == cli(CASES[name], tmp_path)
