"""The stdlib-only verifier against the library's draw and the bare hashlib loop (issue 15).

N USCC-like units in the classes and rates of bench_draw.py. The library draws and seals the
record in this process; the population file and the record are written once; then each round
times, in a fixed order:

* ``baseline``: the bare hashlib loop over the same ids, in this process;
* ``library_draw``: ``draw_stratified`` + ``make_record`` on a population built just before
  (untimed), so the population digest is computed inside (a first draw);
* ``library_verify``: ``python -m randsample verify RECORD POPULATION`` as a child process
  (reading the CSV, building the population, re-drawing, comparing);
* ``standalone``: ``python verify_draw.py RECORD POPULATION`` as a child process, on the file
  as randsample writes it (rows in population order: its digest sorts the rows);
* ``standalone_sorted``: the same on a file whose rows are in id order (the digest is
  streamed, nothing per unit is kept but the selection's candidates);
* ``python_startup``: an empty child (what every child pays before its first line).

Child processes are timed by wall clock around ``subprocess.run`` (interpreter start
included; ``python_startup`` shows it); each reports its own peak RSS (VmHWM, Linux) and that
of the largest process it started itself (ru_maxrss; the standalone verifier computes the
digest of a population file in a forked process where that pays). Ratios are best / best.
See benchmarks/README.md.

    python benchmarks/bench_standalone.py [--n 1000000] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import print_table, summary, timed, uscc_like_ids, write_json
from bench_draw import SEED, make_strata
from randsample import Population, draw_stratified, make_record
from randsample.files import write_population_csv, write_record
from randsample.records import _standalone_verify

STANDALONE = Path(_standalone_verify.__file__)
ORDER = (
    "baseline",
    "library_draw",
    "library_verify",
    "standalone",
    "standalone_sorted",
    "python_startup",
)


# Runs the target in a fresh interpreter and reports its own peak RSS: VmHWM of
# /proc/self/status belongs to the process's memory since its exec (ru_maxrss of a child would
# also count the pages of this big parent it was forked from). Then the peak of the largest
# process the target forked and waited for (ru_maxrss of RUSAGE_CHILDREN: that one was forked
# from the small target, so its figure counts the target's pages at the fork, a few MiB, too).
# Linux only; elsewhere no peak.
PROBE = r"""
import resource, runpy, sys
kind, target, *args = sys.argv[1:]
sys.argv = [target, *args]
code = 0
try:
    if kind == "module":
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    elif kind == "path":
        runpy.run_path(target, run_name="__main__")
except SystemExit as exit_:
    code = exit_.code or 0
try:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write("VmHWM " + line.split()[1] + "\n")
                forked = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                sys.stderr.write(f"children {forked}\n")
except OSError:
    pass
sys.exit(code)
"""


def child(kind: str, target: str, *args: str) -> Callable[[], dict[str, Any]]:
    """A zero-argument callable running ``target`` (a module, a path, or ``none``) in a new
    interpreter; it returns the child's peak RSS and that of its largest own child process
    (None where /proc is missing; 0 if it started none)."""

    def run() -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, kind, target, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        errors = done.stderr.decode()
        assert done.returncode == 0, errors
        lines = errors.splitlines()
        peak = [int(line.split()[1]) * 1024 for line in lines if line.startswith("VmHWM ")]
        forked = [int(line.split()[1]) * 1024 for line in lines if line.startswith("children ")]
        return {"rss": peak[-1] if peak else None, "child_rss": forked[-1] if forked else None}

    return run


def prepare(n: int, folder: Path) -> tuple[list[str], list[str], dict[str, int]]:
    """Write record.json, population.csv (population order) and sorted.csv (id order)."""
    ids = uscc_like_ids(n)
    strata, sizes = make_strata(n)
    population = Population.from_columns(ids, strata=strata)
    record = make_record(
        draw_stratified(population, sizes, SEED),
        authority="县市场监管局",
        draw_id="2026-001",
        timestamp="2026-11-27T02:00:00Z",
    )
    write_record(record, folder / "record.json")
    write_population_csv(population, folder / "population.csv")
    header, *rows = (folder / "population.csv").read_text(encoding="utf-8").splitlines()
    rows.sort(key=lambda line: line.split(",", 1)[0].encode("utf-8"))
    (folder / "sorted.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return ids, strata, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="units (1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; best-of-k (3)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ids, strata, sizes = prepare(args.n, folder)
        record, population = str(folder / "record.json"), str(folder / "population.csv")
        state: dict[str, Any] = {}

        def build() -> None:
            state["population"] = Population.from_columns(ids, strata=strata)

        def library_draw() -> Any:
            sample = draw_stratified(state.pop("population"), sizes, SEED)
            return make_record(
                sample, authority="县", draw_id="d", timestamp="2026-11-27T02:00:00Z"
            )

        candidates: dict[str, Callable[[], Any]] = {
            "baseline": lambda: [hashlib.sha256(s.encode()).digest() for s in ids],
            "library_draw": library_draw,
            "library_verify": child("module", "randsample", "verify", record, population),
            "standalone": child("path", str(STANDALONE), record, population),
            "standalone_sorted": child("path", str(STANDALONE), record, str(folder / "sorted.csv")),
            "python_startup": child("none", "-"),
        }
        print(
            f"bench_standalone: N={args.n:,}, sizes {sizes} (total {sum(sizes.values()):,}), "
            f"best of {args.repeat} rounds; population file "
            f"{os.path.getsize(population) / 2**20:,.1f} MiB"
        )
        times: dict[str, list[float]] = {name: [] for name in ORDER}
        peaks: dict[str, int] = {}
        child_peaks: dict[str, int] = {}
        for _ in range(args.repeat):
            for name in ORDER:
                if name == "library_draw":
                    build()
                seconds, result = timed(candidates[name])
                times[name].append(seconds)
                if isinstance(result, dict) and result.get("rss") is not None:
                    peaks[name] = max(peaks.get(name, 0), result["rss"])
                    child_peaks[name] = max(child_peaks.get(name, 0), result["child_rss"] or 0)
                del result

    base, draw = min(times["baseline"]), min(times["library_draw"])
    results, rows = {}, []
    for name in ORDER:
        stats = summary(times[name])
        results[name] = {
            **stats,
            "runs": times[name],
            "ratio_to_baseline": stats["best"] / base,
            "ratio_to_library_draw": stats["best"] / draw,
            "peak_rss": peaks.get(name),
            "child_peak_rss": child_peaks.get(name),
        }
        peak, child_peak = peaks.get(name), child_peaks.get(name)
        rows.append(
            [
                name,
                f"{stats['best']:.3f}",
                f"{stats['median']:.3f}",
                f"{stats['best'] / base:.2f}x",
                f"{stats['best'] / draw:.2f}x",
                "" if peak is None else f"{peak / 2**20:,.0f}",
                f"{child_peak / 2**20:,.0f}" if child_peak else "",
            ]
        )
    print_table(
        ["candidate", "best s", "median s", "vs hashlib", "vs lib draw", "peak MiB", "its child"],
        rows,
    )
    ratio = results["standalone"]["ratio_to_library_draw"]
    print(
        f"standalone verifier / library draw: {ratio:.2f}x (target <= 3x: "
        f"{'met' if ratio <= 3 else 'MISSED'}); on an id-ordered file "
        f"{results['standalone_sorted']['ratio_to_library_draw']:.2f}x; "
        f"/ randsample verify: {results['standalone']['best'] / min(times['library_verify']):.2f}x"
    )
    write_json(
        args.json,
        {
            "benchmark": "bench_standalone",
            "n": args.n,
            "repeat": args.repeat,
            "sizes": sizes,
            "candidates": results,
        },
    )


if __name__ == "__main__":
    main()
