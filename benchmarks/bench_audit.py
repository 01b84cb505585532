"""The ledger audit: 1,000 records of a year, and the record of a 1,000,000-unit draw.

Part 1 builds a ledger of ``--records`` records (announcements, announced draws on a shared
population of ``--units`` units, and two replacements after every other draw), then times
``records.audit`` (every draw re-derived, with its replacements) against its baseline: the
sum of ``verify`` over the same draws alone, in the same process. It also times reading the
folder (``files.read_ledger``: every record parsed with the strict reader).

Part 2 draws from ``--big`` USCC-like units (the bench_draw design) and times, on its record:
the strict reader (``read_record``) against ``json.loads`` of the same text, and the audit of
the one-record ledger against ``verify`` (the audit adds the population digest lookup).

    python benchmarks/bench_audit.py [--records 1000] [--units 2000] [--big 1000000]
                                     [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import interleaved, print_table, summary, uscc_like_ids, write_json
from bench_draw import make_strata
from randsample import (
    LowEntropySeedError,
    Population,
    PublicSource,
    Seed,
    draw_stratified,
    make_record,
)
from randsample.examples import demo_population, demo_sizes
from randsample.files import read_ledger, write_population_csv, write_record
from randsample.records import (
    AnnouncedSource,
    SealedRecord,
    announce_draw,
    audit,
    read_record,
    record_replacement,
    verify,
)

AUTHORITY = "清河县市场监督管理局"


def _secret(label: str) -> bytes:
    return hashlib.sha256(f"bench {label}".encode()).digest()


def _seed(day: datetime.date, label: str) -> Seed:
    # Lottery numbers, two index closes; redrawn (another salt) in the rare case that the
    # values carry fewer than 20 entropy digits, as a real authority would add a source.
    names = (f"双色球 {day}", f"上证指数 {day} close x100", f"深证成指 {day} close x100")
    for salt in range(100):
        word = hashlib.sha256(f"{label}/{salt}".encode()).digest()
        lottery = [*sorted({1 + b % 33 for b in word[:12]})[:6], 1 + word[12] % 16]
        values = [lottery, [312345 + int.from_bytes(word[13:15], "big")], [1087654 + word[15] * 97]]
        sources = [PublicSource(n, v) for n, v in zip(names, values, strict=True)]
        try:
            return Seed.from_sources(sources, secret=_secret(label))
        except LowEntropySeedError:
            continue
    raise AssertionError("no seed")  # pragma: no cover


def build_ledger(records: int, units: int) -> tuple[dict[str, SealedRecord], Population]:
    """A chain of announcements, announced draws and replacements, ``records`` long."""
    population = demo_population(size=units)
    sizes = demo_sizes(population)
    ledger: dict[str, SealedRecord] = {}
    previous: SealedRecord | None = None
    start = datetime.datetime(2026, 1, 1, 2, tzinfo=datetime.timezone.utc)
    index = 0
    while len(ledger) < records:
        when = start + datetime.timedelta(days=3 * index)
        day = (when + datetime.timedelta(days=1)).date()
        label = f"D-{index:04d}"
        seed = _seed(day, label)
        notice = announce_draw(
            population,
            sizes,
            sources=[AnnouncedSource(s.name, day, len(s.values)) for s in seed.sources],
            authority=AUTHORITY,
            draw_id=label,
            timestamp=when,
            secret=_secret(label),
            previous=previous,
        )
        draw = make_record(
            draw_stratified(population, sizes, seed),
            authority=AUTHORITY,
            draw_id=label,
            timestamp=when + datetime.timedelta(days=2),
            previous=notice,
        )
        ledger[f"{label}-a.json"], ledger[f"{label}-d.json"] = notice, draw
        previous = draw
        if index % 2 == 0:
            earlier: list[Any] = []
            for k, unit in enumerate(draw.selected_ids[:2]):
                replacement = record_replacement(
                    draw,
                    population,
                    unit_id=unit,
                    reason="已注销",
                    recorded_by="检查员",
                    timestamp=when + datetime.timedelta(days=2, hours=k + 1),
                    previous=previous,
                    earlier=earlier,
                )
                earlier.append(replacement)
                ledger[f"{label}-r{k + 1}.json"] = previous = replacement
        index += 1
    while len(ledger) > records:  # the last entries, so that the chain stays whole
        ledger.popitem()
    return ledger, population


def part1(args: argparse.Namespace) -> dict[str, Any]:
    ledger, population = build_ledger(args.records, args.units)
    draws = [r for r in ledger.values() if r.FORMAT == "randsample.draw-record/1"]
    report = audit(ledger, populations=[population])
    assert report.ok, str(report)[:2000]
    with tempfile.TemporaryDirectory() as folder:
        for name, record in ledger.items():
            write_record(record, Path(folder) / name)
        write_population_csv(population, Path(folder) / "population.csv")
        times = interleaved(
            {
                "baseline: verify each draw": lambda: [verify(d, population) for d in draws],
                "audit": lambda: audit(ledger, populations=[population]),
                "read_ledger (folder)": lambda: read_ledger(folder),
            },
            args.repeat,
        )
    base = min(times["baseline: verify each draw"])
    rows = [
        [name, f"{summary(t)['best']:.3f}", f"{summary(t)['median']:.3f}", f"{min(t) / base:.2f}"]
        for name, t in times.items()
    ]
    print(f"\nPart 1: a ledger of {len(ledger)} records ({len(draws)} draws of {args.units} units)")
    print_table(["stage", "best s", "median s", "ratio"], rows)
    return {
        "records": len(ledger),
        "draws": len(draws),
        "units": args.units,
        "times": {k: summary(v) for k, v in times.items()},
    }


def part2(args: argparse.Namespace) -> dict[str, Any]:
    ids = uscc_like_ids(args.big)
    strata, sizes = make_strata(args.big)
    population = Population.from_columns(ids, strata=strata)
    seed = Seed.from_hex("bb67ae8584caa73b3c6ef372fe94f82b")
    record = make_record(
        draw_stratified(population, sizes, seed),
        authority=AUTHORITY,
        draw_id="big",
        timestamp="2026-11-27T02:00:00Z",
    )
    text = record.to_json()
    times = interleaved(
        {
            "baseline: json.loads": lambda: json.loads(text),
            "read_record (strict)": lambda: read_record(text),
            "verify": lambda: verify(record, population),
            "audit (one record)": lambda: audit({"big.json": record}, populations=[population]),
        },
        args.repeat,
    )
    loads, check = min(times["baseline: json.loads"]), min(times["verify"])
    rows = [
        [
            name,
            f"{summary(t)['best']:.3f}",
            f"{summary(t)['median']:.3f}",
            f"{min(t) / (loads if 'read' in name or 'json' in name else check):.2f}",
        ]
        for name, t in times.items()
    ]
    selected = len(record["selection"])
    print(
        f"\nPart 2: the record of a {args.big:,}-unit draw ({selected:,} selected, "
        f"{len(text) / 1e6:.1f} MB)"
    )
    print_table(["stage", "best s", "median s", "ratio"], rows)
    print("ratios: reading against json.loads, verify and audit against verify")
    return {
        "units": args.big,
        "selected": selected,
        "record_bytes": len(text.encode("utf-8")),
        "times": {k: summary(v) for k, v in times.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    payload = {"ledger": part1(args), "big_draw": part2(args)}
    write_json(args.json, payload)


if __name__ == "__main__":
    main()
