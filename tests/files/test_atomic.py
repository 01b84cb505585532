"""Safe files: atomic writes, no accidental replacement, spreadsheet-safe CSV cells."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from randsample import Population
from randsample.errors import InvalidInputError
from randsample.files import (
    read_population_csv,
    read_record,
    spreadsheet_cell,
    write_atomic,
    write_monthly_csv,
    write_population_csv,
    write_record,
)

GOLDEN = Path(__file__).parents[1] / "data" / "golden_draw"

# A child that rewrites one file in a loop, alternating two large contents, and says when it
# has started; the parent kills it at a random moment.
_WRITER = """
import sys
from randsample.files import write_atomic
path = sys.argv[1]
contents = [b"A" * 8_000_000 + b"end-A", b"B" * 9_000_000 + b"end-B"]
print("ready", flush=True)
i = 0
while True:
    write_atomic(path, contents[i % 2], force=True)
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_kill_during_a_write_leaves_the_old_file_or_the_new_one(tmp_path: Path):
    """Killed (SIGKILL) at random moments while rewriting a large file, the writer leaves the
    previous content intact or the new one complete, never a truncated or mixed file."""
    target = tmp_path / "record.json"
    old = b"the previous record"
    target.write_bytes(old)
    allowed = {old, b"A" * 8_000_000 + b"end-A", b"B" * 9_000_000 + b"end-B"}
    for delay in (0.03, 0.29):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE
        )
        assert child.stdout is not None
        assert b"ready\n" == child.stdout.readline()
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert -signal.SIGKILL == child.returncode
        assert target.read_bytes() in allowed
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "record.json"]
    assert all(name.startswith(".record.json.") and name.endswith(".tmp") for name in leftovers)


def test_existing_files_are_replaced_only_with_force(tmp_path: Path):
    """A second write to the same path is refused; force replaces; a folder is refused."""
    target = tmp_path / "out.json"
    write_atomic(target, "first")
    with pytest.raises(InvalidInputError, match="already exists"):
        write_atomic(target, "second")
    assert "first" == target.read_text(encoding="utf-8")
    write_atomic(target, "second", force=True)
    assert "second" == target.read_text(encoding="utf-8")
    with pytest.raises(InvalidInputError, match="is a folder"):
        write_atomic(tmp_path, "x", force=True)
    assert ["out.json"] == sorted(p.name for p in tmp_path.iterdir())


def test_the_previous_record_is_never_replaced(tmp_path: Path):
    """A record named in protect (the --previous one) is refused even with force, whichever
    spelling of its path is used."""
    record = read_record(GOLDEN / "record1.json")
    target = tmp_path / "record.json"
    write_record(record, target)
    with pytest.raises(InvalidInputError, match="previous record"):
        write_record(record, target, force=True, protect=(str(target),))
    os.chdir(tmp_path)
    with pytest.raises(InvalidInputError, match="previous record"):
        write_record(record, "./record.json", force=True, protect=("record.json",))


def test_secret_files_are_private(tmp_path: Path):
    """private=True creates the file readable by its owner only."""
    write_atomic(tmp_path / "secret.json", "{}", private=True)
    if sys.platform != "win32":
        assert 0o600 == (tmp_path / "secret.json").stat().st_mode & 0o777


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
        ("+1+2", "'+1+2"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("QH-0001", "QH-0001"),
        ("2026-11", "2026-11"),
        ("", ""),
        (12, "12"),
    ],
)
def test_spreadsheet_cells(cell, shown):
    """Cells spreadsheet software would run as formulas get a leading apostrophe."""
    assert shown == spreadsheet_cell(cell)


def test_report_csv_cells_are_neutralised(tmp_path: Path):
    """A department code like =HYPERLINK(...) reaches the monthly CSV as text."""
    import attrs

    from randsample.examples import small_monthly_report

    report = small_monthly_report()
    evil = attrs.evolve(
        report,
        table=tuple(attrs.evolve(e, department="=HYPERLINK(1)") for e in report.table),
    )
    write_monthly_csv(evil, tmp_path / "report.csv")
    text = (tmp_path / "report.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text
    with pytest.raises(InvalidInputError, match="already exists"):
        write_monthly_csv(evil, tmp_path / "report.csv")


def test_population_csv_keeps_ids_exact_and_refuses_formula_cells(tmp_path: Path):
    """The population file's cells are what the digest covers, so a formula-like id is
    refused (not silently changed); the override writes it exactly and it reads back."""
    population = Population.from_columns(["=HYPERLINK(1)", "E2"], strata="A")
    with pytest.raises(InvalidInputError, match="formula"):
        write_population_csv(population, tmp_path / "p.csv")
    write_population_csv(population, tmp_path / "p.csv", allow_formula_cells=True)
    assert population.digest() == read_population_csv(tmp_path / "p.csv").digest()
