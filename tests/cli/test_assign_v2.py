"""``randsample assign --teams-v2``: team-assignment v2 from the command line, on the golden
inputs of spec 19.8 (the record is byte for byte the golden one)."""

from __future__ import annotations

import json
from pathlib import Path

from randsample.cli import main
from randsample.files import read_team_visits

GOLDEN = Path(__file__).parents[1] / "data" / "golden_assignment_v2"


def _assign(visits: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "assign",
            str(GOLDEN / "directory.json"),
            str(visits),
            "--teams-v2",
            "--experts",
            str(GOLDEN / "experts.json"),
            "--conflicts",
            str(GOLDEN / "conflicts.json"),
            "--seed",
            str(GOLDEN / "seed.json"),
            "--authority",
            "golden authority",
            "--assignment-id",
            "golden-teams-v2",
            "--timestamp",
            "2026-03-01T03:00:00Z",
            "--out",
            str(out),
            *extra,
        ]
    )


def test_the_golden_complete_record_byte_for_byte(seven_visits, tmp_path, capsys):
    """Chained to the golden partial record, the command writes the golden complete record,
    and prints each visit's team, leader first."""
    out = tmp_path / "teams.json"
    previous = str(GOLDEN / "record_partial.json")
    assert 0 == _assign(seven_visits, out, "--previous", previous)
    assert (GOLDEN / "record_complete.json").read_bytes() == out.read_bytes()
    record = json.loads(out.read_text(encoding="utf-8"))
    first = record["teams"][0]
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{first['visit_id']}  {first['leader']} ")


def test_json_output_lists_leader_officers_and_experts(seven_visits, tmp_path, capsys):
    """--json gives every visit's members, leader first, experts last."""
    previous = str(GOLDEN / "record_partial.json")
    assert 0 == _assign(seven_visits, tmp_path / "t.json", "--previous", previous, "--json")
    printed = json.loads(capsys.readouterr().out)
    record = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert printed["complete"]
    for team in record["teams"]:
        members = printed["teams"][team["visit_id"]]
        assert team["leader"] == members[0]
        assert list(team["experts"]) == members[len(members) - len(team["experts"]) :]


def test_no_complete_assignment_exits_1_and_writes_nothing(tmp_path, capsys):
    """All eight golden visits cannot be staffed (one department is short): exit 1, the
    explanation names the visit, and no record is written."""
    out = tmp_path / "teams.json"
    assert 1 == _assign(GOLDEN / "visits.json", out)
    assert "V-007" in capsys.readouterr().out
    assert not out.exists()


def test_experts_without_teams_v2_is_refused(tmp_path, capsys):
    """--experts applies with --teams-v2 only: exit 2, one line naming the option."""
    code = main(
        [
            "assign",
            str(GOLDEN / "directory.json"),
            str(GOLDEN / "visits.json"),
            "--experts",
            str(GOLDEN / "experts.json"),
            "--seed",
            str(GOLDEN / "seed.json"),
            "--authority",
            "a",
            "--assignment-id",
            "b",
            "--out",
            str(tmp_path / "t.json"),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == code
    assert 1 == len(err)
    assert "--experts" in err[0]


def test_a_version_1_visits_file_is_refused_naming_the_field(tmp_path, capsys):
    """A v1 visit (enterprise_region, team_size) read as a v2 team visit: exit 2 naming the
    unknown field, nothing written."""
    v1 = {
        "visits": [
            {
                "visit_id": "V-1",
                "enterprise_id": "E-1",
                "enterprise_region": "north",
                "date": "2026-03-02",
                "departments": ["食品"],
                "items": {"食品": ["餐饮"]},
            }
        ]
    }
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    assert 2 == _assign(path, tmp_path / "t.json")
    err = capsys.readouterr().err
    assert "visits[0].enterprise_region" in err
    assert not (tmp_path / "t.json").exists()


def test_an_announcement_with_teams_v2_is_refused(seven_visits, tmp_path, capsys):
    """`announce` fixes version-1 digests only, so --announcement with --teams-v2 exits 2
    (one line) instead of checking the wrong digests."""
    out = tmp_path / "t.json"
    code = _assign(seven_visits, out, "--announcement", str(GOLDEN / "record_partial.json"))
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == code
    assert 1 == len(err)
    assert "--announcement" in err[0]
    assert not out.exists()


def test_a_null_location_is_no_declared_location(tmp_path):
    """Spec 19.1: a visit's location is a label or null; null is read as none declared (the
    standalone verifier reads it so too), not refused."""
    data = json.loads((GOLDEN / "visits.json").read_text(encoding="utf-8"))
    data["visits"][0]["location"] = None
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert read_team_visits(path)[0].location is None
