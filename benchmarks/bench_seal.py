"""Sealing a large draw: ``make_record`` and its phases against plain ``json.dumps``.

A stratified draw of ``--n`` USCC-like units (1,000,000) in four credit classes
(A 60% / B 25% / C 10% / D 5%, shuffled) at rates A 40% / B 50% / C 70% / D 100%, which
selects 485,000 units: the size of the selection of a 10M-unit draw at the usual rates
(A 1% / B 3% / C 10% / D 50%), without spending a minute on the draw; ``--n 10000000
--rates usual`` is that draw itself. ``--ids chinese10`` uses enterprise-name-like ids
instead. Each round times, interleaved:

* ``json_dumps``   ``json.dumps`` of the same selection rows (sort_keys, compact separators,
                   ensure_ascii=False): the baseline every ratio divides by
* ``hash_ids``     the bare hashlib loop over the selected ids (a second reference)
* ``rows``         ``selection_rows(sample.selection)``: the record's rows from the columns
* ``schema``       ``check_schema`` of the draw record's content
* ``values``       ``check_draw_values`` of the content
* ``digest``       ``compute_digest`` of the content (checks, canonical JSON, SHA-256)
* ``make_record``  the whole seal; also asserted to give the same digest as the reference
                   below

and reports best and median seconds and the ratio of each best to the baseline's best.
``reference_digest`` is ``sha256(json.dumps(...).encode())`` of the record without its digest:
it must equal the record's digest (checked, untimed). ``--profile`` adds a cProfile of one
``make_record``. No timed assertions.

    python benchmarks/bench_seal.py [--n 1000000] [--rates high|usual]
                                    [--ids ascii18|chinese10] [--repeat 5]
                                    [--profile] [--json out.json]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from _common import chinese_ids, interleaved, print_table, summary, uscc_like_ids, write_json
from randsample import Population, Seed, draw_stratified, make_record
from randsample.records import DrawRecord
from randsample.records._draw import selection_rows
from randsample.records._schema import check_schema
from randsample.records._seal import compute_digest
from randsample.records._values import check_draw_values

SHARES = {"A": (60, 100), "B": (25, 100), "C": (10, 100), "D": (5, 100)}
RATES = {
    "high": {"A": (40, 100), "B": (50, 100), "C": (70, 100), "D": (100, 100)},
    "usual": {"A": (1, 100), "B": (3, 100), "C": (10, 100), "D": (50, 100)},
}
SEED = Seed.from_hex("bb67ae8584caa73b3c6ef372fe94f82b")
FIELDS = {"authority": "县市场监管局", "draw_id": "2026-001", "timestamp": "2026-11-27T02:00:00Z"}


def make_sample(n: int, ids_kind: str, rates: str = "high") -> Any:
    """Draw the benchmark's sample (untimed)."""
    counts = {h: n * p // q for h, (p, q) in SHARES.items()}
    counts["A"] += n - sum(counts.values())
    labels = np.array(list(counts), dtype=object)
    codes = np.repeat(np.arange(len(counts)), list(counts.values()))
    np.random.default_rng(3).shuffle(codes)
    sizes = {h: -(-counts[h] * p // q) for h, (p, q) in RATES[rates].items()}
    ids = uscc_like_ids(n) if ids_kind == "ascii18" else chinese_ids(n)
    population = Population.from_columns(ids, strata=labels[codes].tolist())
    return draw_stratified(population, sizes, SEED)


def dumps(value: Any) -> str:
    """The canonical JSON settings of ``randsample.core`` as a plain json.dumps call."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rates", choices=tuple(RATES), default="high")
    parser.add_argument("--ids", choices=("ascii18", "chinese10"), default="ascii18")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()

    sample = make_sample(args.n, args.ids, args.rates)
    record = make_record(sample, **FIELDS)
    content = record.content
    body = {k: v for k, v in content.items() if k != "record_digest"}
    reference = hashlib.sha256(dumps(body).encode("utf-8")).hexdigest()
    assert reference == record.record_digest, "make_record's digest differs from json.dumps"
    rows = content["selection"]
    selected = list(sample.selection.ids)
    print(f"{args.n:,} units ({args.ids}), {len(rows):,} selected; best of {args.repeat}")

    candidates = {
        "json_dumps": lambda: dumps(rows),
        "hash_ids": lambda: [hashlib.sha256(s.encode()).digest() for s in selected],
        "rows": lambda: selection_rows(sample.selection),
        "schema": lambda: check_schema(content, DrawRecord.SCHEMA),
        "values": lambda: check_draw_values(content),
        "digest": lambda: compute_digest(content),
        "make_record": lambda: make_record(sample, **FIELDS),
    }
    times = interleaved(candidates, args.repeat)
    base = min(times["json_dumps"])
    table, results = [], {}
    for name, values in times.items():
        stats = summary(values)
        ratio = stats["best"] / base
        results[name] = {**stats, "ratio": ratio, "runs": values}
        table.append([name, f"{stats['best']:.3f}", f"{stats['median']:.3f}", f"{ratio:.2f}"])
    print_table(["stage", "best s", "median s", "vs json.dumps"], table)
    again = make_record(sample, **FIELDS)
    assert again.record_digest == record.record_digest == reference

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: make_record(sample, **FIELDS))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    write_json(
        args.json,
        {
            "n": args.n,
            "rates": args.rates,
            "ids": args.ids,
            "selected": len(rows),
            "digest": reference,
            **results,
        },
    )


if __name__ == "__main__":
    main()
