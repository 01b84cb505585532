"""Scaling table: draw time and peak memory from 100k to 100M units, single process and Dask.

A partitioned Parquet population of N USCC-like units (credit classes A 60% / B 25% / C 10% /
D 5%, sizes as in bench_draw.py) is written once per N under ``--data``. Each run is a fresh
Python process (so that its peak RSS is its own), timed end to end: read, check, digest,
draw, seal. Modes:

* ``single``: ``files.read_population`` style, one process: the Parquet files are read into
  a :class:`randsample.Population` (Python strings) and drawn with ``draw_stratified``;
* ``local``:  ``draw_dataset`` with Dask's local threaded scheduler (Arrow strings, both
  cores through the GIL-free ticket kernel);
* ``dask``:   ``draw_dataset`` on a ``distributed.LocalCluster`` of 2 worker processes with a
  memory limit each (spilling to disk as needed); per-worker peak RSS is reported.

Memory is the peak RSS of the run's process (Linux ``VmHWM``, restarted just before the clock)
above its RSS at that moment (libraries imported, kernel compiled), plus the workers' peaks;
it is compared with the input columns as Arrow arrays. After the draw, the same process times
the bare single-core loop ``[hashlib.sha256(s.encode()).digest() for s in ids]`` over the same
ids (``--no-loop`` skips it); the ``vs loop`` column is the draw's wall time over that loop's.
``before sealing`` is the same ratio for the peak reached before ``make_record`` (caller
only). ``CPU s`` is the process's CPU time (both cores), and ``CPU vs loop CPU`` its ratio to the
loop's CPU time: both are far less sensitive to other jobs on the machine than wall times
(with two free cores, the wall time of the draw can approach half its CPU time).

Each run writes its record's digest; ``--check`` compares every mode's record with the
others' (and, in ``dask`` mode, with a second run on a different partitioning).

    python benchmarks/bench_scale.py --n 100000 1000000 --modes single local dask
    python benchmarks/bench_scale.py --n 100000000 --modes dask --rows-per-file 4000000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from _common import DIVISIONS, USCC_ALPHABET, print_table, write_json

SHARES = {"A": 60, "B": 25, "C": 10, "D": 5}
RATES = {"A": (1, 100), "B": (3, 100), "C": (10, 100), "D": (50, 100)}
SEED_HEX = "bb67ae8584caa73b3c6ef372fe94f82b"
STAMP = "2026-11-27T02:00:00Z"


def uscc_block(start: int, stop: int, seed: int) -> np.ndarray:
    """Rows ``start..stop`` of the USCC-like codes as an (n, 18) uint8 array (ASCII).

    The same layout as ``_common.uscc_like_ids`` (the organization code is a bijective
    scramble of the row number, so codes of different rows differ).
    """
    rng = np.random.default_rng([seed, start])
    alpha = np.frombuffer(USCC_ALPHABET.encode(), np.uint8)
    org_value = np.array([int(c, 36) for c in USCC_ALPHABET])
    x_index = USCC_ALPHABET.index("X")
    heads = np.array([[9, 1], [9, 1], [9, 1], [9, 2], [9, 3], [5, 1], [1, 1]])
    divisions = np.array([[int(c) for c in d] for d in DIVISIONS])
    weights = np.array([pow(3, i, 31) for i in range(17)])
    rows = np.arange(start, stop, dtype=np.int64)
    scrambled = (rows * 387_420_489 + 12_345_678_901) % 31**8
    body = np.empty((rows.size, 17), dtype=np.int64)
    body[:, :2] = heads[rng.integers(0, len(heads), rows.size)]
    body[:, 2:8] = divisions[rng.integers(0, len(divisions), rows.size)]
    for k in range(8):
        body[:, 15 - k] = scrambled % 31
        scrambled //= 31
    org_check = 11 - (org_value[body[:, 8:16]] @ np.array([3, 7, 9, 10, 5, 8, 4, 2])) % 11
    body[:, 16] = np.where(org_check == 10, x_index, org_check % 11)
    check = (31 - (body @ weights) % 31) % 31
    return alpha[np.concatenate([body, check[:, None]], axis=1)]


def strata_block(start: int, stop: int, seed: int) -> np.ndarray:
    """Class codes 0-3 (A-D) with the shares above, independently per row."""
    rng = np.random.default_rng([seed, start, 7])
    return np.searchsorted(np.cumsum([60, 25, 10, 5]), rng.integers(0, 100, stop - start), "right")


def write_dataset(folder: Path, n: int, rows_per_file: int) -> dict[str, int]:
    """Write N units as Parquet files of ``rows_per_file`` rows; return the class counts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (folder / "parts").mkdir(parents=True, exist_ok=True)
    done = folder / "counts.json"
    if done.exists():
        return json.loads(done.read_text())
    counts = np.zeros(4, dtype=np.int64)
    labels = pa.array(["A", "B", "C", "D"])
    for k, start in enumerate(range(0, n, rows_per_file)):
        stop = min(n, start + rows_per_file)
        codes = uscc_block(start, stop, seed=1)
        ids = pa.array(codes.view("S18").reshape(-1), type=pa.binary(18)).cast(pa.string())
        classes = strata_block(start, stop, seed=1)
        counts += np.bincount(classes, minlength=4)
        strata = labels.take(pa.array(classes))
        eligible = pa.array(np.ones(stop - start, dtype=bool))
        table = pa.table({"id": ids, "stratum": strata, "eligible": eligible})
        pq.write_table(table, folder / "parts" / f"part-{k:05d}.parquet", row_group_size=1 << 20)
    result = dict(zip("ABCD", counts.tolist(), strict=True))
    done.write_text(json.dumps(result))
    return result


def sizes_of(counts: dict[str, int]) -> dict[str, int]:
    """n_h = ceil(N_h * p / q) with the rates above."""
    return {h: -(-counts[h] * p // q) for h, (p, q) in RATES.items()}


def _status(key: str) -> int | None:
    # A line of /proc/self/status in bytes (Linux), or None.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def peak_rss() -> int:
    """Peak RSS of this process (bytes).

    Linux: ``VmHWM``, this process's own high-water mark. ``ru_maxrss`` is not used there:
    it is kept across ``exec``, so a child started by a parent that had read a large table
    would report the parent's peak.
    """
    hwm = _status("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak() -> int:
    """Restart the high-water mark at the current RSS (Linux); return the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return peak_rss()
    return _status("VmRSS") or peak_rss()


def hashlib_loop_seconds(folder: Path, repeat: int = 3) -> tuple[float, float]:
    """The bare single-core loop ``[sha256(s.encode()).digest() for s in ids]`` over every id.

    Best of ``repeat`` (wall seconds, CPU seconds), timed per file of ids (Python strings
    made outside the clock).
    """
    import hashlib

    import pyarrow.parquet as pq

    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        total, cpu = 0.0, 0.0
        for path in sorted((folder / "parts").glob("*.parquet")):
            ids = pq.read_table(path, columns=["id"]).column("id").to_pylist()
            t, c = time.perf_counter(), time.thread_time()
            [hashlib.sha256(s.encode()).digest() for s in ids]
            total += time.perf_counter() - t
            cpu += time.thread_time() - c
            del ids
        best, best_cpu = min(best, total), min(best_cpu, cpu)
    return best, best_cpu


def arrow_bytes(folder: Path) -> int:
    """The input columns as Arrow arrays in memory (ids, strata, eligible), file by file."""
    import pyarrow.parquet as pq

    return sum(int(pq.read_table(p).nbytes) for p in sorted((folder / "parts").glob("*.parquet")))


def run_single(folder: Path, sizes: dict[str, int]) -> tuple[Any, dict[str, float]]:
    """Read the files into a Population and draw in one process."""
    import pyarrow.parquet as pq

    from randsample import Population, Seed, draw_stratified, make_record

    stages: dict[str, float] = {}
    t = time.perf_counter()
    table = pq.read_table(folder / "parts")
    ids = table.column("id").to_pylist()
    strata = table.column("stratum").to_pylist()
    del table
    population = Population.from_columns(ids, strata=strata)
    del ids, strata
    stages["read+check"] = time.perf_counter() - t
    t = time.perf_counter()
    population.digest()
    stages["digest"] = time.perf_counter() - t
    t = time.perf_counter()
    sample = draw_stratified(population, sizes, Seed.from_hex(SEED_HEX))
    stages["draw"] = time.perf_counter() - t
    stages["peak RSS before sealing"] = peak_rss()
    record = make_record(sample, authority="national", draw_id="scale", timestamp=STAMP)
    return record, stages


def run_engine(
    folder: Path,
    sizes: dict[str, int],
    client: Any,
    repartition: int | None,
    blocksize: str | None = None,
) -> tuple[Any, dict[str, float]]:
    """Draw with the distributed engine (local scheduler if client is None)."""
    from randsample import Seed, make_record
    from randsample.distributed import PartitionedPopulation, draw_dataset
    from randsample.files import read_population_dataset

    stages: dict[str, float] = {}
    t = time.perf_counter()
    dataset = read_population_dataset(folder / "parts", blocksize=blocksize)
    if repartition:
        frame = dataset.frame.repartition(npartitions=repartition)
        dataset = PartitionedPopulation.from_frame(frame)
    sample = draw_dataset(dataset, sizes, Seed.from_hex(SEED_HEX), client=client)
    stages["draw (scan+digest+candidates)"] = time.perf_counter() - t
    stages["peak RSS before sealing"] = peak_rss()
    record = make_record(sample, authority="national", draw_id="scale", timestamp=STAMP)
    return record, stages


def child(args: argparse.Namespace) -> None:
    """One run, in this (fresh) process; prints one JSON line."""
    folder = Path(args.data) / f"n{args.child_n}"
    counts = json.loads((folder / "counts.json").read_text())
    sizes = sizes_of(counts)
    workers_peak: list[int] = []
    # Imports and the kernel's compilation are not part of a draw: done before the clock
    # (dask.dataframe and pyarrow.dataset are imported by the first read: ~100 MB).
    import dask.dataframe  # noqa: F401  # imported before the clock starts
    import pyarrow.dataset  # noqa: F401

    import randsample.distributed  # noqa: F401
    from randsample.core import ticket_kernel

    # dask's first compute imports distributed (to look for a default client): ~0.3 s, 11 MiB
    with contextlib.suppress(ImportError):
        import distributed  # noqa: F401

    ticket_kernel()
    baseline_rss = reset_peak()
    start = time.perf_counter()
    cpu = time.process_time()
    if args.child_mode == "single":
        record, stages = run_single(folder, sizes)
    elif args.child_mode == "local":
        record, stages = run_engine(folder, sizes, None, args.repartition, args.blocksize)
    else:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                memory_limit=args.worker_memory,
                dashboard_address=":0",
                local_directory=args.spill,
            ) as cluster,
            Client(cluster) as client,
        ):
            record, stages = run_engine(folder, sizes, client, args.repartition, args.blocksize)
            workers_peak = sorted(client.run(peak_rss).values())
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = peak_rss()
    loop, loop_cpu = hashlib_loop_seconds(folder) if args.loop else (None, None)
    print(
        json.dumps(
            {
                "n": args.child_n,
                "mode": args.child_mode,
                "repartition": args.repartition,
                "blocksize": args.blocksize,
                "seconds": total,
                "cpu_seconds": cpu,
                "hashlib_loop_seconds": loop,
                "hashlib_loop_cpu_seconds": loop_cpu,
                "stages": stages,
                "peak_rss": peak,
                "baseline_rss": baseline_rss,
                "workers_peak_rss": workers_peak,
                "record_digest": record.record_digest,
                "selected": len(record["selection"]),
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--modes", nargs="+", default=["single", "local", "dask"])
    parser.add_argument("--data", default="/tmp/randsample-scale", help="dataset folder")
    parser.add_argument("--spill", default="/tmp/randsample-spill", help="Dask spill folder")
    parser.add_argument("--rows-per-file", type=int, default=1_000_000)
    parser.add_argument("--worker-memory", default="8GiB", help="LocalCluster limit per worker")
    parser.add_argument("--repartition", type=int, default=None, help="re-split the files")
    parser.add_argument("--blocksize", default=None, help="split files by row groups (e.g. 32MiB)")
    parser.add_argument(
        "--no-loop",
        dest="loop",
        action="store_false",
        help="skip the same-process bare hashlib loop (run after the draw, outside its peak)",
    )
    parser.add_argument("--json", metavar="PATH")
    parser.add_argument("--child-mode", help=argparse.SUPPRESS)
    parser.add_argument("--child-n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_mode:
        child(args)
        return
    results = []
    for n in args.n:
        folder = Path(args.data) / f"n{n}"
        t = time.perf_counter()
        counts = write_dataset(folder, n, min(args.rows_per_file, max(n // 4, 1)))
        print(f"N={n:,}: dataset {folder} ({time.perf_counter() - t:.0f} s), classes {counts}")
        input_bytes = arrow_bytes(folder) if n <= 20_000_000 else None
        for mode in args.modes:
            command = [
                sys.executable,
                __file__,
                "--child-mode",
                mode,
                "--child-n",
                str(n),
                "--data",
                args.data,
                "--spill",
                args.spill,
                "--worker-memory",
                args.worker_memory,
            ]
            if args.repartition:
                command += ["--repartition", str(args.repartition)]
            if args.blocksize:
                command += ["--blocksize", args.blocksize]
            if not args.loop:
                command += ["--no-loop"]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if done.returncode or not lines:
                print(f"  {mode}: FAILED ({done.returncode})\n{done.stderr[-2000:]}")
                continue
            result = json.loads(lines[-1])
            result["input_arrow_bytes"] = input_bytes
            results.append(result)
            print(f"  {mode}: {json.dumps(result)}", flush=True)
    rows = []
    for r in results:
        memory = r["peak_rss"] - r["baseline_rss"] + sum(r["workers_peak_rss"])
        drawn = r["stages"].get("peak RSS before sealing", r["peak_rss"])
        loop = r["hashlib_loop_seconds"]
        rows.append(
            [
                f"{r['n']:,}",
                r["mode"],
                f"{r['seconds']:.2f}",
                f"{r['cpu_seconds']:.2f}",
                "-" if not loop else f"{loop:.2f}",
                "-" if not loop else f"{r['seconds'] / loop:.2f}x",
                "-" if not loop else f"{r['cpu_seconds'] / r['hashlib_loop_cpu_seconds']:.2f}x",
                f"{memory / 2**30:.2f}",
                "-"
                if not r["workers_peak_rss"]
                else "/".join(f"{w / 2**30:.2f}" for w in r["workers_peak_rss"]),
                "-" if not r["input_arrow_bytes"] else f"{memory / r['input_arrow_bytes']:.2f}x",
                "-"
                if not r["input_arrow_bytes"] or r["workers_peak_rss"]
                else f"{(drawn - r['baseline_rss']) / r['input_arrow_bytes']:.2f}x",
                r["record_digest"][:12],
            ]
        )
    print_table(
        [
            "N",
            "mode",
            "seconds",
            "CPU s",
            "hashlib loop s",
            "vs loop",
            "CPU vs loop CPU",
            "peak GiB",
            "per worker GiB",
            "vs Arrow input",
            "before sealing",
            "record",
        ],
        rows,
    )
    by_n: dict[int, set[str]] = {}
    for r in results:
        by_n.setdefault(r["n"], set()).add(r["record_digest"])
    for n, digests in by_n.items():
        print(f"N={n:,}: {'identical records' if len(digests) == 1 else 'RECORDS DIFFER'}")
    write_json(args.json, {"benchmark": "bench_scale", "results": results})


if __name__ == "__main__":
    main()
