"""Regenerate the golden vectors in this folder. Run only for a NEW algorithm version.

The files here freeze algorithms ``stratified-srswor`` v1, ``stratified-pips-systematic`` v1,
``stratified-pips-sampford`` v1 and ``team-assignment`` v1 and record formats
``randsample.draw-record/1``, ``randsample.replacement-record/1`` and
``randsample.assignment-record/1`` (docs/spec.md section 7). Regenerating them for an
existing version would hide exactly the breaking change they exist to catch: if a golden
test fails, fix the code, not the vectors. Name the sets to write (all by default); an
existing file is never overwritten without ``--force``:

    python tests/data/generate_golden.py [seeds tickets draw replacement assignment sampford]
        [--force]
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from randsample import (
    Population,
    PublicSource,
    Seed,
    commitment_for,
    draw_stratified,
    make_record,
    ticket,
)
from randsample.core import RandomStream
from randsample.design import draw_stratified_pips, draw_stratified_sampford
from randsample.design._sampford import sampford_rounds
from randsample.files import (
    read_conflicts,
    read_directory,
    read_population_csv,
    read_record,
    read_visits,
    write_population_csv,
    write_record,
)
from randsample.records import record_replacement
from randsample.teams import assign_inspectors, make_assignment_record

HERE = Path(__file__).parent

SEED_CASES = [
    {
        "sources": [
            ["RFC 3797 source 1", ["9319"]],
            ["RFC 3797 source 2", ["2", "5", "8", "10", "12"]],
            ["RFC 3797 source 3", ["9", "18", "26", "34", "41", "45"]],
        ],
        "secret": None,
    },
    {
        "sources": [
            ["lottery", ["07", "3", "33", "19"]],
            ["index x100", ["0332718"]],
            ["beacon", [str(int("6c4f1d0e2a9b3c5d7e8f90a1b2c3d4e5", 16))]],
        ],
        "secret": None,
    },
    {
        "sources": [
            ["lottery", ["3", "11", "19", "24", "30", "33"]],
            ["index x100", ["324567", "1187342"]],
        ],
        "secret": "d2a94c1e8b7f3065a1c4e9b2d7f08e36",
    },
]
RAW_SEEDS = [
    "000102030405060708090a0b0c0d0e0f",
    "c0ffee254729a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394",
]
PURPOSES = ["enterprises", "inspectors", "抽查/2026-11"]
IDS = [
    "91350100M000100Y43",
    "91110000600037341L",
    "E001",
    "清河县某某食品有限公司",
    "a",
    "Ａ",
    "x" * 300,
]


def seed_vectors() -> list[dict[str, object]]:
    out = []
    for case in SEED_CASES:
        sources = [PublicSource(name, values) for name, values in case["sources"]]
        secret = None if case["secret"] is None else bytes.fromhex(case["secret"])
        seed = Seed.from_sources(sources, secret=secret, allow_low_entropy=True)
        out.append(
            {
                "sources": case["sources"],
                "secret": case["secret"],
                "commitment": None if secret is None else commitment_for(secret),
                "key": seed.key,
                "seed": seed.value.hex(),
                "low_entropy_allowed": seed.low_entropy_allowed,
                "subkeys": {p: seed.subkey(p).hex() for p in PURPOSES},
            }
        )
    for raw in RAW_SEEDS:
        seed = Seed.from_hex(raw)
        out.append(
            {
                "raw_seed": raw,
                "seed": seed.value.hex(),
                "subkeys": {p: seed.subkey(p).hex() for p in PURPOSES},
            }
        )
    return out


def ticket_vectors() -> list[dict[str, str]]:
    subkeys = [bytes(32), Seed.from_hex(RAW_SEEDS[1]).subkey("enterprises")]
    return [
        {"subkey": k.hex(), "id": i, "ticket": ticket(k, i).hex()} for k in subkeys for i in IDS
    ]


def golden_draw() -> None:
    folder = HERE / "golden_draw"
    folder.mkdir(exist_ok=True)
    ids = [f"G{i:04d}" for i in range(200)] + ["清河县甲食品有限公司", "清河县乙餐饮店"]
    strata = ["A" if i % 4 else "B" for i in range(200)] + ["D", "D"]
    strata[::17] = ["C"] * len(strata[::17])
    eligible = [i % 23 != 5 for i in range(len(ids))]
    weights = [float(i % 5) / 4 for i in range(len(ids))]
    population = Population.from_columns(ids, strata=strata, eligible=eligible, weights=weights)
    sizes = {"A": 7, "B": 5, "C": 3, "D": 2}
    seed = Seed.from_sources(
        [
            PublicSource("golden lottery", [3, 11, 19, 24, 30, 33]),
            PublicSource("golden index", [324567, 1187342]),
        ],
        secret=bytes.fromhex("d2a94c1e8b7f3065a1c4e9b2d7f08e36"),
    )
    first = make_record(
        draw_stratified(population, sizes, seed),
        authority="golden authority",
        draw_id="golden-1",
        timestamp="2026-11-27T02:00:00Z",
    )
    raw = Seed.from_hex(RAW_SEEDS[1])
    second = make_record(
        draw_stratified(population, {"A": 20, "B": 10, "C": 0, "D": 1}, raw),
        authority="golden authority",
        draw_id="golden-2",
        timestamp="2026-11-28T02:00:00Z",
        previous=first,
    )
    write_population_csv(population, folder / "population.csv")
    (folder / "sizes.json").write_text(json.dumps(sizes, indent=1) + "\n", encoding="utf-8")
    write_record(first, folder / "record1.json")
    write_record(second, folder / "record2.json")
    pips = make_record(
        draw_stratified_pips(population, {**sizes, "D": 1}, seed),
        authority="golden authority",
        draw_id="golden-pips",
        timestamp="2026-11-29T02:00:00Z",
    )
    write_record(pips, folder / "record_pips.json")


def golden_replacement() -> None:
    """Two replacements of golden record 1 (one unit each of strata A and B), chained."""
    folder = HERE / "golden_draw"
    population = read_population_csv(folder / "population.csv")
    draw = read_record(folder / "record1.json")
    first = record_replacement(
        draw,
        population,
        unit_id=draw.selected_ids[0],
        reason="deregistered before the visit",
        recorded_by="inspector 07",
        timestamp="2026-11-27T05:00:00Z",
        previous=draw,
    )
    in_b = next(entry["id"] for entry in draw["selection"] if entry["stratum"] == "B")
    second = record_replacement(
        draw,
        population,
        unit_id=in_b,
        reason="无法联系 (address unreachable)",
        recorded_by="检查员 12",
        timestamp="2026-11-27T06:00:00Z",
        previous=first,
        earlier=[first],
    )
    _write_new(folder / "replacement1.json", first.to_json())
    _write_new(folder / "replacement2.json", second.to_json())


def _golden_seed() -> Seed:
    return Seed.from_sources(
        [
            PublicSource("golden lottery", [3, 11, 19, 24, 30, 33]),
            PublicSource("golden index", [324567, 1187342]),
        ],
        secret=bytes.fromhex("d2a94c1e8b7f3065a1c4e9b2d7f08e36"),
    )


_TINY = Fraction(1, 3**200)  # makes the common denominator exceed 2**256
SAMPFORD_CASES: list[tuple[str, list[Fraction]]] = [
    ("sampford/A", [Fraction(1, 2), Fraction(1, 4), Fraction(3, 4), Fraction(1, 2)]),
    ("sampford/one", [Fraction(1, 5), Fraction(2, 5), Fraction(2, 5)]),
    ("sampford/skewed", [Fraction(9, 10), Fraction(1, 10), Fraction(1, 2), Fraction(1, 2)]),
    (
        "sampford/wide",
        [Fraction(1, 2) + _TINY, Fraction(1, 2) - _TINY, Fraction(1, 3), Fraction(2, 3)],
    ),
    ("sampford/rounds", [Fraction(2, 3)] * 12),
    ("sampford/抽查", [Fraction(k, 20) for k in (1, 3, 5, 7, 9, 11, 13, 15, 16)]),
]


def sampford_vectors() -> list[dict[str, object]]:
    """Steps 6-8 of spec section 12 alone: accepted positions, trials and blocks used."""
    out = []
    for subkey in (bytes(32), _golden_seed().subkey("enterprises")):
        for label, pik in SAMPFORD_CASES:
            stream = RandomStream(subkey, label)
            selected, trials = sampford_rounds(pik, stream)
            out.append(
                {
                    "subkey": subkey.hex(),
                    "label": label,
                    "pik": [str(p) for p in pik],
                    "selected": selected,
                    "trials": trials,
                    "blocks": stream.blocks_used,
                }
            )
    return out


def golden_sampford() -> None:
    """A stratified-pips-sampford draw of the golden population, and the stream vectors."""
    folder = HERE / "golden_draw"
    population = read_population_csv(folder / "population.csv")
    sizes = {"A": 7, "B": 5, "C": 3, "D": 1}
    record = make_record(
        draw_stratified_sampford(population, sizes, _golden_seed()),
        authority="golden authority",
        draw_id="golden-sampford",
        timestamp="2026-11-30T02:00:00Z",
    )
    _write_new(folder / "record_sampford.json", record.to_json())
    _write_new(
        HERE / "sampford_vectors.json",
        json.dumps(sampford_vectors(), ensure_ascii=False, indent=1) + "\n",
    )


_DEPARTMENTS = {"食品": ["餐饮", "生产"], "药品": ["零售"]}


def _assignment_inputs() -> dict[str, object]:
    """A small instance that exercises every rule: joint visits, all conflict kinds, days
    off, a binding capacity (so the repair step runs) and one visit nobody can staff."""
    regions = ["东区", "西区", "南区"]
    inspectors = []
    for k in range(9):
        department = "食品" if k < 6 else "药品"
        categories = _DEPARTMENTS[department] if k % 2 == 0 else _DEPARTMENTS[department][:1]
        inspectors.append(
            {
                "id": f"{'F' if department == '食品' else 'D'}-{k:02d}",
                "department": department,
                "certified": True,
                "categories": categories,
                "home_region": regions[k % 3],
                "capacity": 1 if k in (1, 6) else 3,
                "days_off": ["2026-03-03"] if k == 4 else [],
            }
        )
    visits = []
    for n in range(8):
        joint = n % 3 == 0 or n == 7
        departments = ["食品", "药品"] if joint else ["食品"]
        items = {"食品": ["餐饮"] if n % 2 else ["餐饮", "生产"]}
        if joint:
            items["药品"] = ["零售"]
        visits.append(
            {
                "visit_id": f"V-{n:03d}",
                "enterprise_id": f"E-{n:03d}",
                "enterprise_region": regions[(n + 1) % 3],
                "date": "2026-03-03" if n % 2 else "2026-03-02",
                "departments": departments,
                "items": items,
                "team_size": 3 if n == 3 else 2,
                "lead": "食品",
            }
        )
    conflicts = {
        "relations": [["F-00", "E-002", "relative"], ["D-06", "E-003", "shareholder"]],
        "same_locality": True,
        "history": {"E-005": [["F-02", "F-03"]]},
        "rotation": 1,
        "recusals": {"E-001": ["F-05"], "E-007": ["D-06", "D-07", "D-08"]},
        "exclusions": [["F-04", "E-006", "其他（领导批准）"]],
    }
    return {"inspectors": inspectors, "visits": visits, "conflicts": conflicts}


def golden_assignment() -> None:
    """Inputs as the files ``randsample assign`` reads, and the sealed records they give."""
    folder = HERE / "golden_assignment"
    folder.mkdir(exist_ok=True)
    inputs = _assignment_inputs()
    files = {
        "directory.json": {"inspectors": inputs["inspectors"], "departments": sorted(_DEPARTMENTS)},
        "visits.json": {"visits": inputs["visits"]},
        "conflicts.json": inputs["conflicts"],
        "seed.json": {
            "sources": [
                {"name": "golden lottery", "values": [3, 11, 19, 24, 30, 33]},
                {"name": "golden index", "values": [324567, 1187342]},
            ],
            "secret": "d2a94c1e8b7f3065a1c4e9b2d7f08e36",
        },
    }
    for name, data in files.items():
        _write_new(folder / name, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    directory = read_directory(folder / "directory.json")
    visits = read_visits(folder / "visits.json")
    conflicts = read_conflicts(folder / "conflicts.json")
    seed = Seed.from_sources(
        [PublicSource(s["name"], s["values"]) for s in files["seed.json"]["sources"]],
        secret=bytes.fromhex(files["seed.json"]["secret"]),
    )
    partial = make_assignment_record(
        assign_inspectors(directory, visits, seed, conflicts=conflicts, partial=True),
        authority="golden authority",
        assignment_id="golden-teams-partial",
        timestamp="2026-03-01T02:00:00Z",
    )
    complete = make_assignment_record(
        assign_inspectors(directory, visits[:-1], seed, conflicts=conflicts),
        authority="golden authority",
        assignment_id="golden-teams",
        timestamp="2026-03-01T03:00:00Z",
        previous=partial,
    )
    _write_new(folder / "record_partial.json", partial.to_json())
    _write_new(folder / "record_complete.json", complete.to_json())


_FORCE = False


def _write_new(path: Path, text: str) -> None:
    if path.exists() and not _FORCE:
        raise SystemExit(
            f"{path} exists: golden vectors are frozen (pass --force for a new version)"
        )
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    import sys

    _FORCE = "--force" in sys.argv
    chosen = [a for a in sys.argv[1:] if not a.startswith("--")] or [
        "seeds",
        "tickets",
        "draw",
        "replacement",
        "assignment",
        "sampford",
    ]
    if "seeds" in chosen:
        _write_new(
            HERE / "seed_vectors.json",
            json.dumps(seed_vectors(), ensure_ascii=False, indent=1) + "\n",
        )
    if "tickets" in chosen:
        _write_new(
            HERE / "ticket_vectors.json",
            json.dumps(ticket_vectors(), ensure_ascii=False, indent=1) + "\n",
        )
    if "draw" in chosen:
        golden_draw()
    if "replacement" in chosen:
        golden_replacement()
    if "assignment" in chosen:
        golden_assignment()
    if "sampford" in chosen:
        golden_sampford()
