"""End-to-end equal-probability stratified draw: build, digest, draw, seal, verify.

N USCC-like units, credit classes A 60% / B 25% / C 10% / D 5% (shuffled), sizes
n_h = ceil(N_h * rate_h) for rates A 1% / B 3% / C 10% / D 50%. Each round times the library
stages, the bare hashlib loop and a pandas reference; an untimed tracemalloc pass then gives
peak allocations per stage. See benchmarks/README.md.

    python benchmarks/bench_draw.py [--n 1000000] [--repeat 3] [--json out.json] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import pstats
import resource
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from _common import list_bytes, print_table, summary, timed, uscc_like_ids, write_json
from randsample import Population, Seed, draw_stratified, make_record, verify

SHARES = {"A": (60, 100), "B": (25, 100), "C": (10, 100), "D": (5, 100)}
RATES = {"A": (1, 100), "B": (3, 100), "C": (10, 100), "D": (50, 100)}
SEED = Seed.from_hex("bb67ae8584caa73b3c6ef372fe94f82b")
STAGES = (
    "baseline",
    "from_columns",
    "digest",
    "draw",
    "make_record",
    "verify",
    "verify_fresh",
    "end_to_end",
    "pandas",
)


def make_strata(n: int, seed: int = 3) -> tuple[list[str], dict[str, int]]:
    """Shuffled class labels with the exact shares above, and n_h = ceil(N_h * p / q)."""
    counts = {h: n * p // q for h, (p, q) in SHARES.items()}
    counts["A"] += n - sum(counts.values())  # rounding remainder goes to the largest class
    labels = np.array(list(counts), dtype=object)
    codes = np.repeat(np.arange(len(counts)), list(counts.values()))
    np.random.default_rng(seed).shuffle(codes)
    sizes = {h: -(-counts[h] * p // q) for h, (p, q) in RATES.items()}
    return labels[codes].tolist(), sizes


def pandas_reference(ids: list[str], strata: list[str], sizes: dict[str, int]) -> Callable | None:
    """Return a callable drawing sizes[h] ids per stratum with pandas + numpy, or None."""
    try:
        import pandas as pd
    except ImportError:
        return None
    frame = pd.DataFrame({"id": ids, "stratum": strata})

    def draw() -> list[str]:
        rng = np.random.default_rng(20261127)
        groups = frame.groupby("stratum", sort=True).indices
        picked = [rng.choice(rows, sizes[h], replace=False) for h, rows in groups.items()]
        return frame["id"].to_numpy()[np.concatenate(picked)].tolist()

    return draw


def pipeline(
    ids: list[str], strata: list[str], sizes: dict[str, int], state: dict[str, Any]
) -> dict[str, Callable]:
    """The library stages as zero-argument callables; each stores its output in ``state``."""

    def build() -> None:
        state["pop"] = Population.from_columns(ids, strata=strata)

    def draw() -> None:
        state["sample"] = draw_stratified(state["pop"], sizes, SEED)

    def seal() -> None:
        state["record"] = make_record(
            state["sample"],
            authority="县市场监管局",
            draw_id="2026-001",
            timestamp="2026-11-27T02:00:00Z",
        )

    def digest() -> str:
        return state["pop"].digest()

    def check() -> None:
        report = verify(state["record"], state["pop"])
        assert report.ok, str(report)

    return {
        "from_columns": build,
        "digest": digest,
        "draw": draw,
        "make_record": seal,
        "verify": check,
    }


def maxrss() -> int:
    """Peak resident set size of this process so far, in bytes (Linux reports KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def run_rounds(ids: list[str], strata: list[str], sizes: dict[str, int], repeat: int) -> tuple:
    """Time each stage once per round; return (times, ru_maxrss delta of round 1's stages)."""
    state: dict[str, Any] = {}
    candidates: dict[str, Callable | None] = dict(pipeline(ids, strata, sizes, state))

    def verify_fresh() -> None:
        report = verify(state["record"], state["fresh"])
        assert report.ok, str(report)

    candidates["verify_fresh"] = verify_fresh

    def end_to_end() -> tuple[Population, Any]:
        # What a caller runs: build, draw (the digest computed alongside the selection on a
        # fresh population), seal; one timed call, unlike the sum of the stages above. The
        # population is returned so that freeing it is not timed (as for the stages).
        population = Population.from_columns(ids, strata=strata)
        sample = draw_stratified(population, sizes, SEED)
        return population, make_record(
            sample, authority="县市场监管局", draw_id="2026-001", timestamp="2026-11-27T02:00:00Z"
        )

    candidates["end_to_end"] = end_to_end
    candidates["baseline"] = lambda: [hashlib.sha256(s.encode()).digest() for s in ids]
    candidates["pandas"] = pandas_reference(ids, strata, sizes)
    # "verify" reuses the population whose digest the "digest" stage cached; "verify_fresh"
    # checks the record against a population built (untimed) just before, as an auditor would.
    setups = {
        "verify_fresh": lambda: state.update(fresh=Population.from_columns(ids, strata=strata))
    }
    times: dict[str, list[float]] = {k: [] for k, fn in candidates.items() if fn is not None}
    rss_before = maxrss()
    rss_delta = 0
    for round_no in range(repeat):
        state.clear()  # free the previous round's outputs outside the timed regions
        for name, fn in candidates.items():
            if name in setups:
                setups[name]()
            if fn is not None:
                seconds, result = timed(fn)
                del result
                times[name].append(seconds)
            if round_no == 0 and name == "verify":  # library stages only
                rss_delta = maxrss() - rss_before
    return times, rss_delta


def traced_peaks(ids: list[str], strata: list[str], sizes: dict[str, int]) -> dict[str, int]:
    """Peak traced allocations (bytes above the inputs) while each stage runs, cumulative."""
    stages = pipeline(ids, strata, sizes, {})
    gc.collect()
    tracemalloc.start()
    peaks = {}
    for name, fn in stages.items():
        tracemalloc.reset_peak()
        fn()
        peaks[name] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peaks


def profile_draw(ids: list[str], strata: list[str], sizes: dict[str, int], top: int) -> None:
    """cProfile one draw_stratified call; print the top library entries by cumulative time."""
    pop = Population.from_columns(ids, strata=strata)
    profiler = cProfile.Profile()
    profiler.runcall(draw_stratified, pop, sizes, SEED)
    print(f"\ncProfile of draw_stratified, top {top} randsample entries by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats("randsample", top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="units (1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; best-of-k (3)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--profile", action="store_true", help="also cProfile one draw")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    ids = uscc_like_ids(args.n)
    strata, sizes = make_strata(args.n)
    input_bytes = list_bytes(ids) + list_bytes(strata)
    print(
        f"bench_draw: N={args.n:,}, sizes {sizes} (total {sum(sizes.values()):,}), "
        f"best of {args.repeat} rounds; input columns {input_bytes / 2**20:,.0f} MiB"
    )
    times, rss_delta = run_rounds(ids, strata, sizes, args.repeat)
    base = min(times["baseline"])
    rows, results = [], {}
    for name in (s for s in STAGES if s in times):
        stats = summary(times[name])
        results[name] = {**stats, "runs": times[name], "ratio_to_baseline": stats["best"] / base}
        rows.append(
            [name, f"{stats['best']:.3f}", f"{stats['median']:.3f}", f"{stats['best'] / base:.2f}x"]
        )
    print_table(["stage", "best s", "median s", "vs hashlib loop"], rows)
    # The population digest is computed once per population and cached; "draw" above runs
    # after "digest", so it excludes it. A first draw on a fresh population pays both.
    stages = ("from_columns", "digest", "draw", "make_record")
    pipeline_best = sum(results[s]["best"] for s in stages)
    first_draw = results["digest"]["best"] + results["draw"]["best"]
    print(
        f"draw (digest cached) / hashlib loop: {results['draw']['best'] / base:.2f}x; "
        f"first draw on a fresh population (digest + draw): {first_draw / base:.2f}x; "
        f"end to end ({'+'.join(stages)}) {pipeline_best:.3f} s = {pipeline_best / base:.2f}x"
        f"; as one call sequence (end_to_end) {results['end_to_end']['ratio_to_baseline']:.2f}x"
    )

    memory: dict[str, Any] = {"input_columns_bytes": input_bytes, "ru_maxrss_delta": rss_delta}
    if not args.no_memory:
        memory["tracemalloc_peak_by_stage"] = peaks = traced_peaks(ids, strata, sizes)
        rows = [[k, f"{v / 2**20:,.0f}", f"{v / input_bytes:.2f}x"] for k, v in peaks.items()]
        print_table(["stage (traced)", "peak MiB", "vs input"], rows)
        memory["tracemalloc_peak"] = max(peaks.values())
    memory["process_peak_rss"] = maxrss()
    print(
        f"input columns {input_bytes / 2**20:,.0f} MiB; ru_maxrss delta over the first "
        f"from_columns..verify {rss_delta / 2**20:,.0f} MiB ({rss_delta / input_bytes:.2f}x input)"
        f"; process peak RSS {memory['process_peak_rss'] / 2**20:,.0f} MiB"
    )
    if args.profile:
        profile_draw(ids, strata, sizes, top=10)
    write_json(
        args.json,
        {
            "benchmark": "bench_draw",
            "n": args.n,
            "repeat": args.repeat,
            "sizes": sizes,
            "stages": results,
            "memory": memory,
        },
    )


if __name__ == "__main__":
    main()
