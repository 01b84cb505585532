"""Ticket throughput against a bare hashlib loop over the same ids.

For each id set (18-character USCC-like ASCII codes, and ~10-character Chinese names) this
times, interleaved round by round in one process:

* ``baseline``        ``[hashlib.sha256(s.encode()).digest() for s in ids]``
* ``tickets``         ``randsample.tickets(subkey, ids)`` (validate=True, the public path)
* ``tickets_novalid`` ``randsample.tickets(subkey, ids, validate=False)``
* ``check_ids``       ``randsample.core._identifiers.check_ids(ids)`` alone
* ``tickets_hashlib`` ``randsample.tickets(subkey, ids, validate=False, kernel="hashlib")``
* ``kernel_buffer``   the compiled kernel alone on a prebuilt UTF-8 buffer (as an Arrow
  column gives it: no Python string is touched), one core
* ``kernel_2threads`` the same, the buffer split between two threads (the kernel releases
  the GIL)

and reports best-of-k (and median) seconds, ns per id and the ratio to the baseline's best.
The library aims for ``tickets <= 1.2x`` the baseline with the hashlib reference, and for the
compiled kernel ``<= 0.3x`` per core. The ``kernel_*`` rows need the ``kernel`` extra.

    python benchmarks/bench_tickets.py [--n 1000000] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import randsample
from _common import (
    chinese_ids,
    interleaved,
    list_bytes,
    print_table,
    summary,
    uscc_like_ids,
    write_json,
)
from randsample.core import check_ids, ticket_kernel, utf8_buffer
from randsample.errors import MissingDependencyError

TARGET = 1.2
KERNEL_TARGET = 0.3


def kernel_runs(subkey: bytes, ids: list[str]) -> dict[str, object]:
    """The compiled kernel on a prebuilt buffer, one thread and two; {} without the extra."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    try:
        kernel = ticket_kernel("openssl")
    except MissingDependencyError:
        try:
            kernel = ticket_kernel("numba")
        except MissingDependencyError:
            return {}
    data, starts, ends = utf8_buffer(ids)
    out = np.empty((len(ids), 32), dtype=np.uint8)
    half = len(ids) // 2
    pool = ThreadPoolExecutor(2)

    def one() -> None:
        kernel.fill(subkey, data, starts, ends, out)

    def two() -> None:
        jobs = [
            pool.submit(kernel.fill, subkey, data, starts[a:b], ends[a:b], out[a:b])
            for a, b in ((0, half), (half, len(ids)))
        ]
        for job in jobs:
            job.result()

    return {"kernel_buffer": one, "kernel_2threads": two, "kernel": kernel.name}


SEED_HEX = "6a09e667f3bcc908bb67ae8584caa73b"
ID_SETS = {"ascii18": uscc_like_ids, "chinese10": chinese_ids}


def baseline(ids: list[str]) -> list[bytes]:
    """The reference: one SHA-256 per id, nothing else."""
    return [hashlib.sha256(s.encode()).digest() for s in ids]


def bench_id_set(name: str, ids: list[str], subkey: bytes, repeat: int) -> dict[str, object]:
    """Time the four candidates on one id set; print its table and return the figures."""
    # Correctness spot check before timing: row i is the ticket of ids[i].
    sample = randsample.tickets(subkey, ids[:1000])
    assert bytes(sample[999]) == randsample.ticket(subkey, ids[999])
    candidates = {
        "baseline": lambda: baseline(ids),
        "tickets": lambda: randsample.tickets(subkey, ids),
        "tickets_novalid": lambda: randsample.tickets(subkey, ids, validate=False),
        "check_ids": lambda: check_ids(ids),
        "tickets_hashlib": lambda: randsample.tickets(
            subkey, ids, validate=False, kernel="hashlib"
        ),
    }
    extra = kernel_runs(subkey, ids)
    kernel_name = extra.pop("kernel", None)
    candidates.update(extra)  # type: ignore[arg-type]
    times = interleaved(candidates, repeat)
    base = min(times["baseline"])
    n = len(ids)
    results: dict[str, object] = {}
    rows = []
    for cand, runs in times.items():
        stats = summary(runs)
        ratio = stats["best"] / base
        results[cand] = {
            **stats,
            "runs": runs,
            "ns_per_id": stats["best"] / n * 1e9,
            "ratio_to_baseline": ratio,
        }
        rows.append(
            [
                cand,
                f"{stats['best']:.3f}",
                f"{stats['median']:.3f}",
                f"{stats['best'] / n * 1e9:.0f}",
                f"{ratio:.2f}x",
            ]
        )
    mean_chars = sum(map(len, ids)) / n
    mean_bytes = sum(len(s.encode()) for s in ids) / n
    print(
        f"\n[{name}] n={n:,}  mean {mean_chars:.1f} chars / {mean_bytes:.1f} UTF-8 bytes  "
        f"ids list {list_bytes(ids) / 2**20:.0f} MiB  e.g. {ids[0]!r}"
    )
    print_table(["candidate", "best s", "median s", "ns/id", "vs baseline"], rows)
    for cand in ("tickets_hashlib",):
        ratio = min(times[cand]) / base
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"target {cand} <= {TARGET:.1f}x baseline: {ratio:.2f}x {verdict}")
    if kernel_name:
        for cand in ("tickets_novalid", "kernel_buffer"):
            ratio = min(times[cand]) / base
            verdict = "met" if ratio <= KERNEL_TARGET else "MISSED"
            print(f"target {cand} ({kernel_name}) <= {KERNEL_TARGET}x: {ratio:.2f}x {verdict}")
    return {
        "n": n,
        "kernel": kernel_name,
        "mean_chars": mean_chars,
        "mean_utf8_bytes": mean_bytes,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="ids per set (1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; best-of-k (3)")
    parser.add_argument(
        "--ids",
        choices=sorted(ID_SETS),
        nargs="+",
        default=list(ID_SETS),
        help="id sets to run (both)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    subkey = randsample.Seed.from_hex(SEED_HEX).subkey(randsample.PURPOSE_ENTERPRISES)
    print(
        f"bench_tickets: n={args.n:,}, best of {args.repeat} interleaved rounds, "
        f"target tickets <= {TARGET}x baseline"
    )
    report = {}
    for name in args.ids:
        ids = ID_SETS[name](args.n)
        report[name] = bench_id_set(name, ids, subkey, args.repeat)
        del ids
    write_json(
        args.json,
        {
            "benchmark": "bench_tickets",
            "n": args.n,
            "repeat": args.repeat,
            "target_ratio": TARGET,
            "id_sets": report,
        },
    )


if __name__ == "__main__":
    main()
