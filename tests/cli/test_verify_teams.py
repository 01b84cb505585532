"""``randsample verify`` of inspector-team records (versions 1 and 2), on the golden vectors:
the same verdict as the library, files recognised by their content, and bad use refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from randsample.cli import main
from randsample.files import (
    read_conflicts,
    read_directory,
    read_experts,
    read_team_visits,
    read_visits,
)
from randsample.records import compute_digest, read_record
from randsample.teams import verify_adjustments, verify_assignment, verify_team_record

DATA = Path(__file__).parents[1] / "data"
V1 = DATA / "golden_assignment"
V2 = DATA / "golden_assignment_v2"


def test_version_1_record_verifies_with_files_in_any_order(capsys):
    """The golden v1 partial record verifies whatever order its input files come in, and the
    text is the library's verdict."""
    files = [V1 / "conflicts.json", V1 / "visits.json", V1 / "directory.json"]
    record = V1 / "record_partial.json"
    assert 0 == main(["verify", str(record), *map(str, files)])
    printed = capsys.readouterr().out
    report = verify_assignment(
        record.read_text(encoding="utf-8"),
        read_directory(V1 / "directory.json"),
        read_visits(V1 / "visits.json"),
        conflicts=read_conflicts(V1 / "conflicts.json"),
    )
    verdict = report.verdict(json.loads(record.read_text(encoding="utf-8")), chain_checked=False)
    assert verdict.text("en") + "\n" == printed


def test_version_2_record_verifies_with_its_chain(seven_visits, capsys):
    """The golden v2 complete record verifies against its inputs and its predecessor; the
    JSON verdict says so."""
    files = [V2 / "directory.json", seven_visits, V2 / "experts.json", V2 / "conflicts.json"]
    args = ["verify", str(V2 / "record_complete.json"), *map(str, files)]
    assert 0 == main([*args, "--previous", str(V2 / "record_partial.json"), "--json"])
    assert "verified" == json.loads(capsys.readouterr().out)["status"]
    report = verify_team_record(
        (V2 / "record_complete.json").read_text(encoding="utf-8"),
        read_directory(V2 / "directory.json"),
        read_team_visits(files[1]),
        experts=read_experts(V2 / "experts.json"),
        conflicts=read_conflicts(V2 / "conflicts.json"),
    )
    assert report.ok


def test_a_changed_input_is_not_verified(seven_visits, tmp_path, capsys):
    """One officer's capacity changed in the directory: exit 1, NOT VERIFIED."""
    directory = json.loads((V2 / "directory.json").read_text(encoding="utf-8"))
    directory["inspectors"][0]["capacity"] += 1
    changed = tmp_path / "directory.json"
    changed.write_text(json.dumps(directory, ensure_ascii=False), encoding="utf-8")
    files = [changed, seven_visits, V2 / "experts.json", V2 / "conflicts.json"]
    assert 1 == main(["verify", str(V2 / "record_complete.json"), *map(str, files)])
    assert capsys.readouterr().out.startswith("NOT VERIFIED")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--replacement", str(V1 / "record_complete.json")], "--replacement"),
        (["--id-scheme", "uscc"], "--id-scheme"),
    ],
)
def test_draw_options_are_refused_for_team_records(extra, fragment, capsys):
    """Options that apply to draws only exit 2 with one line naming them."""
    files = [V1 / "directory.json", V1 / "visits.json", V1 / "conflicts.json"]
    code = main(["verify", str(V1 / "record_partial.json"), *map(str, files), *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == code
    assert 1 == len(err)
    assert fragment in err[0]


def test_a_missing_directory_is_named(capsys):
    """Without a directory file the command exits 2 saying which file is missing."""
    files = [V1 / "visits.json", V1 / "conflicts.json"]
    assert 2 == main(["verify", str(V1 / "record_partial.json"), *map(str, files)])
    assert "directory file is missing" in capsys.readouterr().err


def test_a_draw_record_takes_one_population(tmp_path, capsys):
    """A draw record with two input files is refused (exit 2), naming the extra file."""
    record = DATA / "golden_draw"
    draws = sorted(record.glob("*record*.json"))
    populations = sorted(record.glob("*.csv"))
    if not draws or not populations:
        pytest.skip("no golden draw files")
    code = main(["verify", str(draws[0]), str(populations[0]), str(populations[0])])
    assert 2 == code
    assert "one population" in capsys.readouterr().err


def test_a_record_among_the_inputs_is_refused_as_such(capsys):
    """A draw record given among a team record's input files is named as a record (exit 2,
    one line), not read as a conflicts file."""
    files = [
        V2 / "directory.json",
        V2 / "visits.json",
        V2 / "experts.json",
        DATA / "golden_draw" / "record1.json",
    ]
    code = main(["verify", str(V2 / "record_partial.json"), *map(str, files)])
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == code
    assert 1 == len(err)
    assert "record1.json: is a record, not an input file" in err[0]


def _adjusted_inputs(seven_visits: Path) -> list[Path]:
    """The complete v2 record's input files (spec 19.8)."""
    return [V2 / "directory.json", seven_visits, V2 / "experts.json", V2 / "conflicts.json"]


def _library_verdict(seven_visits: Path, adjustments: list[Path]) -> str:
    """The library's verdict text for the complete v2 record and these adjustments."""
    record = (V2 / "record_complete.json").read_text(encoding="utf-8")
    loaded = [path.read_text(encoding="utf-8") for path in adjustments]
    report = verify_adjustments(
        record,
        read_directory(V2 / "directory.json"),
        read_team_visits(seven_visits),
        loaded,
        experts=read_experts(V2 / "experts.json"),
        conflicts=read_conflicts(V2 / "conflicts.json"),
    )
    adjusted = [read_record(text) for text in loaded]
    return report.verdict(read_record(record), chain_checked=False, adjustments=adjusted).text()


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_adjustments_are_checked_in_chain_order(seven_visits, order, capsys):
    """The golden adjustments given after the v2 record, in either order, verify (exit 0) and
    the text is the library's verdict, which lists both adjustments."""
    adjustments = [V2 / f"adjustment{k}.json" for k in order]
    files = [*_adjusted_inputs(seven_visits), *adjustments]
    assert 0 == main(["verify", str(V2 / "record_complete.json"), *map(str, files)])
    printed = capsys.readouterr().out
    expected = _library_verdict(seven_visits, [V2 / "adjustment1.json", V2 / "adjustment2.json"])
    assert expected + "\n" == printed
    assert "adjustment 1: F-02 -> F-00 (V-000, 食品)" in printed
    assert "adjustment 2: 专家-3 -> 专家-2 (V-003, experts)" in printed


def test_an_adjustment_given_as_the_record_is_checked_with_its_team_record(seven_visits, capsys):
    """An adjustment named first is checked with its team record found among the inputs:
    the same verdict as with the team record first."""
    files = [V2 / "record_complete.json", *_adjusted_inputs(seven_visits), V2 / "adjustment1.json"]
    assert 0 == main(["verify", str(V2 / "adjustment2.json"), *map(str, files)])
    printed = capsys.readouterr().out
    expected = _library_verdict(seven_visits, [V2 / "adjustment1.json", V2 / "adjustment2.json"])
    assert expected + "\n" == printed


def test_an_edited_adjustment_is_not_verified(seven_visits, tmp_path, capsys):
    """An adjustment whose replacement was changed and re-sealed is NOT VERIFIED (exit 1),
    with the adjustment named as what differs."""
    data = json.loads((V2 / "adjustment2.json").read_text(encoding="utf-8"))
    data["replacement"]["id"] = "专家-0"
    edited = tmp_path / "adjustment2.json"
    data["record_digest"] = compute_digest(data)  # as a forger with the whole record would
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    files = [*_adjusted_inputs(seven_visits), V2 / "adjustment1.json", edited]
    code = main(["verify", str(V2 / "record_complete.json"), *map(str, files), "--json"])
    verdict = json.loads(capsys.readouterr().out)
    assert 1 == code
    assert "not-verified" == verdict["status"]
    assert ["adjustments[1].replacement"] == [d["field"] for d in verdict["discrepancies"]]


@pytest.mark.parametrize(
    ("record", "extra", "fragment"),
    [
        (V2 / "adjustment1.json", [], "the version-2 team record of this adjustment is missing"),
        (V1 / "record_partial.json", [V2 / "adjustment1.json"], "this one is version 1"),
        (
            V2 / "adjustment1.json",
            [V2 / "record_partial.json", V2 / "record_complete.json"],
            "is a second team record",
        ),
    ],
)
def test_adjustments_without_their_team_record_are_refused(
    seven_visits, record, extra, fragment, capsys
):
    """An adjustment without a version-2 team record, with a version-1 one, or with two, exits
    2 with one line saying which."""
    code = main(
        ["verify", str(record), *map(str, _adjusted_inputs(seven_visits)), *map(str, extra)]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == code
    assert 1 == len(err)
    assert fragment in err[0]


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_replacements_are_checked_in_chain_order(order, capsys):
    """The golden draw's two replacements verify given in either order (exit 0), and the
    verdict lists them in chain order."""
    draw = DATA / "golden_draw"
    given = [arg for k in order for arg in ("--replacement", str(draw / f"replacement{k}.json"))]
    code = main(["verify", str(draw / "record1.json"), str(draw / "population.csv"), *given])
    printed = capsys.readouterr().out
    assert 0 == code, printed
    assert printed.index("replacement 1:") < printed.index("replacement 2:")


def test_a_withheld_replacement_is_noticed_whatever_the_order(capsys):
    """Given the second replacement without the first, the broken link is reported (exit 1)."""
    draw = DATA / "golden_draw"
    args = ["verify", str(draw / "record1.json"), str(draw / "population.csv")]
    code = main([*args, "--replacement", str(draw / "replacement2.json"), "--json"])
    verdict = json.loads(capsys.readouterr().out)
    assert 1 == code
    assert "replacements[0].previous_record_digest" in [
        d["field"] for d in verdict["discrepancies"]
    ]
