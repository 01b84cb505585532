"""The CLI end to end for announcements, audits, safe files and exit codes.

Everything runs in-process through ``randsample.cli.main`` in a fresh folder: announce ->
draw --announcement -> verify --announcement; announce and assign the teams; audit a folder
with a fork, a gap, a redone draw and a withheld replacement; never replace a file without
--force; every malformed input of the issue is one line and exit code 2.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from randsample.cli import main

DATA = Path(__file__).parents[1] / "data"
GOLDEN = DATA / "golden_draw"
TEAMS = DATA / "golden_assignment"
AUTHORITY = "golden authority"
SOURCES = {
    "sources": [
        {"name": "golden lottery", "date": "2026-11-26", "values": 6},
        {"name": "golden index", "date": "2026-11-26", "values": 2},
    ]
}
SECRET = {"secret": "d2a94c1e8b7f3065a1c4e9b2d7f08e36"}

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """``run(*args)``: ``main(args)`` in a folder with the golden inputs; (code, out, err)."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(GOLDEN / "population.csv", tmp_path / "population.csv")
    for name in ("directory.json", "visits.json", "conflicts.json", "seed.json"):
        shutil.copy(TEAMS / name, tmp_path / f"teams-{name}")
    (tmp_path / "design.json").write_text(
        json.dumps({"sizes": json.loads((GOLDEN / "sizes.json").read_text())}), encoding="utf-8"
    )
    (tmp_path / "sources.json").write_text(json.dumps(SOURCES), encoding="utf-8")
    (tmp_path / "secret.json").write_text(json.dumps(SECRET), encoding="utf-8")

    def run_(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run_


def _announce_and_draw(run: Run) -> None:
    code, out, err = run(
        "announce", "--population", "population.csv", "--design", "design.json",
        "--sources", "sources.json", "--authority", AUTHORITY, "--draw-id", "golden-1",
        "--secret", "secret.json", "--timestamp", "2026-11-20T02:00:00Z",
    )  # fmt: skip
    assert 0 == code, err
    assert "commitment: 8719b7b1697d802d" in out
    code, out, err = run(
        "draw", "population.csv", "--design", "design.json", "--seed", "teams-seed.json",
        "--authority", AUTHORITY, "--draw-id", "golden-1", "--timestamp", "2026-11-27T02:00:00Z",
        "--previous", "announcement.json", "--announcement", "announcement.json",
    )  # fmt: skip
    assert 0 == code, err
    assert "note: publicly random" in out


def test_announce_draw_verify(run: Run):
    """An announced draw is written, verifies against its announcement and says so in JSON;
    the same draw verified alone says it is not publicly random."""
    _announce_and_draw(run)
    code, out, _ = run(
        "verify", "record.json", "population.csv", "--announcement", "announcement.json", "--json"
    )
    verdict = json.loads(out)
    assert 0 == code
    assert verdict["ok"]
    assert verdict["publicly_random"]
    assert ["publicly-random"] == [note["code"] for note in verdict["notes"]]
    code, out, _ = run("verify", "record.json", "population.csv", "--json")
    assert 0 == code
    assert not json.loads(out)["publicly_random"]


def test_a_draw_that_departs_from_its_announcement_is_not_written(run: Run, tmp_path: Path):
    """Other sizes than announced: exit 2, one line naming the difference, no record."""
    _announce_and_draw(run)
    (tmp_path / "other.json").write_text(json.dumps({"sizes": {"A": 1, "B": 1, "C": 1, "D": 1}}))
    code, _, err = run(
        "draw", "population.csv", "--design", "other.json", "--seed", "teams-seed.json",
        "--authority", AUTHORITY, "--draw-id", "golden-1", "--out", "steered.json",
        "--previous", "announcement.json", "--announcement", "announcement.json",
    )  # fmt: skip
    assert 2 == code
    assert 1 == len(err.splitlines())
    assert "announcement.design.strata" in err
    assert not (tmp_path / "steered.json").exists()


def test_announced_teams(run: Run, tmp_path: Path):
    """An assignment announced with its directory, visits and conflicts digests follows it;
    the same assignment with one more confidential exclusion does not, and is not written."""
    visits = json.loads((TEAMS / "visits.json").read_text(encoding="utf-8"))
    visits["visits"] = visits["visits"][:7]  # V-007 cannot be staffed
    (tmp_path / "seven.json").write_text(json.dumps(visits), encoding="utf-8")
    code, _, err = run(
        "announce", "--directory", "teams-directory.json", "--visits", "seven.json",
        "--conflicts", "teams-conflicts.json", "--sources", "sources.json",
        "--authority", AUTHORITY, "--assignment-id", "golden-teams", "--secret", "secret.json",
        "--timestamp", "2026-02-20T02:00:00Z", "--out", "teams-announcement.json",
    )  # fmt: skip
    assert 0 == code, err
    assign = (
        "assign", "teams-directory.json", "seven.json", "--seed", "teams-seed.json",
        "--authority", AUTHORITY, "--assignment-id", "golden-teams",
        "--timestamp", "2026-11-27T03:00:00Z", "--previous", "teams-announcement.json",
        "--announcement", "teams-announcement.json",
    )  # fmt: skip
    code, out, err = run(*assign, "--conflicts", "teams-conflicts.json")
    assert 0 == code, err
    assert "note: publicly random" in out
    conflicts = json.loads((TEAMS / "conflicts.json").read_text(encoding="utf-8"))
    conflicts.setdefault("exclusions", []).append(["F-02", "E-003", "other"])
    (tmp_path / "more.json").write_text(json.dumps(conflicts), encoding="utf-8")
    code, _, err = run(*assign, "--conflicts", "more.json", "--out", "steered.json")
    assert 2 == code
    assert "announcement.inputs.conflicts_digest" in err
    assert not (tmp_path / "steered.json").exists()


def test_new_secret_is_private_and_never_overwritten(run: Run, tmp_path: Path):
    """--new-secret writes a 0600 file holding a 32-byte secret matching the commitment;
    a second announce refuses to replace it."""
    args = (
        "announce", "--population", "population.csv", "--design", "design.json",
        "--sources", "sources.json", "--authority", AUTHORITY, "--draw-id", "golden-9",
        "--timestamp", "2026-11-20T02:00:00Z", "--new-secret", "new-secret.json", "--json",
    )  # fmt: skip
    code, out, err = run(*args)
    assert 0 == code, err
    saved = json.loads((tmp_path / "new-secret.json").read_text())
    assert 64 == len(saved["secret"])
    assert json.loads(out)["commitment"] == saved["commitment"]
    assert 0o600 == (tmp_path / "new-secret.json").stat().st_mode & 0o777
    code, _, err = run(*args, "--out", "again.json")
    assert 2 == code
    assert "new-secret.json" in err


def test_never_overwrite_the_previous_record(run: Run, tmp_path: Path):
    """draw --previous record.json --out record.json is refused, even with --force."""
    shutil.copy(GOLDEN / "record1.json", tmp_path / "record.json")
    before = (tmp_path / "record.json").read_bytes()
    (tmp_path / "raw.json").write_text(json.dumps({"hex": "c0ffee254729a1b2c3d4e5f60718293a"}))
    args = ("draw", "population.csv", "--design", "design.json", "--seed", "raw.json")
    more = ("--authority", AUTHORITY, "--draw-id", "golden-2", "--previous", "record.json")
    for force in ((), ("--force",)):
        code, _, err = run(*args, *more, "--out", "record.json", *force)
        assert 2 == code
        assert "previous record" in err
        assert before == (tmp_path / "record.json").read_bytes()


@pytest.mark.parametrize(
    "command",
    [
        ["draw", "population.csv", "--design", "design.json", "--seed", "teams-seed.json",
         "--authority", AUTHORITY, "--draw-id", "d", "--out", "taken.txt"],
        ["assign", "teams-directory.json", "teams-visits.json", "--seed", "teams-seed.json",
         "--authority", AUTHORITY, "--assignment-id", "a", "--out", "taken.txt"],
        ["demo", "--out", ".", "--size", "300"],
        ["export-verifier", "taken.txt"],
        ["announce", "--population", "population.csv", "--design", "design.json",
         "--sources", "sources.json", "--authority", AUTHORITY, "--draw-id", "d",
         "--timestamp", "2026-11-20T02:00:00Z", "--out", "taken.txt"],
    ],
)  # fmt: skip
def test_every_writer_refuses_to_replace_a_file(run: Run, tmp_path: Path, command: list[str]):
    """Each command that writes a file refuses to replace one without --force."""
    for name in ("taken.txt", "population.csv"):
        if not (tmp_path / name).exists():
            (tmp_path / name).write_text("keep me", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    code, _, err = run(*command)
    assert 2 == code, err
    assert "already exists" in err
    assert before == {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}


def test_export_verifier_force_replaces(run: Run, tmp_path: Path):
    """With --force the verifier replaces the file (atomically)."""
    (tmp_path / "verify_draw.py").write_text("old", encoding="utf-8")
    assert 0 == run("export-verifier", "verify_draw.py", "--force")[0]
    assert "def main" in (tmp_path / "verify_draw.py").read_text(encoding="utf-8")


def _ledger(folder: Path) -> None:
    # The golden draw, its two replacements, then the golden raw-seed draw chained after them.
    from randsample.records import seal

    folder.mkdir()
    shutil.copy(GOLDEN / "population.csv", folder / "population.csv")
    for name in ("record1.json", "replacement1.json", "replacement2.json"):
        shutil.copy(GOLDEN / name, folder / name)
    after = json.loads((GOLDEN / "record2.json").read_text(encoding="utf-8"))
    last = json.loads((GOLDEN / "replacement2.json").read_text(encoding="utf-8"))
    after["previous_record_digest"] = last["record_digest"]
    (folder / "record2.json").write_text(json.dumps(seal(after)), encoding="utf-8")


def test_audit_names_a_fork_a_gap_a_redone_draw_and_a_withheld_replacement(
    run: Run, tmp_path: Path
):
    """The golden draw, its replacements and the next draw are a clean ledger. Add the draw
    redone under its draw_id (a fork after the draw, and a redone draw) and withhold the
    second replacement (a gap): the audit names each, exit 1."""
    from randsample.records import seal

    folder = tmp_path / "ledger"
    _ledger(folder)
    code, out, err = run("audit", "ledger")
    assert 0 == code, out + err
    assert "LEDGER VERIFIED: 4 records" in out
    assert "4 verified" in out
    redone = json.loads((GOLDEN / "record_pips.json").read_text(encoding="utf-8"))
    redone["draw_id"] = "golden-1"
    redone["previous_record_digest"] = json.loads(RECORD)["record_digest"]
    (folder / "record1-redone.json").write_text(json.dumps(seal(redone)), encoding="utf-8")
    (folder / "replacement2.json").unlink()
    code, out, _ = run("audit", "ledger", "--json")
    assert 1 == code
    report = json.loads(out)
    problems = "\n".join(p["message"] for p in report["problems"])
    assert "fork: record1-redone.json, replacement1.json all follow record1.json" in problems
    assert "gap: record2.json follows" in problems
    assert "'golden-1' is recorded 2 times" in problems


def test_audit_names_a_withheld_replacement_by_its_rank(run: Run, tmp_path: Path):
    """Two replacements in one stratum, the first withheld and the second re-linked over the
    hole: no gap, but the rank n_h + 2 of the first one present gives it away."""
    from randsample.files import read_population_csv, read_record
    from randsample.records import record_replacement, seal

    folder = tmp_path / "ledger"
    folder.mkdir()
    shutil.copy(GOLDEN / "population.csv", folder / "population.csv")
    draw = read_record(GOLDEN / "record1.json")
    population = read_population_csv(GOLDEN / "population.csv")
    units = [e["id"] for e in draw["selection"] if e["stratum"] == "A"]
    first = record_replacement(
        draw, population, unit_id=units[0], reason="gone", recorded_by="x",
        timestamp="2026-11-28T02:00:00Z", previous=draw,
    )  # fmt: skip
    second = record_replacement(
        draw, population, unit_id=units[1], reason="gone", recorded_by="x",
        timestamp="2026-11-28T03:00:00Z", previous=first, earlier=[first],
    )  # fmt: skip
    relinked = second.content
    relinked["previous_record_digest"] = draw.record_digest
    shutil.copy(GOLDEN / "record1.json", folder / "record1.json")
    (folder / "replacement-2.json").write_text(
        json.dumps(seal(relinked), ensure_ascii=False), encoding="utf-8"
    )
    code, out, _ = run("audit", "ledger")
    assert 1 == code
    assert "an earlier replacement is missing (withheld)" in out


def test_audit_refuses_a_folder_holding_a_non_record(run: Run, tmp_path: Path):
    """A JSON file in the ledger folder that is not a record is bad input, never skipped."""
    folder = tmp_path / "ledger"
    _ledger(folder)
    (folder / "notes.json").write_text('{"note": "hidden"}', encoding="utf-8")
    code, _, err = run("audit", "ledger")
    assert 2 == code
    assert "notes.json" in err
    assert 2 == run("audit", "no-such-folder")[0]


def _write(path: Path, data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path.name


RECORD = (GOLDEN / "record1.json").read_text(encoding="utf-8")
POPULATION = (GOLDEN / "population.csv").read_text(encoding="utf-8")
VISIT = (
    '{"visit_id": "V", "enterprise_id": "E", "enterprise_region": "r", "date": "2026-12-01", '
    '"departments": DEPTS, "items": ITEMS}'
)
BAD_INPUTS: list[tuple[str, str, str | bytes, list[str]]] = [
    # (what, file name, content, command with FILE for the file)
    ("GBK record", "r.json", RECORD.encode("utf-8").replace(b"golden", "黄金".encode("gbk")),
     ["verify", "FILE", "population.csv"]),
    ("GBK population", "p.csv", (POPULATION + "清河,A,1,\n").encode("gbk"),
     ["verify", "record1.json", "FILE"]),
    ("a field over 131072 characters", "p.csv", POPULATION + "X" * 140_000 + ",A,1,\n",
     ["verify", "record1.json", "FILE"]),
    ("JSON nested 100k deep", "r.json", "[" * 100_000 + "]" * 100_000,
     ["verify", "FILE", "population.csv"]),
    ("a 5000-digit integer in a record", "r.json",
     RECORD.replace('"units":202', '"units":' + "9" * 5000),
     ["verify", "FILE", "population.csv"]),
    ("a 5000-digit integer in a seed", "s.json",
     '{"sources": [{"name": "x", "values": [' + "7" * 5000 + "]}]}",
     ["draw", "population.csv", "--design", "design.json", "--seed", "FILE",
      "--authority", "a", "--draw-id", "d", "--out", "-"]),
    ("a malformed secret", "s.json",
     '{"sources": [{"name": "x", "values": ["123456789012345678901"]}], "secret": "xyz"}',
     ["draw", "population.csv", "--design", "design.json", "--seed", "FILE",
      "--authority", "a", "--draw-id", "d", "--out", "-"]),
    ("CSV in a .parquet file", "p.parquet", POPULATION, ["verify", "record1.json", "FILE"]),
    ("departments as a string", "v.json",
     '{"visits": [' + VISIT.replace("DEPTS", '"食品"').replace("ITEMS", '{"食品": []}') + "]}",
     ["assign", "teams-directory.json", "FILE", "--seed", "teams-seed.json", "--authority", "a",
      "--assignment-id", "x", "--out", "-"]),
    ("items as a list", "v.json",
     '{"visits": [' + VISIT.replace("DEPTS", '["食品"]').replace("ITEMS", '["食品"]') + "]}",
     ["assign", "teams-directory.json", "FILE", "--seed", "teams-seed.json", "--authority", "a",
      "--assignment-id", "x", "--out", "-"]),
    ("a conflicts history as a flat list", "c.json", '{"history": {"E-000": ["F-00", "F-01"]}}',
     ["assign", "teams-directory.json", "teams-visits.json", "--conflicts", "FILE",
      "--seed", "teams-seed.json", "--authority", "a", "--assignment-id", "x", "--out", "-"]),
    ("a quote inside a CSV field", "p.csv", 'id,stratum,eligible,weight\n"E00004"X,A,1,\n',
     ["verify", "record1.json", "FILE"]),
    ("a record with an extra field", "r.json",
     RECORD.replace('{"algorithm"', '{"extra":1,"algorithm"'),
     ["verify", "FILE", "population.csv"]),
    ("a source value 07", "r.json", RECORD.replace('"values":["3",', '"values":["03",'),
     ["verify", "FILE", "population.csv"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "name", "content", "command"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS]
)
def test_every_malformed_input_is_one_line_and_exit_2(
    run: Run, tmp_path: Path, what: str, name: str, content: str | bytes, command: list[str]
):
    """Each crash of the issue's list is now bad input: exit code 2, one line, no traceback."""
    pytest.importorskip("pyarrow")
    shutil.copy(GOLDEN / "record1.json", tmp_path / "record1.json")
    _write(tmp_path / name, content)
    code, _, err = run(*[name if word == "FILE" else word for word in command])
    assert 2 == code, f"{what}: {err}"
    assert 1 == len(err.splitlines()), err
    assert "Traceback" not in err
