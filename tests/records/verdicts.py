"""The shared table of verdict vectors (tests/data/verdicts) and three ways to run a case.

A verdict is ``(verdict, fields, notes)``: ``verdict`` is ``verified``, ``not verified`` or
``malformed``; ``fields`` the sorted set of top-level fields named (the first component of
each field path: ``selection[3].rank`` -> ``selection``); ``notes`` the sorted note codes.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from randsample.cli import main
from randsample.errors import InvalidInputError, RandsampleError
from randsample.files import (
    read_conflicts,
    read_directory,
    read_experts,
    read_population,
    read_team_visits,
    read_visits,
)
from randsample.records import (
    DrawRecord,
    ReplacementRecord,
    read_record,
    verify,
    verify_replacements,
)

DATA = Path(__file__).parents[1] / "data"
VECTORS = DATA / "verdicts"
Verdict = tuple[str, list[str], list[str]]


def cases() -> dict[str, dict[str, Any]]:
    """Every vector, by name."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(VECTORS.glob("*.json"))
    }


def record_bytes(case: dict[str, Any]) -> bytes:
    """The record file's exact bytes."""
    if "record_hex" in case:
        return bytes.fromhex(case["record_hex"])
    return case["record"].encode("utf-8")


def top(field: str) -> str:
    """The first component of a field path."""
    return field.split(".", 1)[0].split("[", 1)[0]


def expected(case: dict[str, Any]) -> Verdict:
    """The verdict the vector expects."""
    want = case["expected"]
    return want["verdict"], list(want["fields"]), list(want["notes"])


def library(case: dict[str, Any]) -> Verdict:
    """The library's verdict (read_record, then verify and verify_replacements; for a team
    record, the files' readers, then verify_assignment or verify_team_record)."""
    if "inputs" in case:
        return _library_teams(case)
    try:
        record = read_record(record_bytes(case), check_digest=False)
        if not isinstance(record, DrawRecord):
            raise InvalidInputError("record", record.FORMAT, "is not a draw record")
        population = read_population(DATA / case["population"])
        previous = (
            None if case["previous"] is None else read_record(case["previous"], check_digest=False)
        )
        announcement = case["announcement"]
        replacements = [read_record(text, check_digest=False) for text in case["replacements"]]
    except RandsampleError:
        return "malformed", [], []
    report = verify(record, population, previous=previous, announcement=announcement)
    if replacements:
        assert all(isinstance(r, ReplacementRecord) for r in replacements)
        report = report.merged(verify_replacements(record, population, replacements))  # type: ignore[arg-type]
    fields = sorted({top(field) for field in report.fields})
    return (
        "verified" if report.ok else "not verified",
        fields,
        sorted(note.code for note in report.notes),
    )


def _library_teams(case: dict[str, Any]) -> Verdict:
    """The library's verdict on a team record and its input files (spec 11.7, 19.7)."""
    from randsample.teams import verify_assignment, verify_team_record

    text = record_bytes(case).decode("utf-8")
    paths: dict[str, Path] = {}
    for name in case["inputs"]:
        value = json.loads((DATA / name).read_text(encoding="utf-8"))
        kind = next((k for k in ("inspectors", "experts", "visits") if k in value), "conflicts")
        paths[kind] = DATA / name
    try:
        directory = read_directory(paths["inspectors"])
        conflicts = read_conflicts(paths["conflicts"]) if "conflicts" in paths else None
        if json.loads(text)["record_format"] == "randsample.assignment-record/2":
            experts = read_experts(paths["experts"]) if "experts" in paths else None
            visits = read_team_visits(paths["visits"])
            report = verify_team_record(
                text, directory, visits, experts=experts, conflicts=conflicts
            )
        else:
            report = verify_assignment(
                text, directory, read_visits(paths["visits"]), conflicts=conflicts
            )
    except RandsampleError:
        return "malformed", [], []
    verdict = report.verdict(json.loads(text), chain_checked=False).to_json()
    return (
        "verified" if report.ok else "not verified",
        sorted({top(field) for field in report.fields}),
        sorted(note["code"] for note in verdict["notes"]),
    )


def _files(case: dict[str, Any], folder: Path) -> list[str]:
    (folder / "record.json").write_bytes(record_bytes(case))
    given = case.get("inputs") or [case["population"]]  # a team record's input files
    args = ["record.json", *(str(DATA / name) for name in given)]
    for option, text in (
        ("--previous", case["previous"]),
        ("--announcement", case["announcement"]),
    ):
        if text is not None:
            name = option.strip("-") + ".json"
            (folder / name).write_text(text, encoding="utf-8")
            args += [option, str(folder / name)]
    for index, text in enumerate(case["replacements"]):
        (folder / f"replacement{index}.json").write_text(text, encoding="utf-8")
        args += ["--replacement", str(folder / f"replacement{index}.json")]
    args[0] = str(folder / "record.json")
    return args


def _verdict(code: int, out: str, *, notes: bool) -> Verdict:
    if code == 2:
        return "malformed", [], []
    report = json.loads(out)
    fields = sorted({top(d["field"]) for d in report["discrepancies"]})
    codes = sorted(n["code"] for n in report.get("notes", [])) if notes else []
    return ("verified" if code == 0 else "not verified", fields, codes)


def cli(case: dict[str, Any], folder: Path) -> Verdict:
    """The verdict of ``randsample verify ... --json`` (exit code and output)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["verify", *_files(case, folder), "--json"])
    if code == 2:
        assert 1 == len(err.getvalue().splitlines()), err.getvalue()
    return _verdict(code, out.getvalue(), notes=True)


def standalone(case: dict[str, Any], folder: Path) -> Verdict:
    """The verdict of the stdlib-only verifier's command line (``--json``), notes included."""
    from randsample.records import _standalone_verify as sv

    args = _files(case, folder)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = sv.main([*args, "--json"])
    if code == 2:
        assert 1 == len(err.getvalue().splitlines()), err.getvalue()
    return _verdict(code, out.getvalue() if code != 2 else "{}", notes=True)
