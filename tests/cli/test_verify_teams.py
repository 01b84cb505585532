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
from randsample.teams import verify_assignment, verify_team_record

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
    """A team adjustment record given as an input file is named as a record (exit 2, one
    line), not read as a conflicts file."""
    files = [
        V2 / "directory.json",
        V2 / "visits.json",
        V2 / "experts.json",
        V2 / "adjustment1.json",
    ]
    code = main(["verify", str(V2 / "record_partial.json"), *map(str, files)])
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == code
    assert 1 == len(err)
    assert "is a record, not an input file" in err[0]
