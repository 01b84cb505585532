"""πps draw against the equal-probability draw on the same population, in one process.

N USCC-like units in credit classes (as bench_draw.py), each with a weight (a risk score):
``--weights integer`` (1-100), ``decimal`` (two decimals, 0.01-100.00: binary64 values with
long dyadic expansions) or ``mixed`` (integers with a few 1e-6 and 1e6 outliers, the wide
exponent range). Times ``draw_stratified_pips`` and ``draw_stratified`` (digest cached, the
compiled ticket kernel when installed) and prints the ratio; the target is πps <= 2x.

    python benchmarks/bench_pips_weights.py [--n 1000000] [--repeat 3] [--weights decimal]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from _common import interleaved, print_table, summary, uscc_like_ids, write_json
from bench_draw import SEED, make_strata
from randsample import Population, draw_stratified, draw_stratified_pips

TARGET = 2.0


def weights_of(kind: str, n: int) -> np.ndarray:
    """Risk-score weights of the given kind (deterministic)."""
    rng = np.random.default_rng(11)
    if kind == "integer":
        return rng.integers(1, 101, n).astype(np.float64)
    if kind == "decimal":
        return rng.integers(1, 10001, n) / 100.0
    values = rng.integers(1, 101, n).astype(np.float64)
    values[rng.integers(0, n, 10)] = 1e-6
    values[rng.integers(0, n, 10)] = 1e6
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--weights", choices=["integer", "decimal", "mixed"], default="decimal")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    ids = uscc_like_ids(args.n)
    strata, sizes = make_strata(args.n)
    population = Population.from_columns(
        ids, strata=strata, weights=weights_of(args.weights, args.n)
    )
    population.digest()
    draw_stratified(population, sizes, SEED)  # warm-up: the kernel compiles once
    times = interleaved(
        {
            "srswor": lambda: draw_stratified(population, sizes, SEED),
            "pips": lambda: draw_stratified_pips(population, sizes, SEED),
        },
        args.repeat,
    )
    base = min(times["srswor"])
    rows = []
    for name, runs in times.items():
        stats = summary(runs)
        rows.append(
            [name, f"{stats['best']:.3f}", f"{stats['median']:.3f}", f"{stats['best'] / base:.2f}x"]
        )
    print(f"bench_pips: N={args.n:,}, weights {args.weights}, sizes {sizes}")
    print_table(["draw", "best s", "median s", "vs srswor"], rows)
    ratio = min(times["pips"]) / base
    print(f"target pips <= {TARGET}x srswor: {ratio:.2f}x {'met' if ratio <= TARGET else 'MISSED'}")
    write_json(
        args.json,
        {
            "benchmark": "bench_pips",
            "n": args.n,
            "weights": args.weights,
            "times": times,
            "ratio": ratio,
        },
    )


if __name__ == "__main__":
    main()
