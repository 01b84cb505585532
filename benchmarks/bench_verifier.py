"""The standalone stdlib-only verifier against the library's draw, on the same population.

Writes N USCC-like units (as bench_draw.py) to a population CSV and a record, then times, in
this process, the library's first draw (``Population.from_columns`` + digest + draw, the
compiled kernel when installed) and the standalone verifier (``records/_standalone_verify.py``,
run as a program in a fresh interpreter: read CSV, digest, re-draw, compare). The target is
standalone <= 3x the draw. The verifier file is not changed here (another engineer owns it).

    python benchmarks/bench_verifier.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import uscc_like_ids, write_json
from bench_draw import SEED, make_strata
from randsample import Population, draw_stratified, make_record
from randsample.files import write_population_csv, write_record
from randsample.records import _standalone_verify

TARGET = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    ids = uscc_like_ids(args.n)
    strata, sizes = make_strata(args.n)
    warm = Population.from_columns(ids[:100], strata=strata[:100])  # compiles the kernel
    draw_stratified(warm, dict.fromkeys(warm.stratum_labels(), 0), SEED)
    start = time.perf_counter()
    population = Population.from_columns(ids, strata=strata)
    sample = draw_stratified(population, sizes, SEED)
    draw_seconds = time.perf_counter() - start
    record = make_record(sample, authority="bureau", draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    with tempfile.TemporaryDirectory() as folder:
        csv_path, record_path = Path(folder, "population.csv"), Path(folder, "record.json")
        write_population_csv(population, csv_path)
        write_record(record, record_path)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, _standalone_verify.__file__, str(record_path), str(csv_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        verifier_seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stdout + done.stderr
    ratio = verifier_seconds / draw_seconds
    print(
        f"bench_verifier: N={args.n:,}: first draw {draw_seconds:.2f} s, standalone verifier "
        f"{verifier_seconds:.2f} s = {ratio:.2f}x the draw "
        f"(target <= {TARGET}x: {'met' if ratio <= TARGET else 'MISSED'})"
    )
    write_json(
        args.json,
        {
            "benchmark": "bench_verifier",
            "n": args.n,
            "draw_seconds": draw_seconds,
            "verifier_seconds": verifier_seconds,
            "ratio": ratio,
        },
    )


if __name__ == "__main__":
    main()
