"""The standalone verifier's command line: exit codes, one-line refusals, the Python guard.

Exit 0 verified, 1 not verified, 2 cannot verify, the last always with exactly one line on
standard error and never a traceback, whatever the input (spec 15.8). The guard refuses a
Python older than 3.10 before anything that Python cannot run.
"""

from __future__ import annotations

import ast
import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from randsample.cli import main as randsample_main
from randsample.records import _standalone_verify as sv

DATA = Path(__file__).parents[1] / "data"
DRAW = DATA / "golden_draw"
PUBLICATION = DATA / "golden_publication"
SOURCE = Path(sv.__file__)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the standalone verifier in-process; return exit code, stdout, stderr."""
    code = sv.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_refusal(code: int, out: str, err: str) -> None:
    """Exit 2, one line on standard error, no traceback, nothing on standard output."""
    assert 2 == code
    assert "" == out
    assert 1 == len(err.splitlines()), err
    assert "Traceback" not in err
    assert err.startswith(("CANNOT VERIFY: ", "无法核验："))


# ---------------------------------------------------------------- the Python guard
def test_python_too_old_names_the_version() -> None:
    """3.8 and 3.9 are refused with one line naming the version; 3.10 and later pass."""
    expected = "CANNOT VERIFY: this verifier needs Python 3.10 or later; this is Python 3.8.10"
    assert expected == sv.python_too_old((3, 8, 10))
    assert "无法核验：本核验程序需要 Python 3.10 或更高版本，当前为 Python 3.9.7" == (
        sv.python_too_old((3, 9, 7), "zh")
    )
    assert sv.python_too_old((3, 10, 0)) is None
    assert sv.python_too_old((3, 13, 1)) is None
    assert sv.python_too_old((4, 0)) is None


def run_with_version(version: tuple[Any, ...], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the file as a program under a patched ``sys.version_info``."""
    boot = (
        "import runpy, sys; "
        f"sys.version_info = {version!r}; "
        "sys.argv = ['verify_draw.py', *sys.argv[1:]]; "
        f"runpy.run_path({str(SOURCE)!r}, run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-c", boot, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "RANDSAMPLE_LANG"},
    )


@pytest.mark.parametrize("version", [(3, 8, 10, "final", 0), (3, 9, 18, "final", 0)])
def test_guard_exits_2_with_one_line_on_an_old_python(version: tuple[Any, ...]) -> None:
    """Run under a patched ``sys.version_info`` of 3.8 or 3.9, the file stops at the guard:
    exit 2, one line, nothing on standard output (the record is never even read)."""
    done = run_with_version(version, str(DRAW / "record1.json"), str(DRAW / "population.csv"))
    shown = ".".join(map(str, version[:3]))
    expected = f"CANNOT VERIFY: this verifier needs Python 3.10 or later; this is Python {shown}\n"
    assert (2, "", expected) == (done.returncode, done.stdout, done.stderr)
    chinese = run_with_version(version, "x.json", "--lang", "zh")
    assert 2 == chinese.returncode
    assert chinese.stderr.startswith("无法核验：本核验程序需要 Python 3.10")


def test_guard_lets_a_current_python_through() -> None:
    """The same bootstrap with the real version runs the verification (the patch is live)."""
    done = run_with_version(
        tuple(sys.version_info), str(DRAW / "record1.json"), str(DRAW / "population.csv")
    )
    assert 0 == done.returncode, done.stderr


@pytest.mark.parametrize("minor", [8, 9])
def test_file_parses_with_an_old_grammar(minor: int) -> None:
    """The file parses with the grammar of Python 3.8 and 3.9, so the guard is reached
    there: no match statements, no parenthesized context managers, no other new syntax."""
    ast.parse(SOURCE.read_text(encoding="utf-8"), feature_version=(3, minor))


def test_guard_runs_before_anything_only_3_10_can_run() -> None:
    """Nothing above the guard but the docstring, imports and the guard's own functions:
    no module-level statement before it evaluates a type expression or calls a 3.10 API."""
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    guard = next(
        i
        for i, node in enumerate(tree.body)
        if isinstance(node, ast.If) and "_TOO_OLD" in ast.unparse(node.test)
    )
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Expr, ast.Assign, ast.AnnAssign)
    before = tree.body[:guard]
    assert all(isinstance(node, allowed) for node in before)
    names = {
        alias.name
        for node in before
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert {"tomllib"}.isdisjoint(names)  # 3.11+: imported lazily, inside a function


# ---------------------------------------------------------------- exit codes
def test_verified_not_verified_and_cannot_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """0 for the golden draw, 1 for an edited one, 2 (one line) for a missing file."""
    record, population = str(DRAW / "record1.json"), str(DRAW / "population.csv")
    code, out, _err = run_cli([record, population], capsys)
    assert (0, "VERIFIED: record 8a298ebe68cdb209… re-derives exactly") == (
        code,
        out.splitlines()[0],
    )
    edited = json.loads((DRAW / "record1.json").read_text(encoding="utf-8"))
    edited["selection"][0]["rank"] = 9
    (tmp_path / "edited.json").write_text(json.dumps(edited), encoding="utf-8")
    code, out, _err = run_cli([str(tmp_path / "edited.json"), population], capsys)
    assert 1 == code
    assert out.startswith("NOT VERIFIED: the selection was edited")
    one_line_refusal(*run_cli([str(tmp_path / "missing.json"), population], capsys))


def write(path: Path, data: bytes | str) -> str:
    """Write a file and return its path as a string."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return str(path)


GOOD = (DRAW / "record1.json").read_text(encoding="utf-8")
BAD_INPUTS = {
    "not json": "{",
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "deep objects": '{"a":' * 5_000 + "1" + "}" * 5_000,
    "huge integer": GOOD.replace('"rank":1', '"rank":' + "9" * 5000, 1),
    "beyond 2^53": GOOD.replace('"rank":1', '"rank":9007199254740993', 1),
    "a float": GOOD.replace('"rank":1', '"rank":1.0', 1),
    "NaN": GOOD.replace('"rank":1', '"rank":NaN', 1),
    "duplicate key": GOOD.replace('"authority":', '"authority":"x","authority":', 1),
    "lone surrogate": GOOD.replace('"golden-1"', '"golden-\\ud800"', 1),
    "not an object": "[1, 2]",
    "unknown format": GOOD.replace("randsample.draw-record/1", "randsample.draw-record/9", 1),
    "unknown algorithm version": GOOD.replace('"version":1}', '"version":2}', 1),
    "missing field": GOOD.replace('"draw_id":"golden-1",', "", 1),
    "extra field": GOOD.replace('"authority":', '"extra":1,"authority":', 1),
    "wrong type": GOOD.replace('"rank":1', '"rank":"1"', 1),
    "bad timestamp": GOOD.replace("2026-11-27T02:00:00Z", "2026-02-30T02:00:00Z", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_malformed_records_exit_2_with_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every malformed record (bounded recursion, huge integers, bad Unicode, duplicate keys,
    unknown formats and versions, closed field sets, exact types) is refused in one line."""
    assert BAD_INPUTS[case] != GOOD
    record = write(tmp_path / "record.json", BAD_INPUTS[case])
    one_line_refusal(*run_cli([record, str(DRAW / "population.csv")], capsys))


POPULATION = (DRAW / "population.csv").read_text(encoding="utf-8")
BAD_FILES = {
    "GBK bytes": POPULATION.replace("G0001", "企业").encode("gbk"),
    "a blank line": POPULATION.replace("\nG0002", "\n\nG0002", 1),
    "a bad header": POPULATION.replace("id,stratum", "ID,stratum", 1),
    "a repeated id": POPULATION.replace("G0002,", "G0001,", 1),
    "an unclosed quote": POPULATION.replace("G0002", '"G0002', 1),
    "a missing weight": POPULATION.replace("G0002,A,1,0.5", "G0002,A,1,", 1),
    "a negative weight": POPULATION.replace("G0002,A,1,0.5", "G0002,A,1,-0.5", 1),
    "an infinite weight": POPULATION.replace("G0002,A,1,0.5", "G0002,A,1,1e999", 1),
    "a flag of 2": POPULATION.replace("G0002,A,1", "G0002,A,2", 1),
    "a control character": POPULATION.replace("G0002", "G00\x0702", 1),
    "not NFC": POPULATION.replace("G0002", "Ge\u0301", 1),
    "three fields": POPULATION.replace("G0002,A,1,0.5", "G0002,A,1", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_malformed_population_files_exit_2_with_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A population file that breaks spec 4.3 (encoding, header, rows, ids) is refused in
    one line that names the file and the line."""
    assert BAD_FILES[case] != POPULATION
    population = write(tmp_path / "population.csv", BAD_FILES[case])
    code, out, err = run_cli([str(DRAW / "record1.json"), population], capsys)
    one_line_refusal(code, out, err)
    assert "population.csv" in err


def test_a_population_in_another_order_gives_the_same_digest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows in any order (read twice to sort) verify; a repeat among them is refused."""
    header, *rows = POPULATION.splitlines()
    shuffled = "\n".join([header, *rows[::-1]]) + "\n"
    population = write(tmp_path / "population.csv", shuffled)
    assert 0 == run_cli([str(DRAW / "record1.json"), population], capsys)[0]
    repeated = "\n".join([header, *rows[::-1], rows[5]]) + "\n"
    population = write(tmp_path / "population.csv", repeated)
    one_line_refusal(*run_cli([str(DRAW / "record1.json"), population], capsys))


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--lang", "fr", "r.json"],
        [str(DRAW / "record1.json")],  # no population
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), str(DRAW / "population.csv")],
        [str(PUBLICATION / "receipt_selected.json")],  # no notice
        [str(PUBLICATION / "salted_record.json"), str(PUBLICATION / "population.csv")],
        [
            str(PUBLICATION / "salted_record.json"),
            str(PUBLICATION / "population.csv"),
            "--secret",
            "zz",
        ],
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), "--previous", "nope.json"],
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), str(DRAW / "sizes.json")],
    ],
)
def test_command_line_mistakes_exit_2_with_one_line(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Usage errors and missing or unusable inputs: one line, exit 2 (no usage block)."""
    one_line_refusal(*run_cli(args, capsys))


def test_json_verdict_of_a_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    """With --json a refusal prints the JSON verdict too (status cannot-verify)."""
    code, out, err = run_cli(["missing.json", "x.csv", "--json"], capsys)
    verdict = json.loads(out)
    assert (2, "cannot-verify", False) == (code, verdict["status"], verdict["ok"])
    assert "file" == verdict["error"]["kind"]
    assert 1 == len(err.splitlines())


def test_standard_input_and_languages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'-' reads the record from standard input; RANDSAMPLE_LANG=zh and --lang choose the
    language of the text, never of --json."""
    stdin = io.BytesIO((DRAW / "record1.json").read_bytes())
    code = sv.main(["-", str(DRAW / "population.csv")], stdin=stdin)
    assert 0 == code
    assert capsys.readouterr().out.startswith("VERIFIED")
    monkeypatch.setenv("RANDSAMPLE_LANG", "zh_CN.UTF-8")
    code, out, _ = run_cli([str(DRAW / "record1.json"), str(DRAW / "population.csv")], capsys)
    assert out.startswith("核验通过：记录 8a298ebe68cdb209…")
    code, out, _ = run_cli(
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), "--lang", "en"], capsys
    )
    assert out.startswith("VERIFIED")
    code, out, _ = run_cli(
        [str(DRAW / "record1.json"), str(DRAW / "population.csv"), "--json"], capsys
    )
    assert json.loads(out)["headline"].startswith("VERIFIED")


def test_both_verifiers_print_the_same_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    """``randsample verify --json`` and the standalone ``--json`` share one schema (15.6),
    and agree on status, causes, check codes, warnings and announcement of a chained draw."""
    args = [str(DRAW / "record2.json"), str(DRAW / "population.csv")]
    args += ["--previous", str(DRAW / "record1.json"), "--json"]
    _code, standalone, _ = run_cli(args, capsys)
    assert 0 == randsample_main(["verify", *args])
    library = capsys.readouterr().out
    mine, theirs = json.loads(standalone), json.loads(library)
    assert set(theirs) == set(mine)
    assert set(mine["error"] or {}) >= set(theirs["error"] or {})
    keys = ("status", "ok", "headline", "causes", "differs", "announcement", "publicly_random")
    for key in keys:
        assert theirs[key] == mine[key], key
    assert [n["code"] for n in theirs["notes"]] == [n["code"] for n in mine["notes"]]


# ---------------------------------------------------------------- no traceback, ever
RECORDS = [
    DRAW / "record1.json",
    DRAW / "record_pips.json",
    DRAW / "replacement1.json",
    DATA / "golden_assignment" / "record_partial.json",
    PUBLICATION / "salted_record.json",
    PUBLICATION / "notice.json",
    PUBLICATION / "receipt_selected.json",
    DATA / "golden_assignment_v2" / "record_partial.json",
]
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**60), 2**60),
    st.text(max_size=8),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["", " A", "00" * 32, "x" * 64, "2026-13-01T00:00:00Z", "1/0", "-1"]),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            found += _paths(item, (*prefix, index))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_edited_records_never_raise(data: st.DataObject) -> None:
    """Any one field of any kind of record replaced by an odd value (re-sealed or not): the
    verifier returns a verdict (differences, or cannot-verify) and raises nothing else."""
    path = data.draw(st.sampled_from(RECORDS))
    record = json.loads(path.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(_paths(record)[1:]))
    edited = copy.deepcopy(record)
    target = edited
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = data.draw(ODD_VALUES)
    if data.draw(st.booleans()) and isinstance(edited, dict) and "record_digest" in edited:
        edited["record_digest"] = sv.record_digest(edited) if _jsonable(edited) else "x"
    text = json.dumps(edited, ensure_ascii=False)
    teams = ("directory.json", "visits.json", "conflicts.json")
    inputs = {
        "golden_draw/record1.json": [str(DRAW / "population.csv")],
        "golden_draw/record_pips.json": [str(DRAW / "population.csv")],
        "golden_draw/replacement1.json": [str(DRAW / "record1.json"), str(DRAW / "population.csv")],
        "golden_assignment/record_partial.json": [
            str(DATA / "golden_assignment" / n) for n in teams
        ],
        "golden_assignment_v2/record_partial.json": [
            str(DATA / "golden_assignment_v2" / n) for n in ("experts.json", *teams)
        ],
        "golden_publication/salted_record.json": [str(PUBLICATION / "population.csv")],
        "golden_publication/notice.json": [],
        "golden_publication/receipt_selected.json": [str(PUBLICATION / "notice.json")],
    }[f"{path.parent.name}/{path.name}"]
    secret = json.loads((PUBLICATION / "commitment_vectors.json").read_text("utf-8"))
    args = sv._parser().parse_args(["-", *inputs, "--secret", secret["authority_secret"]])
    try:
        verdict = sv._run(args, io.BytesIO(text.encode("utf-8")))
    except sv.CannotVerify:
        return
    assert verdict.status in ("verified", "not-verified")
    verdict.text("zh")
    json.dumps(verdict.to_json())


def _jsonable(value: Any) -> bool:
    try:
        sv.canonical_json(value)
    except (TypeError, ValueError):
        return False
    return True


TEAMS_V2 = DATA / "golden_assignment_v2"


@pytest.mark.parametrize("kind", ["replacements", "adjustments"])
def test_records_in_reverse_chain_order_verify_in_both_verifiers(
    kind: str, seven_visits: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Replacements (after --replacement) and team adjustments (among the inputs) given in
    reverse chain order verify in the standalone verifier and in ``randsample verify``, with
    the same text (spec 22.8). The second replacement alone is NOT VERIFIED in both (its link
    must reach the draw); the second adjustment alone gets the same exit in both (the first
    adjustment links to any earlier record, so a withheld one is the ledger audit's to find)."""
    if kind == "replacements":
        base = [str(DRAW / "record1.json"), str(DRAW / "population.csv")]
        later = ["--replacement", str(DRAW / "replacement2.json")]
        args = [*base, *later, "--replacement", str(DRAW / "replacement1.json")]
    else:
        inputs = ["directory.json", "experts.json", "conflicts.json", "record_complete.json"]
        base = [str(TEAMS_V2 / name) for name in inputs[::-1]] + [str(seven_visits)]
        later = [str(TEAMS_V2 / "adjustment2.json")]
        args = [*base, *later, str(TEAMS_V2 / "adjustment1.json")]
    code, standalone, _err = run_cli(args, capsys)
    assert 0 == code, standalone
    assert 0 == randsample_main(["verify", *args])
    assert standalone == capsys.readouterr().out
    alone = run_cli([*base, *later], capsys)[0]
    assert alone == randsample_main(["verify", *base, *later])
    assert (1 if kind == "replacements" else 0) == alone
