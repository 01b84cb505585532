"""The CLI guide cannot go stale: its examples run, and it documents every command and option.

docs/cli.md shows example files and shell sessions. A fenced block after a line ending in
`` `name`: `` is a file; a ``console`` block holds ``$ `` commands (a line ending in ``\\``
continues on the next), each followed by the output it prints (standard output, then standard
error, as a terminal shows them; ``...`` matches any text, as in doctests).
:func:`test_guide_examples_run` writes the files into a fresh folder and runs the commands
there in order, in-process through :func:`randsample.cli.main`; the commands may use
``< file``, ``> file``, ``echo $?`` (the last exit code) and ``python`` (run in a
subprocess). A command that exits non-zero must be followed by ``echo $?`` showing it.
"""

from __future__ import annotations

import doctest
import io
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from randsample.cli import main

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
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
FILE_NAME = re.compile(r"`([\w.-]+)`:$")
FENCE = re.compile(r"^(`{3,})(\S*)\s*$")


@dataclass(frozen=True)
class Step:
    """A file to write (``command`` None) or a command with its expected output."""

    line: int
    text: str
    command: str | None = None
    file: str | None = None


def steps(markdown: str) -> list[Step]:
    """Return the guide's example files and commands, in order."""
    found: list[Step] = []
    lines = markdown.splitlines()
    previous = ""  # the last non-blank line before a block
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if fence is None:
            previous = lines[index].strip() or previous
            index += 1
            continue
        start = index + 1
        end = start
        while not lines[end].startswith(fence.group(1)):
            end += 1
        body = lines[start:end]
        if fence.group(2) == "console":
            found += _commands(body, start + 1)
        elif (name := FILE_NAME.search(previous)) is not None:
            found.append(Step(start, "\n".join(body) + "\n", file=name.group(1)))
        previous = ""
        index = end + 1
    return found


def _commands(body: list[str], first_line: int) -> list[Step]:
    commands: list[Step] = []
    command: list[str] = []
    output: list[str] = []
    line = first_line
    for number, text in enumerate(body, start=first_line):
        if command and command[-1].endswith("\\"):  # continued on the next line
            command[-1] = command[-1][:-1].rstrip()
            command.append(text.strip())
        elif text.startswith("$ "):
            if command:
                commands.append(Step(line, "".join(f"{o}\n" for o in output), " ".join(command)))
            command, output, line = [text[2:]], [], number
        else:
            output.append(text)
    if command:
        commands.append(Step(line, "".join(f"{o}\n" for o in output), " ".join(command)))
    return commands


def run(command: str, last: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run one guide command in the current folder; return its exit code and what it shows."""
    words = shlex.split(command)
    stdin = stdout = None
    if "<" in words:
        at = words.index("<")
        stdin = Path(words[at + 1]).read_bytes()
        del words[at : at + 2]
    if ">" in words:
        at = words.index(">")
        stdout = words[at + 1]
        del words[at : at + 2]
    if words == ["echo", "$?"]:
        return 0, f"{last}\n"
    program, *args = words
    if program == "python":
        done = subprocess.run(
            [sys.executable, *args], input=stdin, capture_output=True, check=False
        )
        code, out, err = done.returncode, done.stdout.decode(), done.stderr.decode()
    else:
        assert "randsample" == program, command
        saved = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
        try:
            code = main(args)
        finally:
            sys.stdin = saved
        out, err = capsys.readouterr()
    if stdout is not None:
        Path(stdout).write_bytes(out.encode("utf-8"))
        out = ""
    # A terminal shows only what follows the last carriage return of a line (progress).
    err = "".join(line.rpartition("\r")[2] for line in err.splitlines(keepends=True))
    return code, out + err


def _same(expected: str, actual: str) -> bool:
    def clean(text: str) -> str:
        return "".join(line.rstrip() + "\n" for line in text.splitlines())

    return doctest.OutputChecker().check_output(clean(expected), clean(actual), doctest.ELLIPSIS)


def test_guide_has_examples():
    """The parser finds the guide's files and commands (so the run below cannot pass empty)."""
    found = steps(GUIDE.read_text(encoding="utf-8"))
    files = {step.file for step in found if step.file}
    commands = [step.command for step in found if step.command]
    assert {"population.csv", "design.toml", "seed.json", "plan.json", "outcomes.csv"} <= files
    assert {"directory.json", "visits.json", "conflicts.json"} <= files
    for name in COMMANDS:
        assert any(c.startswith(f"randsample {name} ") for c in commands), name


def test_guide_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """Every command of docs/cli.md, run in order in a folder holding its example files,
    prints what the guide shows, and exits 0 unless the guide shows its exit code."""
    pytest.importorskip("tomllib")  # the guide's design is TOML (Python 3.11+)
    monkeypatch.chdir(tmp_path)
    last, unshown = 0, None
    for step in steps(GUIDE.read_text(encoding="utf-8")):
        if step.command is None:
            (tmp_path / str(step.file)).write_text(step.text, encoding="utf-8")
            continue
        if step.command != "echo $?":
            assert unshown is None, f"docs/cli.md:{unshown}: exit code {last} not shown"
        code, shown = run(step.command, last, capsys)
        assert _same(step.text, shown), (
            f"docs/cli.md:{step.line}: $ {step.command}\n--- guide\n{step.text}--- actual\n{shown}"
        )
        if step.command != "echo $?":
            last, unshown = code, (step.line if code else None)
        else:
            unshown = None
    assert unshown is None, f"docs/cli.md:{unshown}: exit code {last} not shown"


@pytest.mark.parametrize("name", COMMANDS)
def test_guide_documents_every_option(name: str, capsys: pytest.CaptureFixture[str]):
    """The guide's section on each command names every option its --help lists."""
    assert 0 == main([name, "--help"])
    listed = re.findall(r"^  (?:-\w, )?(--[a-z][a-z-]*)", capsys.readouterr().out, re.MULTILINE)
    options = set(listed) - {"--help"}
    assert options or name == "export-verifier"
    text = GUIDE.read_text(encoding="utf-8")
    heading = f"### `randsample {name}`"
    assert heading in text
    section = text.split(heading, 1)[1].split("\n### ", 1)[0]
    assert set() == {option for option in options if f"`{option}" not in section}
