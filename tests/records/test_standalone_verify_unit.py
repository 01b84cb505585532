"""Unit tests of the standalone verifier (``randsample.records._standalone_verify``).

Most records here are built by hand with the verifier's own primitives, straight from
docs/spec.md, so those tests check the verifier's consistency and its reporting; the last
group checks it against the spec's test vectors in tests/data/ (spec section 8).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from randsample.records import _standalone_verify as sv

ROWS: list[sv.Row] = [  # weights in every row (spec 4.3: in every row or in none)
    ("A-01", "A", True, 1.0),
    ("A-02", "A", True, 1.5),
    ("A-03", "A", False, 1.0),  # ineligible: listed, never selected
    ("A-04", "A", True, 3.0),
    ("A-05", "A", True, 0.0),
    ("B-01", "B", True, 1e-05),
    ("B-02", "B", True, 2.25),
    ("B-03", "B", True, 1.0),
    ("B-04", "B", True, 7.0),
    ("企业-1", "北京", True, 1.0),
    ("企业-2", "北京", True, 2.0),
    ("企业-3", "北京", True, 10.0),
]
SIZES = {"A": 2, "B": 3, "北京": 1}
SOURCES = [
    {"name": "SSE close", "values": ["324567"]},
    {"name": "lottery", "values": ["12", "5", "8", "10", "2"]},  # canonical (spec 16.2)
    {"name": "beacon", "values": ["31415926535897932384626433"]},
]
SECRET = bytes(range(100, 132))


def seal(record: dict[str, Any]) -> dict[str, Any]:
    """Recompute record_digest after an edit, as a forger with the whole record would."""
    record["record_digest"] = sv.record_digest(record)
    return record


def make_record(
    rows: list[sv.Row] = ROWS,
    sizes: dict[str, int] = SIZES,
    previous: dict[str, Any] | None = None,
    timestamp: str = "2024-05-06T07:08:09Z",
) -> dict[str, Any]:
    """Build a sealed draw record by hand, following spec sections 2-6."""
    key = sv.canonical_key(SOURCES) + SECRET.hex() + "/"
    seed_value = hashlib.sha256(key.encode("ascii")).digest()
    sub = sv.subkey(seed_value, "enterprises")
    strata = sorted({r[1] for r in rows} | set(sizes), key=lambda s: s.encode())
    commitment = hashlib.sha256(b"randsample/v1/commitment\x00" + SECRET).hexdigest()
    record = {
        "record_format": "randsample.draw-record/1",
        "algorithm": {"name": "stratified-srswor", "version": 1},
        "library": {"name": "randsample", "version": "0.1.0"},
        "authority": "某市市场监督管理局",
        "draw_id": "2024-Q2-01",
        "timestamp": timestamp,
        "previous_record_digest": previous["record_digest"] if previous else None,
        "seed": {
            "value": seed_value.hex(),
            "key": key,
            "sources": SOURCES,
            "secret": SECRET.hex(),
            "commitment": commitment,
            "low_entropy_allowed": False,
        },
        "purpose": "enterprises",
        "subkey": sub.hex(),
        "population": {
            "digest": sv.population_digest(rows),
            "units": len(rows),
            "eligible": sum(r[2] for r in rows),
        },
        "design": {
            "strata": [
                {
                    "stratum": s,
                    "units": sum(r[1] == s for r in rows),
                    "eligible": sum(r[1] == s and r[2] for r in rows),
                    "sample_size": sizes[s],
                }
                for s in strata
            ]
        },
        "selection": sv.select(rows, sizes, sub),
    }
    return seal(record)


def fields(problems: list[tuple[str, str]]) -> set[str]:
    """The set of field names a verification reported."""
    return {field for field, _message in problems}


def write_csv(path: Path, rows: list[sv.Row]) -> None:
    """Write a population file as spec 4.3 describes."""
    lines = ["id,stratum,eligible,weight"]
    lines += [f"{u},{s},{int(e)},{'' if w is None else repr(w)}" for u, s, e, w in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_rfc3797_example_key() -> None:
    """Spec 2.2's example: RFC 3797 section 6's sources give the documented key."""
    sources = [
        {"name": "a", "values": ["9319"]},
        {"name": "b", "values": ["2", "5", "8", "10", "12"]},
        {"name": "c", "values": ["9", "18", "26", "34", "41", "45"]},
    ]
    assert sv.canonical_key(sources) == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    # Leading zeros and announcement order within a source do not matter; numeric order does.
    sources[1]["values"] = ["12", "010", "8", "05", "2"]
    assert sv.canonical_key(sources) == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    assert sv.canonical_key([{"name": "z", "values": ["000"]}]) == "0./"


def test_primitives_follow_the_byte_layouts() -> None:
    """Sub-key, ticket and population digest match the formulas of spec 2.5, 3 and 4.2."""
    seed = bytes(32)
    assert (
        sv.subkey(seed, "enterprises")
        == hashlib.sha256(
            b"randsample/v1/subkey\x00\x00\x00\x00\x0benterprises\x00\x00\x00\x20" + seed
        ).digest()
    )
    assert (
        sv.ticket(b"k" * 32, "é")
        == hashlib.sha256(b"k" * 32 + b"\x00\x00\x00\x02\xc3\xa9").digest()
    )
    one = [("x", "s", True, -0.0)]
    expected = hashlib.sha256(
        b"randsample/v1/population\x00"
        + (1).to_bytes(8, "big")
        + b"\x00\x00\x00\x01x\x00\x00\x00\x01s\x01\x01"
        + bytes(8)
    ).hexdigest()
    assert sv.population_digest(one) == expected  # -0.0 is written as 0.0
    assert sv.population_digest(ROWS) == sv.population_digest(ROWS[::-1])


def test_select_ranks_by_ticket_and_skips_ineligible() -> None:
    """Selection takes the n smallest tickets of eligible units, with reduced fractions."""
    sub = sv.subkey(b"\x01" * 32, "enterprises")
    selection = sv.select(ROWS, SIZES, sub)
    assert [e["stratum"] for e in selection] == ["A", "A", "B", "B", "B", "北京"]
    eligible_a = sorted((sv.ticket(sub, r[0]), r[0]) for r in ROWS if r[1] == "A" and r[2])
    assert [e["id"] for e in selection[:2]] == [u for _t, u in eligible_a[:2]]
    assert [e["inclusion_probability"] for e in selection] == ["1/2"] * 2 + ["3/4"] * 3 + ["1/3"]
    assert "A-03" not in {e["id"] for e in selection}
    with pytest.raises(ValueError, match="feasible"):
        sv.select(ROWS, {**SIZES, "A": 5}, sub)


def test_handmade_record_verifies() -> None:
    """A record built by hand from the spec verifies, alone and as a link of a chain."""
    first = make_record()
    assert sv.verify(first, ROWS) == []
    second = make_record(previous=first, timestamp="2024-06-01T00:00:00Z")
    assert sv.verify(second, ROWS, previous=first) == []


def test_tampered_selection_id_is_reported() -> None:
    """Swapping a selected id for another unit's is reported under ``selection``."""
    record = make_record()
    chosen = {e["id"] for e in record["selection"]}
    other = next(r[0] for r in ROWS if r[1] == "B" and r[0] not in chosen)
    victim = next(e for e in record["selection"] if e["stratum"] == "B")
    old_id, victim["id"] = victim["id"], other
    problems = sv.verify(seal(record), ROWS)
    assert fields(problems) == {"selection"}
    text = "\n".join(m for _f, m in problems)
    assert f"unit {other!r} is in the record but not selected by the algorithm" in text
    assert f"unit {old_id!r}" in text
    assert "missing from the record" in text


@pytest.mark.parametrize(
    ("index", "row"),
    [
        (0, ("A-01", "B", True, 1.0)),  # stratum
        (2, ("A-03", "A", True, 1.0)),  # eligibility
        (1, ("A-02", "A", True, 1.75)),  # weight
    ],
)
def test_tampered_population_is_reported(index: int, row: sv.Row) -> None:
    """Changing one row's stratum, eligibility or weight changes the population digest."""
    rows = list(ROWS)
    rows[index] = row
    problems = sv.verify(make_record(), rows)
    assert "population.digest" in fields(problems)
    assert "record_digest" not in fields(problems)


def test_tampered_seed_value_is_reported() -> None:
    """A seed value that the key does not give is reported under ``seed.value``."""
    record = make_record()
    record["seed"]["value"] = "00" * 32
    assert fields(sv.verify(seal(record), ROWS)) == {"seed.value"}


def test_tampered_source_value_is_reported() -> None:
    """Editing a source value changes the key and the seed, so everything downstream."""
    record = make_record()
    record["seed"]["sources"][0]["values"] = ["324568"]
    found = fields(sv.verify(seal(record), ROWS))
    assert {"seed.key", "seed.value", "subkey"} <= found
    assert "record_digest" not in found


def test_tampered_secret_breaks_the_commitment() -> None:
    """A revealed secret that does not match the commitment is reported."""
    record = make_record()
    record["seed"]["commitment"] = "ab" * 32
    assert fields(sv.verify(seal(record), ROWS)) == {"seed.commitment"}


def test_tampered_sample_size_is_reported() -> None:
    """A design sample size that the selection does not have names that design field."""
    record = make_record()
    record["design"]["strata"][1]["sample_size"] = 2  # stratum B, really 3
    found = fields(sv.verify(seal(record), ROWS))
    assert "design.strata['B'].sample_size" in found
    assert "selection" in found  # the algorithm with n=2 does not pick the third unit


def test_infeasible_sample_size_is_reported() -> None:
    """A sample size above the eligible count is reported, and the rest still compared."""
    record = make_record()
    record["design"]["strata"][0]["sample_size"] = 5  # stratum A has 4 eligible units
    problems = sv.verify(seal(record), ROWS)
    assert any("not feasible" in m for f, m in problems if f == "design.strata['A'].sample_size")


def test_tampered_timestamp_breaks_the_record_digest() -> None:
    """An edit without re-sealing is caught by the record digest alone."""
    record = make_record()
    record["timestamp"] = "2024-05-06T07:08:10Z"
    assert fields(sv.verify(record, ROWS)) == {"record_digest"}


def test_tampered_previous_link_is_reported() -> None:
    """A link to something other than the previous record's digest is reported."""
    first = make_record()
    second = make_record(previous=first, timestamp="2024-06-01T00:00:00Z")
    second["previous_record_digest"] = "12" * 32
    assert fields(sv.verify(seal(second), ROWS, previous=first)) == {"previous_record_digest"}
    # A doctored previous record (authority changed, re-sealed) breaks the link as well.
    other = seal({**copy.deepcopy(first), "authority": "另一个局"})
    found = fields(sv.verify(make_record(previous=first), ROWS, previous=other))
    assert {"previous_record_digest", "authority"} <= found


def test_earlier_timestamp_than_previous_is_reported() -> None:
    """A record dated before its predecessor is reported under ``timestamp``."""
    first = make_record(timestamp="2024-07-01T00:00:00Z")
    second = make_record(previous=first, timestamp="2024-06-30T23:59:59Z")
    assert fields(sv.verify(second, ROWS, previous=first)) == {"timestamp"}


def test_low_entropy_flag_is_rederived() -> None:
    """Spec 2.4: the flag must say whether the material breaks an entropy rule."""
    record = make_record()
    record["seed"]["low_entropy_allowed"] = True
    assert fields(sv.verify(seal(record), ROWS)) == {"seed.low_entropy_allowed"}
    raw = bytes(range(16))  # 16 distinct bytes: fine
    seed = {
        "value": raw.hex(),
        "key": None,
        "sources": [],
        "secret": None,
        "commitment": None,
        "low_entropy_allowed": False,
    }
    assert sv.seed_from_record(seed) == raw


def test_selection_reports_are_capped() -> None:
    """A wrong sub-key on a large population reports 20 differences and a count."""
    rows: list[sv.Row] = [(f"u{i}", f"s{i % 3}", True, None) for i in range(300)]
    record = make_record(rows, {"s0": 40, "s1": 40, "s2": 40})
    record["selection"] = sv.select(rows, {"s0": 40, "s1": 40, "s2": 40}, b"\x00" * 32)
    problems = [p for p in sv.verify(seal(record), rows) if p[0].startswith("selection")]
    assert sv.MAX_LISTED + 1 == len(problems)
    assert "more differences" in problems[-1][1]


def test_read_population_csv(tmp_path: Path) -> None:
    """The CSV reader round-trips rows, ignores a BOM and rejects bad input."""
    path = tmp_path / "p.csv"
    write_csv(path, ROWS)
    assert sv.read_population_csv(path) == ROWS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert sv.population_digest(sv.read_population_csv(path)) == sv.population_digest(ROWS)
    for bad in [
        "id,stratum,eligible\r\nx,s,1\r\n",
        "id,stratum,eligible,weight\r\nx ,s,1,\r\n",
        "id,stratum,eligible,weight\r\nx,s,yes,\r\n",
        "id,stratum,eligible,weight\r\nx,s,1,nan\r\n",
        "id,stratum,eligible,weight\r\nx,s,1,\r\nx,t,0,\r\n",
    ]:
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(sv.CannotVerify):
            sv.read_population_csv(path)


def run_isolated(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the copied file with ``python -I``, cwd ``tmp``, where numpy etc. cannot import.

    From Python 3.11 on, ``-I`` no longer puts the script's folder on ``sys.path``; the
    bootstrap puts it first so that the fake ``numpy.py`` shadows any installed numpy.
    """
    boot = (
        "import runpy, sys; sys.path.insert(0, '.'); "
        "sys.argv = ['standalone_verify.py', *sys.argv[1:]]; "
        "runpy.run_path('standalone_verify.py', run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-I", "-c", boot, *args],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_runs_as_a_lone_file_without_third_party_packages(tmp_path: Path) -> None:
    """The file runs alone under ``python -I`` with numpy unimportable: exit 0, 1 and 2."""
    shutil.copy(sv.__file__, tmp_path / "standalone_verify.py")
    for name in ("numpy", "scipy", "attrs", "randsample"):
        (tmp_path / f"{name}.py").write_text(f"raise ImportError('{name} is not allowed')\n")
    probe = subprocess.run(
        [sys.executable, "-I", "-c", "import sys; sys.path.insert(0, '.'); import numpy"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "numpy is not allowed" in probe.stderr  # the trap works
    first = make_record()
    record = make_record(previous=first, timestamp="2024-06-01T00:00:00Z")
    write_csv(tmp_path / "pop.csv", ROWS)
    (tmp_path / "prev.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "rec.json").write_text(json.dumps(record, indent=1), encoding="utf-8")

    ok = run_isolated(tmp_path, "rec.json", "pop.csv", "--previous", "prev.json")
    assert ok.returncode == 0, ok.stderr
    assert "VERIFIED" in ok.stdout
    assert "2024-Q2-01" in ok.stdout

    record["selection"][0]["rank"] = 7
    (tmp_path / "bad.json").write_text(json.dumps(record), encoding="utf-8")
    bad = run_isolated(tmp_path, "bad.json", "pop.csv", "--json")
    assert bad.returncode == 1, bad.stderr
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    first_id = record["selection"][0]["id"]
    assert {"record_digest", f"selection[{first_id!r}].rank"} <= {
        d["field"] for d in report["discrepancies"]
    }

    (tmp_path / "hdr.csv").write_text("id,stratum,eligible\r\n", encoding="utf-8")
    broken = run_isolated(tmp_path, "rec.json", "hdr.csv")
    assert broken.returncode == 2
    assert "header" in broken.stderr
    assert run_isolated(tmp_path, "missing.json", "pop.csv").returncode == 2
    record["algorithm"]["version"] = 2
    (tmp_path / "v2.json").write_text(json.dumps(record), encoding="utf-8")
    assert run_isolated(tmp_path, "v2.json", "pop.csv").returncode == 2


def test_runs_as_a_module(tmp_path: Path) -> None:
    """``python -m randsample.records._standalone_verify`` works too."""
    write_csv(tmp_path / "pop.csv", ROWS)
    (tmp_path / "rec.json").write_text(json.dumps(make_record()), encoding="utf-8")
    src = str(Path(sv.__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "randsample.records._standalone_verify",
            "rec.json",
            "pop.csv",
            "--json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True


DATA = Path(__file__).parents[1] / "data"


def test_seed_and_ticket_vectors() -> None:
    """The verifier reproduces every seed, sub-key and ticket test vector of spec 8."""
    for vector in json.loads((DATA / "seed_vectors.json").read_text(encoding="utf-8")):
        if "raw_seed" in vector:
            seed = {"value": vector["raw_seed"], "key": None, "sources": [], "secret": None}
            seed |= {"commitment": None, "low_entropy_allowed": False}
        else:
            seed = {k: vector[k] for k in ("key", "secret", "commitment", "low_entropy_allowed")}
            seed["value"] = vector["seed"]
            seed["sources"] = [{"name": n, "values": v} for n, v in vector["sources"]]
        report = sv.Findings()
        value = sv._check_seed(seed, report, strict=False)  # vectors: values as given
        assert (value.hex(), list(report)) == (vector["seed"], [])
        for purpose, expected in vector.get("subkeys", {}).items():
            assert sv.subkey(value, purpose).hex() == expected
    for vector in json.loads((DATA / "ticket_vectors.json").read_text(encoding="utf-8")):
        assert sv.ticket(bytes.fromhex(vector["subkey"]), vector["id"]).hex() == vector["ticket"]


def test_golden_draw_verifies() -> None:
    """The golden records verify against the golden population, chain link included."""
    folder = DATA / "golden_draw"
    rows = sv.read_population_csv(folder / "population.csv")
    first = json.loads((folder / "record1.json").read_text(encoding="utf-8"))
    second = json.loads((folder / "record2.json").read_text(encoding="utf-8"))
    assert sv.verify(first, rows) == []
    assert sv.verify(second, rows, previous=first) == []
