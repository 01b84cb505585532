"""Fairness benchmark at scale: run_design's draw and testing phases, and the 50k x 30 case.

Population: N USCC-like units in four credit classes (A 60% / B 25% / C 10% / D 5%, shuffled),
stratified SRS with n_h = ceil(N_h * rate_h) for rates 1% / 3% / 10% / 50% (as bench_draw),
stated pi = n_h / N_h. Every timing is one call (these runs take minutes); the phase boundary
is taken from run_design's own progress callback (the draws end when ``done == runs``).

Cases (``--case``, all by default):

* ``issue``: 50,000 units x 30 runs, the case of issue #13, with the code before the split
  (loaded in this process from git, ``--before``) and after it, serial and with 2 workers.
* ``scale``: ``--scale N:RUNS:WORKERS ...`` (default 100000:200:1 100000:200:2 100000:2000:2
  1000000:200:2) with the testing phase's share of the run, and a numpy reference for the
  draws (per-stratum ``Generator.choice`` counted with fancy indexing: not verifiable, the
  cost of counting alone).
* ``testing``: the testing phase alone at 1,000,000 units x 2,000 runs on binomial counts,
  for stratified-SRS probabilities (4 distinct) and pips-like ones (all distinct), against the
  scalar ``scipy.stats.binomtest`` loop on a sample of units (extrapolated).

The last table extrapolates 1,000,000 x 2,000: the draws of 1,000,000 x 200 times 10 plus the
measured testing phase at full size. ``--full`` runs the real thing instead (about 25 minutes
with 2 workers on a 2-core machine).

    python benchmarks/bench_fairness.py [--case issue scale testing] [--json out.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from scipy import stats

from _common import print_table, uscc_like_ids, write_json
from bench_draw import make_strata
from randsample import Population, draw_stratified
from randsample.fairness import run_design

#: The commit before the fairness split (issue #9/#13): the "before" of the issue case.
BEFORE = "9070f5e"


class Phases:
    """A progress callback recording when the draws end (``done`` reaches ``runs``)."""

    def __init__(self, runs: int) -> None:
        self.runs, self.draws_end, self.calls = runs, math.nan, 0

    def __call__(self, done: int, total: int) -> None:
        self.calls += 1
        if done >= self.runs and math.isnan(self.draws_end):
            self.draws_end = time.perf_counter()


def setup(n: int) -> dict[str, Any]:
    """The population, sizes, stated probabilities and strata of an N-unit county."""
    ids = uscc_like_ids(n)
    strata, sizes = make_strata(n)
    pop = Population.from_columns(ids, strata=strata)
    members: dict[str, int] = {}
    for s in strata:
        members[s] = members.get(s, 0) + 1
    pi = {h: Fraction(sizes[h], members[h]) for h in members}
    return {
        "ids": ids,
        "strata": strata,
        "sizes": sizes,
        "pop": pop,
        "stated": {u: pi[s] for u, s in zip(ids, strata, strict=True)},
        "strata_map": dict(zip(ids, strata, strict=True)),
    }


def timed_run(
    run: Callable[..., Any], county: dict[str, Any], runs: int, workers: int, label: str
) -> dict[str, Any]:
    """One run_design call: total, draw phase, testing phase (seconds) and the result."""
    draw = partial(draw_stratified, county["pop"], county["sizes"])
    phases = Phases(runs)
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    result = run(
        draw,
        county["stated"],
        runs=runs,
        seed_label=label,
        strata=county["strata_map"],
        workers=workers,
        progress=phases,
    )
    end = time.perf_counter()
    cpu = cpu_seconds() - cpu_start
    draws = phases.draws_end - start
    return {
        "total": end - start,
        "draws": draws,
        "testing": end - phases.draws_end,
        "share": (end - phases.draws_end) / (end - start),
        "cpu": cpu,
        "passed": result.passed,
        "counts": [u.count for u in result.units] if len(county["ids"]) <= 100_000 else None,
        "outputs": outputs(result),
    }


def outputs(result: Any) -> dict[str, float]:
    """Seconds for the result's summary, HTML view and plot (if it has them)."""
    out: dict[str, float] = {}
    new = hasattr(result, "_repr_html_")  # the code before the split had no HTML view
    calls: list[tuple[str, Callable[[], Any]]] = [("summary", result.summary)]
    if new:
        calls.append(("html", result._repr_html_))
    # the old per-unit plot took 156 s at 50,000 units (issue #13): not re-run here
    if new and importlib.util.find_spec("matplotlib") is not None:
        calls.append(("plot", partial(_plot, result)))
    for name, call in calls:
        start = time.perf_counter()
        call()
        out[name] = time.perf_counter() - start
    return out


def _plot(result: Any) -> None:
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ax = result.plot()
    ax.figure.canvas.draw()
    plt.close(ax.figure)


def numpy_reference(county: dict[str, Any], runs: int) -> float:
    """Seconds to draw ``runs`` stratified SRS samples with numpy and count them (reference)."""
    codes = np.array(county["strata"])
    rows = {h: np.flatnonzero(codes == h) for h in county["sizes"]}
    counts = np.zeros(len(codes), np.int64)
    rng = np.random.default_rng(20261127)
    start = time.perf_counter()
    for _ in range(runs):
        for h, size in county["sizes"].items():
            counts[rows[h][rng.choice(rows[h].size, size, replace=False)]] += 1
    return time.perf_counter() - start


def load_before(rev: str) -> ModuleType | None:
    """The fairness module as of ``rev``, loaded from git into this process (None if absent)."""
    root = Path(__file__).resolve().parents[1]
    try:
        source = subprocess.run(
            ["git", "show", f"{rev}:src/randsample/fairness/_runner.py"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    name = "randsample.fairness._before_split"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "randsample.fairness"
    sys.modules[name] = module  # so that a process pool can unpickle its functions
    exec(compile(source, f"{rev}:_runner.py", "exec"), module.__dict__)
    return module


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_parallelism(workers: int = 2, n: int = 10_000_000) -> float:
    """Wall-time speed-up of ``workers`` processes on a pure CPU loop, now (shared machines)."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - start
    with ProcessPoolExecutor(workers) as pool:
        start = time.perf_counter()
        list(pool.map(_burn, [n] * workers))
        parallel = time.perf_counter() - start
    return serial / parallel


def maxrss_mib() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def case_issue(before_rev: str) -> dict[str, Any]:
    """50,000 units x 30 runs: before the split, after it serial, after it with 2 workers."""
    county = setup(50_000)
    rows: dict[str, Any] = {}
    before = load_before(before_rev)
    if before is not None:
        rows["before (1 worker)"] = timed_run(before.run_design, county, 30, 1, "issue")
    else:
        print(f"(git revision {before_rev} not available: no 'before' row)")
    rows["after (1 worker)"] = timed_run(run_design, county, 30, 1, "issue")
    rows["after (2 workers)"] = timed_run(run_design, county, 30, 2, "issue")
    counts = {name: row.pop("counts") for name, row in rows.items()}
    assert len({tuple(c) for c in counts.values()}) == 1, "the counts differ"
    numpy_seconds = numpy_reference(county, 30)
    table = [
        [
            name,
            f"{row['total']:.2f}",
            f"{row['draws']:.2f}",
            f"{row['testing']:.3f}",
            f"{100 * row['share']:.1f}%",
            f"{row['draws'] / numpy_seconds:.0f}x",
        ]
        for name, row in rows.items()
    ]
    print("\n50,000 units x 30 runs (issue #13), stratified SRS, seconds")
    print_table(["code", "total", "draws", "testing", "testing share", "draws / numpy"], table)
    print(f"numpy reference draws (not verifiable): {numpy_seconds:.3f} s")
    for name, row in rows.items():
        shown = ", ".join(f"{k} {v:.2f} s" for k, v in row["outputs"].items())
        print(f"{name}: {shown}")
    if "before (1 worker)" in rows:
        old, new = rows["before (1 worker)"], rows["after (1 worker)"]
        print(
            f"testing phase: {old['testing'] / new['testing']:.0f}x faster; "
            f"whole run: {old['total'] / new['total']:.1f}x faster (1 worker)"
        )
    return {"rows": rows, "numpy_reference": numpy_seconds}


def case_scale(specs: list[tuple[int, int, int]]) -> dict[str, Any]:
    """run_design at each (N, runs, workers): phases, testing share, numpy reference."""
    out: dict[str, Any] = {}
    table = []
    counties: dict[int, dict[str, Any]] = {}
    for n, runs, workers in specs:
        if n not in counties:
            counties.clear()  # one county in memory at a time
            counties[n] = setup(n)
        county = counties[n]
        row = timed_run(run_design, county, runs, workers, f"scale {n}")
        row.pop("counts")
        row["machine_parallelism"] = machine_parallelism(workers) if workers > 1 else 1.0
        row["numpy_reference"] = numpy_reference(county, min(runs, 200)) * runs / min(runs, 200)
        row["maxrss_mib"] = maxrss_mib()
        out[f"{n}x{runs}x{workers}"] = row
        table.append(
            [
                f"{n:,} x {runs:,}",
                str(workers),
                f"{row['total']:.1f}",
                f"{row['draws']:.1f}",
                f"{row['testing']:.2f}",
                f"{100 * row['share']:.2f}%",
                f"{1000 * row['draws'] / runs:.0f}",
                f"{row['cpu']:.1f}",
                f"{row['machine_parallelism']:.2f}x",
                f"{row['draws'] / row['numpy_reference']:.0f}x",
                f"{row['maxrss_mib']:.0f}",
            ]
        )
        print(f"  done {n:,} x {runs:,} with {workers} worker(s): {row['total']:.1f} s", flush=True)
    print("\nrun_design at scale, stratified SRS, seconds")
    print("(CPU s: this process and its workers; CPU-loop speed-up: what the machine gave a")
    print(" pure CPU loop in as many processes right after the run: the ceiling for workers)")
    print_table(
        [
            "units x runs",
            "workers",
            "total",
            "draws",
            "testing",
            "testing share",
            "ms/draw",
            "CPU s",
            "CPU-loop speed-up",
            "draws / numpy",
            "peak RSS MiB",
        ],
        table,
    )
    return out


def case_testing(n: int, runs: int, sample: int) -> dict[str, Any]:
    """The testing phase alone on binomial counts at full size; scalar loop on a sample."""
    from randsample.fairness._statistics import assess

    rng = np.random.default_rng(7)
    ids = [f"u{i:07d}" for i in range(n)]
    cases = {
        "SRS (4 distinct p)": rng.choice([0.01, 0.03, 0.10, 0.50], n, p=[0.6, 0.25, 0.1, 0.05]),
        "pips (all distinct p)": np.minimum(0.95, rng.pareto(2.0, n) * 0.02 + 0.001),
    }
    out: dict[str, Any] = {}
    table = []
    for name, p in cases.items():
        counts = rng.binomial(runs, p).astype(np.int64)
        stated = p.tolist()
        strata = dict.fromkeys(ids, "A")
        start = time.perf_counter()
        result = assess(
            ids, stated, counts, runs=runs, strata=strata, alpha=0.01, seed_label="testing"
        )
        array_seconds = time.perf_counter() - start
        pick = rng.choice(n, sample, replace=False)
        start = time.perf_counter()
        scalar = [stats.binomtest(int(counts[i]), runs, float(p[i])).pvalue for i in pick]
        scalar_seconds = (time.perf_counter() - start) * n / sample
        assert scalar == [result._table.p_value[i] for i in pick.tolist()], "p-values differ"
        out[name] = {
            "array": array_seconds,
            "scalar_extrapolated": scalar_seconds,
            "outputs": outputs(result),
        }
        table.append(
            [
                name,
                f"{array_seconds:.2f}",
                f"{scalar_seconds:.0f}",
                f"{scalar_seconds / array_seconds:.0f}x",
            ]
        )
    print(f"\ntesting phase alone, {n:,} units x {runs:,} runs, seconds")
    print_table(["probabilities", "arrays", f"scalar loop (from {sample:,})", "speed-up"], table)
    for name, row in out.items():
        shown = ", ".join(f"{k} {v:.2f} s" for k, v in row["outputs"].items())
        print(f"{name} result at {n:,} units: {shown}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", nargs="+", default=["issue", "scale", "testing"])
    parser.add_argument(
        "--scale",
        nargs="+",
        default=["100000:200:1", "100000:200:2", "100000:2000:2", "1000000:200:2"],
        help="N:RUNS:WORKERS triples for the scale case",
    )
    parser.add_argument("--full", action="store_true", help="also run 1,000,000 x 2,000")
    parser.add_argument("--before", default=BEFORE, help="git revision of the 'before' code")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    payload: dict[str, Any] = {}
    if "issue" in args.case:
        payload["issue"] = case_issue(args.before)
    specs = [tuple(int(x) for x in s.split(":")) for s in args.scale]
    if args.full:
        specs.append((1_000_000, 2000, 2))
    if "scale" in args.case:
        payload["scale"] = case_scale(specs)  # type: ignore[arg-type]
    if "testing" in args.case:
        payload["testing"] = case_testing(1_000_000, 2000, 20_000)
    scale, testing = payload.get("scale", {}), payload.get("testing", {})
    if "1000000x200x2" in scale and testing:
        draws = scale["1000000x200x2"]["draws"] * 10
        print("\n1,000,000 units x 2,000 runs, 2 workers, extrapolated (draws of x200 times 10)")
        rows = []
        for name, row in testing.items():
            share = row["array"] / (draws + row["array"])
            rows.append([name, f"{draws:.0f}", f"{row['array']:.1f}", f"{100 * share:.2f}%"])
        print_table(["probabilities", "draws", "testing", "testing share"], rows)
        payload["extrapolated_1m_x_2000"] = {"draws": draws, "testing": testing}
    write_json(args.json, payload)


if __name__ == "__main__":
    main()
