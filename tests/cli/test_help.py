"""The command line's conventions: help people can use, ``-`` for standard input and output,
one-line errors, and quiet exits when the reader of standard output goes away."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from randsample.cli import main

COMMANDS = (
    "demo",
    "announce",
    "draw",
    "verify",
    "visits",
    "assign",
    "publish",
    "audit",
    "report",
    "fairness",
    "export-verifier",
)
READS = {  # the file formats each command's help must describe
    "demo": (),
    "announce": ("population", "design", "directory", "visits", "conflicts", "sources", "secret"),
    "audit": ("record", "population"),
    "verify": ("record", "population"),
    "draw": ("population", "design", "seed", "record"),
    "visits": ("record", "table"),
    "publish": ("record", "table", "visits"),
    "assign": ("directory", "visits", "conflicts", "seed", "record"),
    "report": ("plan", "outcomes", "seed", "population"),
    "fairness": ("population", "design"),
    "export-verifier": (),
}
STAMP = "2026-11-27T02:00:00Z"
POPULATION = "id,stratum,eligible,weight\n" + "".join(
    f"E{i:02d},{'A' if i < 12 else 'B'},{0 if i == 3 else 1},{1 + i % 3}.0\n" for i in range(20)
)
SEED = {"hex": "8f3c0e5a9b7d2146f1e0c3b5a7d9e2f4"}
DESIGN = {"sizes": {"A": 3, "B": 2}}


def width(line: str) -> int:
    """Terminal columns of ``line`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def help_text(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert 0 == main([*args, "--help"])
    captured = capsys.readouterr()
    assert "" == captured.err
    return captured.out


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding population.csv, seed.json, design.json and record.json (drawn)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "population.csv").write_text(POPULATION, encoding="utf-8")
    (tmp_path / "seed.json").write_text(json.dumps(SEED), encoding="utf-8")
    (tmp_path / "design.json").write_text(json.dumps(DESIGN), encoding="utf-8")
    args = ["--design", "design.json", "--seed", "seed.json", "--authority", "bureau"]
    assert 0 == main(["draw", "population.csv", *args, "--draw-id", "d-1", "--timestamp", STAMP])
    return tmp_path


def feed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Make ``data`` the process's standard input (as bytes under a UTF-8 text stream)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m randsample ARGS`` in a subprocess."""
    command = [sys.executable, "-m", "randsample", *args]
    return subprocess.run(command, check=False, **kwargs)  # type: ignore[call-overload,no-any-return]


# -- help ----------------------------------------------------------------------------------------


def test_top_level_help_lists_every_command_with_a_summary(capsys, monkeypatch):
    """randsample --help names every command, each with a one-line summary, and no RST."""
    monkeypatch.setenv("COLUMNS", "80")
    text = help_text([], capsys)
    for name in COMMANDS:
        assert re.search(rf"^  {re.escape(name)}\s{{2,}}\w.+$", text, re.MULTILINE), name
    assert "``" not in text
    assert "docs/cli.md" in text
    assert "exit codes" in text
    assert [] == [line for line in text.splitlines() if width(line) > 80]


def test_the_commands_are_exactly_these(capsys):
    """An unknown command is one line on stderr listing the commands: the list above, in order."""
    assert 2 == main(["no-such-command"])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert list(COMMANDS) == re.findall(r"'([a-z-]+)'", err.split("choose from", 1)[1])


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_help_has_description_examples_and_formats(name, capsys, monkeypatch):
    """randsample CMD --help exits 0 with a description, examples of CMD, the formats of the
    files CMD reads, and a pointer to the guide, in lines that fit 80 columns."""
    monkeypatch.setenv("COLUMNS", "80")
    text = help_text([name], capsys)
    assert text.startswith(f"usage: randsample {name} ")
    description = text.split("\n\n", 2)[1]  # after the usage paragraph
    assert len(description.split()) >= 20, description
    assert not description.startswith(("positional arguments:", "options:"))
    examples = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert 1 <= sum(line.startswith(f"  randsample {name}") for line in examples) <= 3
    for kind in READS[name]:
        assert re.search(rf"^{kind} +\S", text, re.MULTILINE), kind
    assert ("files read:" in text) == bool(READS[name])
    assert "docs/cli.md" in text
    assert "``" not in text
    assert [] == [line for line in text.splitlines() if width(line) > 80]


def test_help_exits_0_from_the_shell():
    """The installed entry point exits 0 for a subcommand's --help."""
    result = run("report", "--help", capture_output=True)
    assert 0 == result.returncode
    assert b"examples:" in result.stdout


# -- bad input: one line, exit code 2 -----------------------------------------------------------


def test_usage_error_is_one_line_exit_2(capsys):
    """A missing required option is one line on stderr naming it and the help, exit 2."""
    assert 2 == main(["draw", "population.csv", "--seed", "seed.json"])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "--design" in err
    assert "randsample draw --help" in err


def test_unreadable_files_are_one_line_exit_2(folder: Path, capsys):
    """A missing file and a population file that is not UTF-8 are one line each, exit 2."""
    assert 2 == main(["verify", "missing.json", "population.csv"])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "missing.json" in err
    (folder / "gbk.csv").write_bytes("id,stratum,eligible,weight\n企业,A,1,\n".encode("gbk"))
    assert 2 == main(["verify", "record.json", "gbk.csv"])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "UTF-8" in err


# -- '-' for standard input and output ----------------------------------------------------------


def test_record_from_stdin_verifies(folder: Path, monkeypatch, capsys):
    """verify - POPULATION reads the record from standard input."""
    feed(monkeypatch, (folder / "record.json").read_bytes())
    assert 0 == main(["verify", "-", "population.csv"])
    assert capsys.readouterr().out.startswith("VERIFIED")


def test_population_from_stdin_is_csv(folder: Path, monkeypatch, capsys):
    """verify RECORD - reads the population CSV from standard input."""
    feed(monkeypatch, POPULATION.encode("utf-8"))
    assert 0 == main(["verify", "record.json", "-"])
    assert capsys.readouterr().out.startswith("VERIFIED")


def test_real_stdin_in_a_subprocess(folder: Path):
    """The same through a real standard input (bytes, as a shell pipe gives them)."""
    result = run(
        "verify",
        "-",
        "population.csv",
        input=(folder / "record.json").read_bytes(),
        capture_output=True,
        cwd=folder,
    )
    assert 0 == result.returncode, result.stderr
    assert result.stdout.startswith(b"VERIFIED")


def test_seed_from_stdin_and_record_to_stdout(folder: Path, monkeypatch, capsys):
    """draw --seed - --out - writes exactly the bytes of --out FILE to stdout, the summary to
    stderr."""
    feed(monkeypatch, json.dumps(SEED).encode("utf-8"))
    args = ["--design", "design.json", "--authority", "bureau", "--draw-id", "d-1"]
    assert 0 == main(
        ["draw", "population.csv", *args, "--seed", "-", "--timestamp", STAMP, "--out", "-"]
    )
    captured = capsys.readouterr()
    assert (folder / "record.json").read_text(encoding="utf-8") == captured.out
    assert "Wrote <stdout>" in captured.err


def test_design_from_stdin_error_names_stdin(folder: Path, monkeypatch, capsys):
    """A bad file on standard input is named <stdin>, not by a temporary path."""
    feed(monkeypatch, b'{"sizes": {"A": 3, "B": 2}, "colour": "red"}')
    args = ["--seed", "seed.json", "--authority", "b", "--draw-id", "d"]
    assert 2 == main(["draw", "population.csv", "--design", "-", *args])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "<stdin>: colour" in err
    assert "tmp" not in err.lower()


def test_only_one_file_from_stdin(folder: Path, monkeypatch, capsys):
    """Two files named - are refused (standard input can be read once), exit 2."""
    feed(monkeypatch, (folder / "record.json").read_bytes())
    assert 2 == main(["verify", "-", "-"])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "standard input" in err


def test_export_verifier_to_stdout(tmp_path: Path, monkeypatch, capsys):
    """export-verifier - prints the file export-verifier PATH writes."""
    monkeypatch.chdir(tmp_path)
    assert 0 == main(["export-verifier", "verify_draw.py"])
    capsys.readouterr()
    assert 0 == main(["export-verifier", "-"])
    assert (tmp_path / "verify_draw.py").read_text(encoding="utf-8") == capsys.readouterr().out


# -- a reader that goes away ---------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="SIGPIPE and EPIPE are POSIX")
@pytest.mark.parametrize(
    "args", [["verify", "record.json", "population.csv"], ["export-verifier", "-"]]
)
def test_closed_pipe_is_quiet_exit_141(folder: Path, args: list[str]):
    """Writing into a pipe whose reader has gone (| head) exits 141 with nothing on stderr: no
    'Broken pipe', no traceback."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = run(*args, stdout=write, stderr=subprocess.PIPE, cwd=folder)
    finally:
        os.close(write)
    assert b"" == result.stderr
    assert 141 == result.returncode


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell pipeline")
def test_pipe_into_head_prints_one_line_and_no_error(folder: Path):
    """`randsample verify ... --json | head -1` prints one line, and nothing on stderr."""
    command = f"{sys.executable} -m randsample verify record.json population.csv --json | head -1"
    result = subprocess.run(
        ["sh", "-c", command], cwd=folder, capture_output=True, check=False, text=True
    )
    assert "" == result.stderr
    assert 1 == len(result.stdout.splitlines())


def test_text_only_streams_in_process(folder: Path, monkeypatch, capsys):
    """In-process callers may give text streams without bytes: '-' reads and writes them."""
    monkeypatch.setattr(sys, "stdin", io.StringIO((folder / "record.json").read_text("utf-8")))
    assert 0 == main(["verify", "-", "population.csv"])
    assert capsys.readouterr().out.startswith("VERIFIED")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert 0 == main(["export-verifier", "-"])
    assert out.getvalue().startswith('"""Independent verifier')
