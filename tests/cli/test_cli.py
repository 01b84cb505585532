"""The command line, end to end: demo -> verify, tampering, bad input.

Every command runs in-process through ``randsample.cli.main([...])`` (which returns the exit
code), its output captured by ``capsys``; two smoke tests at the end run it as a real process,
once as ``python -m randsample`` and once through the installed ``randsample`` script, so the
process boundary (``sys.exit`` of the returned code) is exercised too.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import attrs
import pytest

from randsample.cli import main

STAMP = "2026-11-27T02:00:00Z"


@attrs.frozen
class Result:
    """What one command line run gave: exit code and captured output."""

    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(*args, cwd=folder)``: ``main(list(args))`` in ``folder``, output captured."""

    def run_(*args: str, cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        capsys.readouterr()  # drop anything printed before this command
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run_


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    out, err = io.StringIO(), io.StringIO()
    # Module scope cannot use capsys or monkeypatch: an absolute --out instead of chdir.
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["demo", "--out", str(folder / "out"), "--size", "3000", "--timestamp", STAMP])
    assert 0 == code, err.getvalue()
    assert 2 == out.getvalue().count("VERIFIED: record")  # the draw and the teams
    assert "NOT VERIFIED" not in out.getvalue()
    assert "stratum" in out.getvalue()
    assert (folder / "out" / "teams.json").exists()
    return folder / "out"


def test_demo_writes_a_record_that_verifies(run: Run, demo: Path):
    """demo -> verify succeeds from the written files."""
    result = run("verify", "record.json", "population.csv", "--id-scheme", "uscc", cwd=demo)
    assert 0 == result.returncode, result.stdout + result.stderr
    assert result.stdout.startswith("VERIFIED")


def test_tampered_record_fails_naming_the_field(run: Run, demo: Path, tmp_path: Path):
    """An edited record exits 1 and the output names what differs."""
    record = json.loads((demo / "record.json").read_text(encoding="utf-8"))
    record["selection"][0]["id"] = record["selection"][0]["id"][:-1] + "Z"
    (tmp_path / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = run(
        "verify",
        str(tmp_path / "record.json"),
        str(demo / "population.csv"),
        "--json",
        cwd=tmp_path,
    )
    assert 1 == result.returncode
    fields = {d["field"] for d in json.loads(result.stdout)["discrepancies"]}
    assert {"record_digest", "selection"} <= fields


def test_tampered_population_fails_naming_the_digest(run: Run, demo: Path, tmp_path: Path):
    """Flipping one row's eligibility in the population file exits 1 naming population.digest."""
    lines = (demo / "population.csv").read_text(encoding="utf-8").splitlines()
    ident, stratum, flag, weight = lines[1].split(",")
    lines[1] = ",".join([ident, stratum, "0" if flag == "1" else "1", weight])
    (tmp_path / "population.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        "verify", str(demo / "record.json"), str(tmp_path / "population.csv"), cwd=tmp_path
    )
    assert 1 == result.returncode
    assert "population.digest" in result.stdout


def test_bad_input_exits_2_with_a_message(run: Run, demo: Path, tmp_path: Path):
    """Unreadable files are exit code 2 with a message saying what to fix."""
    (tmp_path / "bad.csv").write_text("id;stratum\n", encoding="utf-8")
    result = run("verify", str(demo / "record.json"), str(tmp_path / "bad.csv"), cwd=tmp_path)
    assert 2 == result.returncode
    assert "header" in result.stderr
    missing = run("verify", "nope.json", "population.csv", cwd=demo)
    assert 2 == missing.returncode
    assert "nope.json" in missing.stderr


def test_export_verifier_writes_the_standalone_file(run: Run, tmp_path: Path):
    """export-verifier writes a runnable copy of the stdlib-only verifier."""
    result = run("export-verifier", "verify_draw.py", cwd=tmp_path)
    assert 0 == result.returncode
    assert "import numpy" not in (tmp_path / "verify_draw.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("weight", ["nan", "inf", " 1.0", "1_000", "+1", "-1", ".5", "1,5"])
def test_population_file_weight_grammar(tmp_path: Path, weight: str):
    """Weights outside the spec's decimal grammar are refused, not coerced by float()."""
    from randsample import InvalidInputError
    from randsample.files import read_population_csv

    (tmp_path / "p.csv").write_text(
        f'id,stratum,eligible,weight\na,A,1,"{weight}"\n', encoding="utf-8"
    )
    with pytest.raises(InvalidInputError, match="weight"):
        read_population_csv(tmp_path / "p.csv")


def test_verify_with_replacement_records(run: Run, demo: Path, tmp_path: Path):
    """verify --replacement re-derives a replacement; a forged one exits 1 naming it."""
    from randsample.files import read_population_csv, read_record
    from randsample.records import ReplacementRecord, record_replacement

    population = read_population_csv(demo / "population.csv")
    draw = read_record(demo / "record.json")
    first = record_replacement(
        draw,
        population,
        unit_id=draw.selected_ids[0],
        reason="deregistered",
        recorded_by="inspector 07",
        timestamp="2026-11-28T02:00:00Z",
        previous=draw,
    )
    (tmp_path / "r1.json").write_text(first.to_json(), encoding="utf-8")
    ok = run(
        "verify",
        str(demo / "record.json"),
        str(demo / "population.csv"),
        "--replacement",
        str(tmp_path / "r1.json"),
        cwd=tmp_path,
    )
    assert 0 == ok.returncode, ok.stdout + ok.stderr
    forged = first.content
    forged["replacement"]["id"] = draw.selected_ids[1]
    (tmp_path / "r2.json").write_text(ReplacementRecord(forged).to_json(), encoding="utf-8")
    bad = run(
        "verify",
        str(demo / "record.json"),
        str(demo / "population.csv"),
        "--replacement",
        str(tmp_path / "r2.json"),
        cwd=tmp_path,
    )
    assert 1 == bad.returncode
    assert "replacements[0]" in bad.stdout


def test_draw_verify_and_fairness_from_files(run: Run, demo: Path, tmp_path: Path):
    """demo -> draw (design and seed files) -> verify succeeds; fairness passes; bad design
    files are exit code 2 with the field named."""
    (tmp_path / "design.toml").write_text(
        'rates = { A = "3%", B = "5%", C = "10%", D = "30%" }\nrounding = "ceiling"\n',
        encoding="utf-8",
    )
    (tmp_path / "seed.json").write_text(
        json.dumps(
            {
                "sources": [
                    {"name": "lottery", "values": [3, 11, 19, 24, 30, 33, 7]},
                    {"name": "index x100", "values": [332718, 1187342, 2718281]},
                ]
            }
        ),
        encoding="utf-8",
    )
    population = str(demo / "population.csv")
    drawn = run(
        "draw",
        population,
        "--design",
        "design.toml",
        "--seed",
        "seed.json",
        "--authority",
        "bureau",
        "--draw-id",
        "d-1",
        "--timestamp",
        STAMP,
        "--out",
        "r.json",
        "--json",
        cwd=tmp_path,
    )
    assert 0 == drawn.returncode, drawn.stderr
    assert json.loads(drawn.stdout)["selected"]
    checked = run("verify", "r.json", population, cwd=tmp_path)
    assert 0 == checked.returncode, checked.stdout
    fair = run(
        "fairness", population, "--design", "design.toml", "--runs", "200", "--json", cwd=tmp_path
    )
    assert 0 == fair.returncode, fair.stdout + fair.stderr
    assert json.loads(fair.stdout)["passed"] is True
    (tmp_path / "bad.json").write_text('{"rates": {"A": "300%"}}', encoding="utf-8")
    bad = run(
        "draw",
        population,
        "--design",
        "bad.json",
        "--seed",
        "seed.json",
        "--authority",
        "b",
        "--draw-id",
        "d",
        cwd=tmp_path,
    )
    assert 2 == bad.returncode
    assert "rates['A']" in bad.stderr


def test_assign_from_files(run: Run, tmp_path: Path):
    """assign reads directory, visits and conflicts files, writes a verifiable record; an
    impossible batch exits 1 with an explanation naming the visit; bad files exit 2."""
    from randsample.files import read_conflicts, read_directory, read_visits
    from randsample.records import AssignmentRecord
    from randsample.teams import verify_assignment

    directory = {
        "inspectors": [
            {
                "id": f"F-{i}",
                "department": "food",
                "certified": True,
                "categories": ["catering"],
                "home_region": "north" if i % 2 else "east",
                "capacity": 2,
                "days_off": [],
            }
            for i in range(4)
        ]
    }
    visits = {
        "visits": [
            {
                "visit_id": f"V-{n}",
                "enterprise_id": f"E-{n}",
                "enterprise_region": "south",
                "date": "2026-12-01",
                "departments": ["food"],
                "items": {"food": ["catering"]},
            }
            for n in range(3)
        ]
    }
    conflicts = {"relations": [["F-0", "E-0", "relative"]], "recusals": {"E-1": ["F-1"]}}
    for name, data in (
        ("directory.json", directory),
        ("visits.json", visits),
        ("conflicts.json", conflicts),
    ):
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "seed.json").write_text(
        json.dumps({"hex": "00112233445566778899aabbccddeeff"}), encoding="utf-8"
    )
    args = [
        "assign",
        "directory.json",
        "visits.json",
        "--conflicts",
        "conflicts.json",
        "--seed",
        "seed.json",
        "--authority",
        "bureau",
        "--assignment-id",
        "a-1",
        "--timestamp",
        STAMP,
        "--json",
    ]
    done = run(*args, cwd=tmp_path)
    assert 0 == done.returncode, done.stdout + done.stderr
    teams = json.loads(done.stdout)["teams"]
    assert "F-0" not in teams["V-0"]  # declared relative of E-0
    assert "F-1" not in teams["V-1"]  # recused by E-1
    record = AssignmentRecord.from_json((tmp_path / "teams.json").read_bytes())
    report = verify_assignment(
        record,
        read_directory(tmp_path / "directory.json"),
        read_visits(tmp_path / "visits.json"),
        conflicts=read_conflicts(tmp_path / "conflicts.json"),
    )
    assert report.ok
    visits["visits"].append(
        {
            "visit_id": "V-9",
            "enterprise_id": "E-9",
            "enterprise_region": "north",
            "date": "2026-12-01",
            "departments": ["food"],
            "items": {"food": ["catering"]},
            "team_size": 3,  # only F-0 and F-2 are not from the north
        }
    )
    (tmp_path / "visits.json").write_text(json.dumps(visits), encoding="utf-8")
    short = run(*args, cwd=tmp_path)
    assert 1 == short.returncode
    assert "V-9" in json.loads(short.stdout)["explanation"]
    (tmp_path / "visits.json").write_text(
        json.dumps({"visits": [{"visit_id": "V-1"}]}), encoding="utf-8"
    )
    bad = run(*args, cwd=tmp_path)
    assert 2 == bad.returncode
    assert "visits[0]" in bad.stderr


def test_verify_reads_parquet(run: Run, demo: Path, tmp_path: Path):
    """The population may be published as Parquet with the CSV's columns."""
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    from randsample.files import read_population_csv

    population = read_population_csv(demo / "population.csv")
    table = pa.table(
        {
            "id": population.ids.tolist(),
            "stratum": population.strata.tolist(),
            "eligible": population.eligible.tolist(),
            "weight": population.weights.tolist(),
        }
    )
    pq.write_table(table, tmp_path / "population.parquet")
    result = run("verify", str(demo / "record.json"), "population.parquet", cwd=tmp_path)
    assert 0 == result.returncode, result.stdout + result.stderr


def test_report_from_files(run: Run, tmp_path: Path):
    """report re-runs the year's joint draws from plan, seed and population files and prints
    the same monthly report as the library; --csv writes the bilingual table."""
    from randsample import Population, Seed, draw_joint, merge_plan, monthly_report
    from randsample.files import read_plan, write_population_csv
    from randsample.reports import Outcome

    plan = {
        "departments": [{"code": "SAMR", "name": "市场监管"}, {"code": "HEALTH", "name": "卫健"}],
        "items": [
            {
                "department": "SAMR",
                "item_id": "S1",
                "legal_basis": "食品安全法",
                "category": "食品",
                "method": "on-site",
            },
            {
                "department": "HEALTH",
                "item_id": "H1",
                "legal_basis": "卫生法规",
                "category": "卫生",
                "method": "on-site",
            },
        ],
        "tasks": [
            {
                "task_id": "s",
                "department": "SAMR",
                "items": ["S1"],
                "scope": "餐饮",
                "period": "2026-11",
                "rates": {"A": "10%", "D": "50%"},
            },
            {
                "task_id": "h",
                "department": "HEALTH",
                "items": ["H1"],
                "scope": "餐饮",
                "period": "2026-11",
                "rates": {"A": "20%", "D": "25%"},
            },
        ],
        "leads": {"餐饮": "SAMR"},
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    population = Population.from_columns(
        [f"E{i:02d}" for i in range(30)], strata=["A"] * 22 + ["D"] * 8
    )
    write_population_csv(population, tmp_path / "catering.csv")
    seed_hex = "00112233445566778899aabbccddeeff"
    (tmp_path / "seed.json").write_text(json.dumps({"hex": seed_hex}), encoding="utf-8")
    joint = draw_joint(
        merge_plan(read_plan(tmp_path / "plan.json")),
        Seed.from_hex(seed_hex),
        {"餐饮": population},
        period="2026-11",
    )
    outcomes = {
        ("2026-11", v.enterprise): Outcome(True, i == 0) for i, v in enumerate(joint.visits)
    }
    rows = "".join(f"{p},{e},1,{int(o.problem_found)}\n" for (p, e), o in outcomes.items())
    (tmp_path / "outcomes.csv").write_text(
        "period,enterprise_id,completed,problem_found\n" + rows, encoding="utf-8"
    )
    result = run(
        "report",
        "plan.json",
        "--outcomes",
        "outcomes.csv",
        "--period-seed",
        "2026-11=seed.json",
        "--scope",
        "餐饮=catering.csv",
        "--csv",
        "report.csv",
        "--json",
        cwd=tmp_path,
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    expected = json.loads(
        json.dumps(monthly_report([joint], outcomes).to_rows(), ensure_ascii=False, default=str)
    )
    assert expected == json.loads(result.stdout)
    assert "次数" in (tmp_path / "report.csv").read_text(encoding="utf-8").splitlines()[0]
    bad = run(
        "report",
        "plan.json",
        "--outcomes",
        "outcomes.csv",
        "--period-seed",
        "2026-11",
        cwd=tmp_path,
    )
    assert 2 == bad.returncode
    assert "PERIOD" in bad.stderr or "NAME=FILE" in bad.stderr


# --- as a real process: two smoke tests of the process boundary ---------------------------


def _script() -> Path:
    """The ``randsample`` console script that pip installed, found from the install record."""
    # Every installed copy's record is searched: a source checkout on sys.path (src/ for the
    # doctests) may also hold an egg-info without the script.
    scripts = [
        Path(str(f.locate())).resolve()
        for dist in metadata.distributions()
        if dist.metadata["Name"] == "randsample"
        for f in dist.files or []
        if Path(str(f)).stem == "randsample" and Path(str(f)).parent.name in {"bin", "Scripts"}
    ]
    if not scripts:
        pytest.skip("randsample is not installed, so its console script does not exist")
    return scripts[0]


def test_python_dash_m_runs_the_command_line(demo: Path):
    """``python -m randsample verify`` in a subprocess exits 0 and prints VERIFIED."""
    result = subprocess.run(
        [sys.executable, "-m", "randsample", "verify", "record.json", "population.csv"],
        cwd=demo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert result.stdout.startswith("VERIFIED")


def test_installed_script_passes_the_exit_code_through(tmp_path: Path):
    """The ``randsample`` script exits with main's code: 2 and a message for a missing file."""
    result = subprocess.run(
        [str(_script()), "verify", "nope.json", "population.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 2 == result.returncode, result.stdout + result.stderr
    assert "nope.json" in result.stderr
