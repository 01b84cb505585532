"""Receipts for every unit of a 1M-enterprise salted draw: time and size per receipt.

Times, in one process (each once by default; receipts are generated streaming, never all kept):

* ``baseline``   ``[hashlib.sha256(s.encode()).digest() for s in ids]``: one SHA-256 per id
* ``draw``       ``draw_salted``: salts, buckets, leaves, the bucketed Merkle trees
                 (commitment v2), v2 tickets and the selection
* ``receipts``   ``make_receipts`` for every unit (salt, ticket, inclusion proof)
* ``to_json``    the same, plus each receipt's canonical JSON (what is handed out)
* ``verify``     ``verify_receipts`` of a sample of receipts against the notice, per receipt,
                 and one ``verify_receipt`` from JSON texts (an enterprise's whole check,
                 dominated by re-hashing the notice)

and reports seconds, µs per unit and the ratio to the baseline, and the JSON size per receipt
(mean, max) and proof length. No timed assertions.

    python benchmarks/bench_receipts.py [--n 1000000] [--buckets 1024] [--verify 2000]
                                        [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import print_table, timed, uscc_like_ids, write_json
from randsample import Population, Seed
from randsample.joint import Department, InspectionItem
from randsample.results import (
    draw_salted,
    make_notice,
    make_receipts,
    make_salted_record,
    verify_receipt,
    verify_receipts,
)

SECRET = bytes(range(32))
SEED = Seed.from_hex("6a09e667f3bcc908bb67ae8584caa73b")
RATES = {"A": 0.03, "B": 0.05, "C": 0.2, "D": 0.5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--buckets", type=int, default=1024)
    parser.add_argument("--verify", type=int, default=2000)
    parser.add_argument("--json")
    args = parser.parse_args()
    n = args.n
    ids = uscc_like_ids(n)
    strata = ["AAAAAABBBCD"[i % 11] for i in range(n)]
    population = Population.from_columns(
        ids, strata=strata, eligible=[i % 13 != 5 for i in range(n)]
    )
    sizes = {h: round(m * RATES[h]) for h, m in population.eligible_counts().items()}

    base, _ = timed(lambda: [hashlib.sha256(s.encode()).digest() for s in ids])
    draw_time, sample = timed(
        lambda: draw_salted(population, sizes, SEED, SECRET, buckets=args.buckets)
    )
    record = make_salted_record(
        sample, authority="bureau", draw_id="bench", timestamp="2026-03-01T00:00:00Z"
    )
    notice = make_notice(
        record,
        notice_id="N",
        task_id="T",
        period="2026-03",
        departments=[Department("SAMR", "市场监管局")],
        items=[InspectionItem("SAMR", "F-01", "basis", "category", "on-site")],
        timestamp="2026-03-01T01:00:00Z",
    )

    def receipts_only() -> int:
        count = 0
        for _ in make_receipts(sample, population, SECRET, notice):
            count += 1
        return count

    sizes_json: list[int] = []
    proof_lengths: list[int] = []

    def receipts_json() -> int:
        for receipt in make_receipts(sample, population, SECRET, notice):
            sizes_json.append(len(receipt.to_json().encode("utf-8")))
            proof_lengths.append(len(receipt.proof.path) + len(receipt.proof.top_path))
        return len(sizes_json)

    receipts_time, count = timed(receipts_only)
    json_time, _ = timed(receipts_json)
    step = max(1, n // args.verify)
    picked = ids[::step][: args.verify]
    chosen = list(make_receipts(sample, population, SECRET, notice, ids=picked))
    text = notice.to_json()
    verify_time, oks = timed(lambda: [r.ok for r in verify_receipts(chosen, notice)])
    single_time, _ = timed(lambda: verify_receipt(chosen[0].to_json(), text))
    assert count == n
    assert all(oks)

    rows = [
        ["baseline", f"{base:.2f}", f"{base / n * 1e6:.2f}", "1.00x"],
        [
            "draw (commit + tickets)",
            f"{draw_time:.2f}",
            f"{draw_time / n * 1e6:.2f}",
            f"{draw_time / base:.1f}x",
        ],
        [
            "receipts",
            f"{receipts_time:.2f}",
            f"{receipts_time / n * 1e6:.2f}",
            f"{receipts_time / base:.1f}x",
        ],
        [
            "receipts + JSON",
            f"{json_time:.2f}",
            f"{json_time / n * 1e6:.2f}",
            f"{json_time / base:.1f}x",
        ],
        [
            "verify_receipts (each)",
            f"{verify_time:.2f}",
            f"{verify_time / len(chosen) * 1e6:.1f}",
            "-",
        ],
        ["verify_receipt (one, JSON)", f"{single_time:.2f}", f"{single_time * 1e6:.0f}", "-"],
    ]
    print(f"{n} units, {args.buckets} buckets, {len(sample.selection)} selected")
    print_table(["step", "seconds", "µs per unit", "ratio"], rows)
    size = {"mean": statistics.fmean(sizes_json), "max": max(sizes_json), "min": min(sizes_json)}
    print(
        f"receipt JSON bytes: mean {size['mean']:.0f}, min {size['min']}, max {size['max']}; "
        f"proof hashes: mean {statistics.fmean(proof_lengths):.1f}, max {max(proof_lengths)}"
    )
    write_json(
        args.json,
        {
            "n": n,
            "buckets": args.buckets,
            "selected": len(sample.selection),
            "seconds": {
                "baseline": base,
                "draw": draw_time,
                "receipts": receipts_time,
                "receipts_json": json_time,
                "verify_sample": verify_time,
                "verify_one_from_json": single_time,
            },
            "verified": len(chosen),
            "receipt_bytes": size,
            "proof_hashes_mean": statistics.fmean(proof_lengths),
        },
    )


if __name__ == "__main__":
    main()
