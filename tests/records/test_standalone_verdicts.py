"""Golden verdicts (spec 22.9): both verifiers print the same plain-language verdict.

Each folder of ``tests/data/verdict_text/`` is a tampered case (a changed population row, an
edited seed source, an edited selection, a broken chain, an edited digest, a wrong authority
secret, an edited receipt, ...) with its expected shared verdict in English and Chinese. The
standalone verifier (its command line) and the library (``randsample verify`` for draws, the
``VerificationReport`` rendering of the other kinds' verifiers) must print exactly it; the
message catalogue of both must equal the table of docs/spec.md 22.4.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from randsample.cli import main as randsample_main
from randsample.files import (
    read_conflicts,
    read_directory,
    read_experts,
    read_population_csv,
    read_team_visits,
    read_visits,
)
from randsample.records import _standalone_verify as sv
from randsample.records import _verdict
from randsample.records._verdict_messages import MESSAGES
from randsample.results import verify_notice, verify_receipt, verify_results, verify_salted
from randsample.teams import verify_adjustments, verify_assignment, verify_team_record

DATA = Path(__file__).parents[1] / "data"
CASES = DATA / "verdict_text"
SPEC = Path(__file__).parents[2] / "docs" / "spec.md"
NAMES = sorted(p.parent.name for p in CASES.glob("*/case.json"))


def case(name: str) -> dict[str, Any]:
    """The case's description, command line and expected codes."""
    return json.loads((CASES / name / "case.json").read_text(encoding="utf-8"))


def expected_text(name: str, lang: str) -> str:
    """The expected shared verdict (parts 1-5 of spec 15.1)."""
    return (CASES / name / f"{lang}.txt").read_text(encoding="utf-8")


def shared(text: str) -> str:
    """Parts 1-5 of a verdict text: everything before the details."""
    text = text.split("\n\nDetails (", maxsplit=1)[0]
    return text.split("\n\n详细差异（", maxsplit=1)[0].rstrip("\n") + "\n"


def paths(args: list[str]) -> list[str]:
    """The case's command line with its paths made absolute."""
    return [str(DATA / a) if "/" in a else a for a in args]


def test_there_are_cases_of_every_kind() -> None:
    """The cases cover each cause a tampering produces and both verified kinds."""
    causes = {c for name in NAMES for c in case(name)["expected"]["causes"]}
    assert {
        "wrong-population",
        "wrong-seed",
        "selection-edited",
        "record-edited",
        "chain-broken",
        "sizes-inconsistent",
        "replacement-wrong",
        "wrong-directory",
        "teams-edited",
        "wrong-commitment",
        "result-invalid",
        "wrong-receipt-data",
        "wrong-notice",
    } <= causes
    assert 2 <= sum(case(n)["expected"]["status"] == "verified" for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_standalone_prints_the_golden_verdict(
    name: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The standalone verifier's text (parts 1-5) and codes are the golden ones."""
    spec = case(name)
    code = sv.main([*paths(spec["args"]), "--lang", lang])
    text = capsys.readouterr().out
    assert expected_text(name, lang) == shared(text)
    assert {"verified": 0, "not-verified": 1}[spec["expected"]["status"]] == code
    sv.main([*paths(spec["args"]), "--json"])
    verdict = json.loads(capsys.readouterr().out)
    assert spec["expected"] == {k: verdict[k] for k in ("status", "causes", "differs")}


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def _positional(args: list[str]) -> list[str]:
    found, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("--"):
            skip = True
        else:
            found.append(arg)
    return found


def library_verdict(args: list[str], capsys: pytest.CaptureFixture[str], lang: str) -> str:
    """The library's verdict text for a case: ``randsample verify`` for draw records, the
    kind's verifier and ``VerificationReport.verdict`` for the others."""
    files = _positional(args)
    record_text = Path(files[0]).read_text(encoding="utf-8")
    record = json.loads(record_text)
    kind = (
        record[-1]["record_format"]
        if isinstance(record, list)
        else (record.get("record_format") or record.get("receipt_format"))
    )
    if kind == "randsample.draw-record/1":
        randsample_main(["verify", *args, "--lang", lang])
        return capsys.readouterr().out
    previous = _option(args, "--previous")
    chain = previous is not None
    if kind == "randsample.salted-draw-record/1":
        secret = bytes.fromhex(str(_option(args, "--secret")))
        report = verify_salted(record_text, read_population_csv(files[1]), secret)
        verdict = report.verdict(record, chain_checked=chain)
    elif kind == "randsample.assignment-record/1":
        directory = read_directory(files[1])
        report = verify_assignment(
            record_text, directory, read_visits(files[2]), conflicts=read_conflicts(files[3])
        )
        verdict = report.verdict(record, chain_checked=chain)
    elif kind == "randsample.result-record/1":
        report = verify_results([json.dumps(r, ensure_ascii=False) for r in record])
        verdict = report.verdict(record[-1], records=record, chain_checked=chain)
    elif kind == "randsample.assignment-record/2":
        teams, adjustments = _library_teams2([Path(f) for f in files[1:]])
        if adjustments:
            report = verify_adjustments(record_text, *teams[:2], adjustments, **teams[2])
        else:
            report = verify_team_record(record_text, *teams[:2], **teams[2])
        verdict = report.verdict(record, chain_checked=chain, adjustments=adjustments)
    elif kind == "randsample.public-notice/1":
        verdict = verify_notice(record_text).verdict(record, chain_checked=chain)
    else:
        notice_text = Path(files[1]).read_text(encoding="utf-8")
        report = verify_receipt(record_text, notice_text)
        verdict = report.verdict(record, notice=json.loads(notice_text))
    return verdict.text(lang)


# Where the library differs from the spec, the case stays, marked (xfail_strict: it turns
# red the day the library is fixed, so that the mark is removed).
LIBRARY_GAPS: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=LIBRARY_GAPS[n]))
        if n in LIBRARY_GAPS
        else n
        for n in NAMES
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_library_prints_the_golden_verdict(
    name: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The library prints the same shared verdict for the same tampered inputs."""
    assert expected_text(name, lang) == shared(
        library_verdict(paths(case(name)["args"]), capsys, lang)
    )


def _library_teams2(paths: list[Path]) -> tuple[tuple[Any, Any, dict[str, Any]], list[Any]]:
    """The library's objects for version-2 input files (spec 19.8), and the adjustments:
    ((directory, visits, {experts, conflicts}), adjustment records)."""
    found: dict[str, Path] = {}
    adjustments = []
    for path in paths:
        value = json.loads(path.read_text(encoding="utf-8"))
        if "record_format" in value:
            adjustments.append(value)
        else:
            kinds = ("inspectors", "experts", "visits")
            found[next((k for k in kinds if k in value), "conflicts")] = path
    directory = read_directory(found["inspectors"])
    visits = read_team_visits(found["visits"])
    experts = read_experts(found["experts"])
    conflicts = read_conflicts(found["conflicts"])
    texts = [json.dumps(a, ensure_ascii=False) for a in adjustments]
    return (directory, visits, {"experts": experts, "conflicts": conflicts}), texts


def _spec_catalogue() -> dict[str, tuple[str, str]]:
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("### 22.4 Messages", 1)[1].split("### 22.5", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.*?) \| (.*?) \|$", section, re.MULTILINE)
    return {key: (en.replace("\\|", "|"), zh.replace("\\|", "|")) for key, en, zh in rows}


def test_both_catalogues_are_the_spec_table() -> None:
    """The message catalogue of spec 15.4 is, key for key and word for word, the one of the
    library and the one of the standalone verifier (same wording in both)."""
    assert _spec_catalogue() == MESSAGES
    assert MESSAGES == sv.MESSAGES


def test_both_code_tables_are_the_spec_tables() -> None:
    """Check codes, their order and the causes' precedence are the same in both and in the
    spec's tables of 22.2 and 22.3."""
    text = SPEC.read_text(encoding="utf-8")
    checks = text.split("### 22.2 Check codes", 1)[1].split("### 22.3", 1)[0]
    codes = tuple(re.findall(r"^\| `([a-z-]+)` \|", checks, re.MULTILINE))
    assert codes == _verdict.CHECKS == sv.CHECKS
    causes = text.split("### 22.3 Causes", 1)[1].split("### 22.4", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| `([a-z-]+)` \|(.*?)\|$", causes, re.MULTILINE)
    table = tuple(
        (cause, code, tuple(re.findall(r"`([a-z-]+)`", explains))) for cause, code, explains in rows
    )
    assert table == _verdict.CAUSES == sv.CAUSES


@pytest.mark.parametrize(
    "field",
    [
        "record_digest",
        "seed.key",
        "purpose",
        "population.digest",
        "population.commitment.root",
        "population_commitment",
        "design.strata['A'].eligible",
        "strata",
        "selection['x'].ticket",
        "drawn",
        "selected",
        "previous_record_digest",
        "previous.record_digest",
        "replacements[0].draw_record_digest",
        "replacements[2].replacement",
        "records[1].draw_record_digest",
        "records[1].result.state",
        "draw_record.population.commitment.root",
        "draw_record_digest",
        "notice.seed.value",
        "directory.digest",
        "input.visits",
        "teams['V'][\"D\"]",
        "unstaffed",
        "notice_digest",
        "proof.bucket",
        "ticket",
        "surprise",
    ],
)
def test_check_codes_agree(field: str) -> None:
    """Both implementations give every field path the same check code (spec 22.2)."""
    assert _verdict.check_code(field) == sv.check_code(field)
