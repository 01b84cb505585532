"""πps draws against the equal-probability draw on the same population, as ratios.

N USCC-like units in four credit classes (A 60% / B 25% / C 10% / D 5%, as bench_draw.py),
each with an integer risk weight 1..9 (fixed by a hash of the id), and per-class sizes small
enough for Sampford's rejective method (A 240, B 120, C 60, D 40 at N = 100,000; scaled with
N: its acceptance falls like exp(-n^2 / 2N) per class). Times, best of --repeat rounds with the
candidates interleaved:

    srswor        draw_stratified (baseline: tickets, ticket order, the n_h smallest)
    systematic    draw_stratified_pips (stratified-pips-systematic v1)
    sampford      draw_stratified_sampford (stratified-pips-sampford v1)
    pi_kl_100     sampford_joint_inclusion on 100 units of class D (exact pi_kl)

Every candidate is checked first: each draw selects exactly n_h per class.

    python benchmarks/bench_pips.py [--n 100000] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import interleaved, print_table, summary, uscc_like_ids, write_json
from bench_draw import make_strata
from randsample import Population, Seed, draw_stratified
from randsample.design import (
    draw_stratified_pips,
    draw_stratified_sampford,
    exact_inclusion_probabilities,
    sampford_joint_inclusion,
)

SEED = Seed.from_hex("3c6ef372fe94f82ba54ff53a5f1d36f1")
PER_100K = {"A": 240, "B": 120, "C": 60, "D": 40}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="units (100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; best-of-k (3)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    ids = uscc_like_ids(args.n)
    strata, _ = make_strata(args.n)
    weights = [float(1 + hashlib.sha256(i.encode()).digest()[0] % 9) for i in ids]
    population = Population.from_columns(ids, strata=strata, weights=weights)
    scale = (args.n / 100_000) ** 0.5
    sizes = {h: max(2, round(n * scale)) for h, n in PER_100K.items()}
    d_weights = [w for w, s in zip(weights, strata, strict=True) if s == "D"][:100]
    d_pik = exact_inclusion_probabilities(d_weights, 10)
    print(f"bench_pips: N={args.n:,}, sizes {sizes}; best of {args.repeat} rounds")

    candidates: dict[str, Callable[[], Any]] = {
        "srswor": lambda: draw_stratified(population, sizes, SEED),
        "systematic": lambda: draw_stratified_pips(population, sizes, SEED),
        "sampford": lambda: draw_stratified_sampford(population, sizes, SEED),
        "pi_kl_100": lambda: sampford_joint_inclusion(d_pik),
    }
    for name in ("srswor", "systematic", "sampford"):
        sample = candidates[name]()
        counts = dict.fromkeys(sizes, 0)
        for unit in sample.selection:
            counts[unit.stratum] += 1
        assert counts == sizes, (name, counts)

    times = interleaved(candidates, args.repeat)
    base = min(times["srswor"])
    rows, results = [], {}
    for name, runs in times.items():
        stats = summary(runs)
        results[name] = {**stats, "runs": runs, "ratio_to_srswor": stats["best"] / base}
        rows.append(
            [
                name,
                f"{stats['best'] * 1e3:.1f}",
                f"{stats['median'] * 1e3:.1f}",
                f"{stats['best'] / base:.2f}x",
            ]
        )
    print_table(["candidate", "best ms", "median ms", "vs srswor"], rows)
    write_json(
        args.json,
        {"benchmark": "bench_pips", "n": args.n, "sizes": sizes, "candidates": results},
    )


if __name__ == "__main__":
    main()
