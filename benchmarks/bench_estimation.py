"""Design-based estimation at county scale: a violation rate overall and by class, with SEs.

N USCC-like units in four credit classes (A 60% / B 25% / C 10% / D 5%, as bench_draw.py),
a stratified SRSWOR draw with sizes n_h = ceil(N_h * rate_h) for rates A 1% / B 3% / C 10% /
D 50% (48,500 units at N = 1M), and a 0/1 "violation found" result for every selected unit
(fixed by a hash of the id: A 2%, B 5%, C 12%, D 30%). Times, best of --repeat rounds with the
candidates interleaved:

    baseline          numpy alone on ready arrays (stratum codes, 0/1 values, M_h, n_h): the
                      Hájek rate and its stratified SRSWOR SE with fpc, overall and by class
    baseline+arrays   the same, plus building those arrays from the values dict
    sample_design     parsing the draw (StratifiedSample) once
    overall, by_class estimate_mean from a parsed design, overall / by="stratum"
    headline          estimate_mean(sample, values) + estimate_mean(sample, values,
                      by="stratum"): the overall + by-class estimate from the draw (target < 1 s)
    from_record       the same from the sealed DrawRecord
    by_industry       a domain estimate (4 industries) with Wilson intervals

Correctness is asserted (the library's estimates and SEs equal the baseline's to 1e-12).

    python benchmarks/bench_estimation.py [--n 1000000] [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from _common import interleaved, print_table, summary, uscc_like_ids, write_json
from bench_draw import make_strata
from randsample import Population, Seed, draw_stratified, make_record
from randsample.estimation import estimate_mean, sample_design

SEED = Seed.from_hex("3c6ef372fe94f82ba54ff53a5f1d36f1")
VIOLATION = {"A": 2, "B": 5, "C": 12, "D": 30}  # percent
INDUSTRIES = ("food", "drugs", "retail", "construction")


def violation_flags(sample: Any) -> dict[str, int]:
    """0/1 per selected unit: SHA-256(label || id) below the class rate (no random state)."""
    flags = {}
    for unit in sample.selection:
        digest = hashlib.sha256(b"bench violation\x00" + unit.id.encode()).digest()
        flags[unit.id] = int(
            int.from_bytes(digest[:8], "big") * 100 < VIOLATION[unit.stratum] << 64
        )
    return flags


def baseline(
    codes: np.ndarray, y: np.ndarray, eligible: np.ndarray, sizes: np.ndarray
) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Stratified SRSWOR: Hájek rate and SE with fpc, overall and by stratum, numpy only."""
    count = len(eligible)
    weight = (eligible / sizes)[codes]
    n = np.bincount(codes, minlength=count).astype(float)
    # By stratum: p_h and (1 - f_h) s_h^2 / n_h with s_h^2 = n/(n-1) p(1-p).
    p_h = np.bincount(codes, y, minlength=count) / n
    s2 = n / (n - 1) * p_h * (1 - p_h)
    se_h = np.sqrt((1 - n / eligible) * s2 / n)
    # Overall: Hájek mean and its linearized variance.
    nhat = weight.sum()
    p = float((weight * y).sum() / nhat)
    z = weight * (y - p) / nhat
    zbar = np.bincount(codes, z, minlength=count) / n
    ss = np.bincount(codes, (z - zbar[codes]) ** 2, minlength=count)
    v = float(((1 - n / eligible) * n / (n - 1) * ss).sum())
    return p, float(np.sqrt(v)), p_h, se_h


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="units (1,000,000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; best-of-k (5)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    ids = uscc_like_ids(args.n)
    strata, sizes = make_strata(args.n)
    population = Population.from_columns(ids, strata=strata)
    sample = draw_stratified(population, sizes, SEED)
    record = make_record(
        sample, authority="县市场监管局", draw_id="2026-001", timestamp="2026-12-01T02:00:00Z"
    )
    flags = violation_flags(sample)
    industry = {u: INDUSTRIES[i % 4] for i, u in enumerate(sample.ids)}
    design = sample_design(sample)
    labels = [s.stratum for s in sample.strata]
    eligible = np.array([s.eligible for s in sample.strata], dtype=float)
    n_h = np.array([s.sample_size for s in sample.strata], dtype=float)
    codes = np.array([labels.index(u.stratum) for u in sample.selection], dtype=np.intp)
    y = np.array([flags[u] for u in sample.ids], dtype=float)
    print(
        f"bench_estimation: N={args.n:,}, sizes {sizes} (total {len(sample.ids):,}), "
        f"{int(y.sum()):,} violations; best of {args.repeat} rounds"
    )

    def baseline_arrays() -> tuple:
        values = np.fromiter((flags[u] for u in sample.ids), float, len(sample.ids))
        return baseline(codes, values, eligible, n_h)

    def headline() -> tuple:
        return estimate_mean(sample, flags), estimate_mean(sample, flags, by="stratum")

    def from_record() -> tuple:
        return estimate_mean(record, flags), estimate_mean(record, flags, by="stratum")

    candidates: dict[str, Callable[[], Any]] = {
        "baseline": lambda: baseline(codes, y, eligible, n_h),
        "baseline+arrays": baseline_arrays,
        "sample_design": lambda: sample_design(sample),
        "overall": lambda: estimate_mean(design, flags),
        "by_class": lambda: estimate_mean(design, flags, by="stratum"),
        "headline": headline,
        "from_record": from_record,
        "by_industry": lambda: estimate_mean(design, flags, by=industry, ci="wilson"),
    }
    # Correctness first: the library equals the baseline.
    p, se, p_h, se_h = baseline(codes, y, eligible, n_h)
    overall, by_class = headline()
    assert np.isclose(p, overall[None].estimate, rtol=1e-12, atol=0)
    assert np.isclose(se, overall[None].standard_error, rtol=1e-12, atol=0)
    assert np.allclose(p_h, [r.estimate for r in by_class], rtol=1e-12, atol=0)
    assert np.allclose(se_h, [r.standard_error for r in by_class], rtol=1e-12, atol=0)
    print(by_class.summary())
    print(overall.summary().splitlines()[2])

    times = interleaved(candidates, args.repeat)
    base = min(times["baseline"])
    base_arrays = min(times["baseline+arrays"])
    rows, results = [], {}
    for name, runs in times.items():
        stats = summary(runs)
        results[name] = {
            **stats,
            "runs": runs,
            "ratio_to_baseline": stats["best"] / base,
            "ratio_to_baseline_arrays": stats["best"] / base_arrays,
        }
        rows.append(
            [
                name,
                f"{stats['best'] * 1e3:.1f}",
                f"{stats['median'] * 1e3:.1f}",
                f"{stats['best'] / base:.1f}x",
                f"{stats['best'] / base_arrays:.1f}x",
            ]
        )
    print_table(["candidate", "best ms", "median ms", "vs numpy", "vs numpy+arrays"], rows)
    best = results["headline"]["best"]
    print(
        f"overall + by-class estimate from the draw: {best:.3f} s "
        f"({'met' if best < 1 else 'MISSED'}: target < 1 s); "
        f"{best / base:.1f}x the numpy arithmetic, {best / base_arrays:.1f}x with array building"
    )
    write_json(
        args.json,
        {
            "benchmark": "bench_estimation",
            "n": args.n,
            "selected": len(sample.ids),
            "repeat": args.repeat,
            "candidates": results,
        },
    )


if __name__ == "__main__":
    main()
