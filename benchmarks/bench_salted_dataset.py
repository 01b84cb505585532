"""The salted draw on partitions against the salted draw in memory (1M units, 8 partitions).

Times, in one process, on Dask's local scheduler (threads; the partitions are in memory):

* ``baseline``        ``[hashlib.sha256(s.encode()).digest() for s in ids]``
* ``draw_salted``     the in-memory salted draw (commitment v2 trees, v2 tickets, selection)
* ``on partitions``   ``distributed.draw_salted_dataset``, and its steps alone: ``scan``,
                      the v1 ``digest``, ``commit_dataset`` (commitment v2) and the rest
                      (salts and tickets per partition, the merge)
* ``verify``          ``distributed.verify_salted_dataset`` of the record

each the best of ``--repeat`` interleaved rounds, and reports seconds and the ratio to the
in-memory draw and to the baseline. The records are checked byte for byte. No timed
assertions.

    python benchmarks/bench_salted_dataset.py [--n 1000000] [--partitions 8] [--buckets 1024]
                                              [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import interleaved, print_table, summary, uscc_like_ids, write_json
from randsample import Population, Seed
from randsample.distributed import (
    POPULATION_DIGEST_V1,
    PartitionedPopulation,
    Runner,
    commit_dataset,
    draw_salted_dataset,
    verify_salted_dataset,
)
from randsample.results import draw_salted, make_salted_record

SECRET = bytes(range(32))
SEED = Seed.from_hex("6a09e667f3bcc908bb67ae8584caa73b")
RATES = {"A": 0.01, "B": 0.03, "C": 0.1, "D": 0.5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--buckets", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    n = args.n
    ids = uscc_like_ids(n)
    strata = ["AAAAAABBBCD"[i % 11] for i in range(n)]
    population = Population.from_columns(
        ids, strata=strata, eligible=[i % 13 != 5 for i in range(n)]
    )
    sizes = {h: round(m * RATES[h]) for h, m in population.eligible_counts().items()}
    dataset = PartitionedPopulation.from_population(population, partitions=args.partitions)

    def seal(sample: object) -> str:
        return make_salted_record(
            sample,  # type: ignore[arg-type]
            authority="bureau",
            draw_id="bench",
            timestamp="2026-03-01T00:00:00Z",
        ).to_json()

    local = draw_salted(population, sizes, SEED, SECRET, buckets=args.buckets)
    record = seal(local)
    remote = draw_salted_dataset(dataset, sizes, SEED, SECRET, buckets=args.buckets)
    assert record == seal(remote), "the records differ"
    del remote
    rows = dataset.scan().rows
    times = interleaved(
        {
            "baseline": lambda: [hashlib.sha256(s.encode()).digest() for s in ids],
            "draw_salted": lambda: draw_salted(
                population, sizes, SEED, SECRET, buckets=args.buckets
            ),
            "draw_salted_dataset": lambda: draw_salted_dataset(
                dataset, sizes, SEED, SECRET, buckets=args.buckets
            ),
            "scan": dataset.scan,
            "digest": lambda: POPULATION_DIGEST_V1.compute(dataset, rows, Runner()),
            "commit_dataset": lambda: commit_dataset(dataset, SECRET, buckets=args.buckets),
            "verify_salted_dataset": lambda: verify_salted_dataset(record, dataset, SECRET).ok,
        },
        args.repeat,
    )
    best = {name: min(values) for name, values in times.items()}
    base, local_time, remote_time = (
        best["baseline"],
        best["draw_salted"],
        best["draw_salted_dataset"],
    )
    scan_time, digest_time, commit_time = best["scan"], best["digest"], best["commit_dataset"]
    verify_time = best["verify_salted_dataset"]
    rest = remote_time - scan_time - digest_time - commit_time

    def row(name: str, seconds: float) -> list[str]:
        return [name, f"{seconds:.2f}", f"{seconds / local_time:.2f}x", f"{seconds / base:.1f}x"]

    print(
        f"{n} units, {args.partitions} partitions, {args.buckets} buckets, "
        f"{len(local.selection)} selected; records identical; best of {args.repeat}"
    )
    print_table(
        ["step", "seconds", "vs draw_salted", "vs baseline"],
        [
            row("baseline (hashlib loop)", base),
            row("draw_salted (in memory)", local_time),
            row("draw_salted_dataset", remote_time),
            row("  scan", scan_time),
            row("  v1 digest", digest_time),
            row("  commit_dataset (v2)", commit_time),
            row("  tickets and merge (rest)", rest),
            row("verify_salted_dataset", verify_time),
        ],
    )
    write_json(
        args.json,
        {
            "n": n,
            "partitions": args.partitions,
            "buckets": args.buckets,
            "selected": len(local.selection),
            "seconds": {name: summary(values) for name, values in times.items()},
        },
    )


if __name__ == "__main__":
    main()
