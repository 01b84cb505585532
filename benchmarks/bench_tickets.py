"""Ticket throughput against a bare hashlib loop over the same ids.

For each id set (18-character USCC-like ASCII codes, and ~10-character Chinese names) this
times, interleaved round by round in one process:

* ``baseline``        ``[hashlib.sha256(s.encode()).digest() for s in ids]``
* ``tickets``         ``randsample.tickets(subkey, ids)`` (validate=True, the public path)
* ``tickets_novalid`` ``randsample.tickets(subkey, ids, validate=False)``
* ``check_ids``       ``randsample.core._identifiers.check_ids(ids)`` alone

and reports best-of-k (and median) seconds, ns per id and the ratio to the baseline's best.
The library aims for ``tickets <= 1.2x`` the baseline.

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
from randsample.core import check_ids

TARGET = 1.2
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
    }
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
    for cand in ("tickets", "tickets_novalid"):
        ratio = min(times[cand]) / base
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"target {cand} <= {TARGET:.1f}x baseline: {ratio:.2f}x {verdict}")
    return {"n": n, "mean_chars": mean_chars, "mean_utf8_bytes": mean_bytes, "results": results}


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
