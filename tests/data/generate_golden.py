"""Regenerate the golden vectors in this folder. Run only for a NEW algorithm version.

The files here freeze algorithm ``stratified-srswor`` v1 and record format
``randsample.draw-record/1`` (docs/spec.md section 7). Regenerating them for an existing
version would hide exactly the breaking change they exist to catch: if a golden test fails,
fix the code, not the vectors.

    python tests/data/generate_golden.py
"""

from __future__ import annotations

import json
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
from randsample.design import draw_stratified_pips
from randsample.files import write_population_csv, write_record

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


if __name__ == "__main__":
    (HERE / "seed_vectors.json").write_text(
        json.dumps(seed_vectors(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "ticket_vectors.json").write_text(
        json.dumps(ticket_vectors(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    golden_draw()
