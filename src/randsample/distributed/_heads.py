"""The one-read draw on the local scheduler: ticket heads kept with the sorted runs.

An equal-probability draw (``stratified-srswor`` v1) selects the ``n_h`` smallest tickets of
each stratum. When a partition is read, checked and sorted (:func:`scan_run`), the first 64
bits of its eligible units' tickets are computed too, and per stratum only the units whose
head is under a cut are kept: a cut that keeps about ``n_h + 6 sqrt(n_h) + 36`` of them
(heads are uniform), checked to keep at least ``n_h``, else exactly the ``n_h`` smallest.
Either way every unit with a head at most the partition's ``n_h``-th smallest is kept, so
every unit that can be among the stratum's first ``n_h`` in ticket order is among them.
While the digest merges the runs, :func:`run_orders` takes the ``n_h``-th smallest kept head
of the whole stratum as the cut, computes the full tickets of the units at or under it and
puts them in ticket order (ties by id bytes), exactly as a local draw does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ..core import ticket_kernel, ticket_order
from ..core._kernel import KernelName
from ._partition import Columns, Scan, checked_columns, count
from ._runs import Run, release_memory, runs

__all__ = ["limits_of", "run_orders", "scan_run"]

_NO_TICKET = np.uint64(2**64 - 1)
_TICKET_CHUNK = 1 << 16  # 2 MB of tickets at a time
#: Standard deviations of margin in the cut that keeps a stratum's smallest heads.
_MARGIN = 6.0


def scan_run(
    frame: Any,
    index: int,
    weighted: bool,
    *,
    subkey: bytes,
    kernel: KernelName,
    limits: Mapping[str, int],
) -> tuple[Scan, list[Run]]:
    """Check and count partition ``index``; return its counts and its runs with ticket heads.

    A stratum with a limit ``k`` (its sample size) keeps the heads of at least its ``k``
    eligible units with the smallest heads (and of any unit tied with the last); other strata
    keep every eligible unit's head.
    """
    columns = checked_columns(frame, index, weighted)
    counts = count(columns)
    out = counts, runs(columns, index, _kept_heads(columns, counts, subkey, kernel, limits))
    del columns
    release_memory(counts.rows)  # this partition's scratch memory, before the next one
    return out


def _kept_heads(
    columns: Columns,
    counts: Scan,
    subkey: bytes,
    kernel: KernelName,
    limits: Mapping[str, int],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]]:
    # Every eligible unit's ticket head, and which to keep: per stratum with a limit k, a
    # superset of the partition's units among the stratum's first k in ticket order, ties
    # included. The heads are uniform: a cut expected to keep k + 6 sqrt(k) + 36 of the
    # stratum's m units keeps fewer than k with a probability below 1e-9. The count is
    # checked, and a stratum that kept fewer keeps exactly its k smallest heads instead (ids
    # chosen to make that happen only cost time: either way the result is exact).
    heads = _heads(columns, subkey, kernel)
    labels, codes = columns.labels, columns.codes
    cuts = np.full(len(labels), _NO_TICKET, dtype=np.uint64)
    wanted: dict[int, int] = {}
    for code, label in enumerate(labels):
        k, m = limits.get(label), counts.strata[label][1]
        if k is None or m <= k:
            continue  # every eligible unit
        wanted[code] = k
        keep_about = _keep_about(k)
        if k and keep_about < m:
            cuts[code] = (keep_about << 64) // m  # below 2**64 - 1, which means no cut
    keep = columns.eligible.copy()
    for code in np.flatnonzero(cuts != _NO_TICKET).tolist():  # per stratum: no 8-byte temporary
        keep[(codes == code) & (heads > cuts[code])] = False
    if wanted:
        kept = np.bincount(codes[keep], minlength=len(labels))
        for code, k in wanted.items():
            if kept[code] < k or k == 0:  # the cut kept too few: exactly the k smallest
                _exactly(keep, heads, columns, code, k)
    return heads, keep


def _keep_about(k: int) -> int:
    # How many units the cut of a stratum with limit k keeps on average: k + 6 sqrt(k) + 36.
    return math.ceil(k + _MARGIN * math.sqrt(k) + _MARGIN * _MARGIN)


def _exactly(
    keep: npt.NDArray[np.bool_],
    heads: npt.NDArray[np.uint64],
    columns: Columns,
    code: int,
    k: int,
) -> None:
    # Keep the eligible units of stratum ``code`` whose head is at most its k-th smallest.
    members = np.flatnonzero((columns.codes == code) & columns.eligible)
    keep[members] = True
    if k == 0:
        keep[members] = False
        return
    mine = heads[members]
    keep[members[mine > np.partition(mine, k - 1)[k - 1]]] = False


def _heads(columns: Columns, subkey: bytes, kernel: KernelName) -> npt.NDArray[np.uint64]:
    # The first 64 bits (big-endian) of every eligible unit's ticket, in chunks (slices of
    # the columns when every unit is eligible, the usual case: nothing gathered).
    n = columns.starts.shape[0]
    heads = np.full(n, _NO_TICKET, dtype=np.uint64)
    rows = None if bool(columns.eligible.all()) else np.flatnonzero(columns.eligible)
    total = n if rows is None else rows.shape[0]
    fill = ticket_kernel(kernel).fill
    out = np.empty((min(total, _TICKET_CHUNK), 32), dtype=np.uint8)
    for at in range(0, total, _TICKET_CHUNK):
        chunk: Any = (
            slice(at, min(total, at + _TICKET_CHUNK))
            if rows is None
            else rows[at : at + _TICKET_CHUNK]
        )
        starts, ends = columns.starts[chunk], columns.ends[chunk]
        part = out[: starts.shape[0]]
        fill(subkey, columns.data, starts, ends, part)
        heads[chunk] = part.view(">u8")[:, 0]  # the first of each ticket's four words
    return heads


def limits_of(sizes: Any) -> dict[str, int]:
    """Return the sample sizes of ``sizes`` that are plain non-negative integers, by label.

    Used only to keep fewer ticket heads; the sizes themselves are checked after the scan,
    as in a local draw.
    """
    if not isinstance(sizes, Mapping):
        return {}
    return {
        label: int(value)
        for label, value in sizes.items()
        if isinstance(label, str)
        and isinstance(value, (int, np.integer))
        and not isinstance(value, bool)
        and value >= 0
    }


def run_orders(
    runs: list[Run],
    needed: Mapping[str, int],
    *,
    subkey: bytes,
    kernel: KernelName,
) -> dict[str, tuple[list[str], bytes]]:
    """Return, per stratum, its first ``needed[h]`` eligible units in ticket order.

    From the runs' ticket heads: the ``needed[h]``-th smallest head ``T`` of the stratum,
    every eligible unit whose head is at most ``T`` (at least ``needed[h]`` units, and all
    that can be among the first), their full tickets, then ticket order with ties by id
    bytes. The units come as columns: their ids, and their tickets one after another.
    Consumes ``runs`` (the list, not the runs): a run no other list holds is dropped once
    its units under the cuts are taken. (The local draw passes a copy while the digest still
    merges the runs, so there nothing is dropped early.)
    """
    cuts: dict[str, np.uint64] = {}
    for label, k in needed.items():
        if k <= 0:
            continue
        smallest = [heads for heads in (_smallest(run, label, k) for run in runs) if heads.size]
        if not smallest:
            continue
        every = np.concatenate(smallest)
        cuts[label] = np.partition(every, k - 1)[k - 1] if every.shape[0] > k else every.max()
    taken: dict[str, list[tuple[bytes, npt.NDArray[np.int64]]]] = {label: [] for label in cuts}
    while runs:
        run = runs.pop(0)
        for label, cut in cuts.items():
            rows, heads = _stratum(run, label)
            taken[label].append(run.id_block(rows[heads <= cut]))
        del run
    fill = ticket_kernel(kernel).fill
    found: dict[str, tuple[list[str], bytes]] = {}
    for label in list(taken):
        blocks = taken.pop(label)
        data = b"".join([block for block, _ in blocks])
        lengths = np.concatenate([lengths for _, lengths in blocks])
        del blocks
        ends = np.cumsum(lengths)
        starts = ends - lengths  # the ids were checked as UTF-8 (Arrow strings) when read
        tickets = np.empty((lengths.shape[0], 32), dtype=np.uint8)
        fill(subkey, np.frombuffer(data, np.uint8), starts, ends, tickets)
        # The ids break ties of whole tickets only: decoded for all units if two share their
        # first 64 bits (about once in 2**32 draws of 2**16 units), else for the first only.
        strings = _strings(data, ends)
        texts = _texts(strings) if _share_a_head(tickets) else None
        order = ticket_order(tickets, ids=texts)[: needed[label]]
        ids = [texts[i] for i in order.tolist()] if texts is not None else _texts(strings, order)
        found[label] = (ids, tickets[order].tobytes())
    return found


def _share_a_head(tickets: npt.NDArray[np.uint8]) -> bool:
    # Whether two tickets have the same first 64 bits.
    first = np.sort(np.ascontiguousarray(tickets[:, :8]).view(">u8").reshape(-1))
    return bool(np.any(first[1:] == first[:-1]))


def _strings(data: bytes, ends: npt.NDArray[np.int64]) -> Any:
    # The ids of a block (UTF-8, one after another, ending at ``ends``) as an Arrow array.
    import pyarrow as pa

    offsets = np.zeros(ends.shape[0] + 1, dtype=np.int64)
    offsets[1:] = ends
    return pa.LargeStringArray.from_buffers(
        ends.shape[0], pa.py_buffer(offsets), pa.py_buffer(data)
    )


def _texts(strings: Any, rows: npt.NDArray[np.intp] | None = None) -> list[str]:
    # Python strings of an Arrow array's ``rows`` (all rows if None), made by Arrow.
    import pyarrow as pa

    if rows is not None:
        strings = strings.take(pa.array(rows))
    texts: list[str] = strings.to_numpy(zero_copy_only=False).tolist()
    return texts


def _stratum(run: Run, label: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint64]]:
    # The kept rows of eligible units of stratum ``label`` in ``run``, and their heads.
    if run.heads is None or run.head_rows is None or label not in run.head_groups:
        return np.zeros(0, np.int32), np.zeros(0, np.uint64)
    at, end = run.head_groups[label]
    return run.head_rows[at:end], run.heads[at:end]


def _smallest(run: Run, label: str, k: int) -> npt.NDArray[np.uint64]:
    # The k smallest kept heads of stratum ``label`` in ``run`` (all if it has fewer).
    heads = _stratum(run, label)[1]
    return np.partition(heads, k - 1)[:k] if 0 < k < heads.shape[0] else heads
