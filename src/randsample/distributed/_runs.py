"""The v1 population digest on one machine: sorted runs per partition, merged in id order.

The digest of spec 4.2 hashes every unit's row in one stream, in bytewise id order. On Dask's
local scheduler it is computed without a global sort of the whole population:

1. each partition is checked and sorted where it is read, in the scheduler's threads
   (:func:`sorted_run`): its ids as NUL-padded rows (one fixed-width copy), its lengths and
   ``2 * stratum code + eligible`` per row, in id order; the Arrow columns are then dropped;
2. the runs are cut into buckets of about :data:`BUCKET` rows by splitters taken from a sample
   of the runs (equal ids fall in the same bucket); each bucket's slices of every run are
   put together, sorted and turned into digest rows in a thread pool, and the caller hashes
   the buckets in order (:func:`runs_digest`). Equal neighbours in a bucket are duplicates,
   named by the partitions they came from.

Memory: the runs (about ``width + 2`` bytes per unit, against about 27 bytes per
18-character id for the Arrow columns) plus a few buckets at a time. A run can also carry the
first 64 bits of the tickets of the units a draw may select, so that a draw reads the
partitions once (see :mod:`._heads`).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..core import lp
from ..core._kernel import usable_cores
from ..population import digest_header, digest_rows, padded_rows
from ._order import sorted_order
from ._partition import Columns, checked_columns, duplicate

__all__ = [
    "BUCKET",
    "RELEASE_UNITS",
    "RUN_ROWS",
    "Run",
    "release_memory",
    "runs",
    "runs_digest",
    "sorted_runs",
]

#: Rows per bucket of the merge (a bucket is sorted and hashed as one piece).
BUCKET = 1 << 16
#: Rows per sorted run (a partition is cut into runs of at most this many rows).
RUN_ROWS = 1 << 18
#: Freed memory is given back to the system after work on at least this many units.
RELEASE_UNITS = 1 << 16
#: Ids up to this many bytes are padded into fixed-width rows; a partition with a longer one
#: keeps its ids as Python bytes (rare: USCC codes have 18).
PAD_LIMIT = 64


@attrs.define(eq=False)
class Run:
    """One partition's digest columns in id order (and, for a draw, its ticket heads)."""

    index: int
    labels: list[str]
    #: (n, width) NUL-padded UTF-8 ids, sorted bytewise; None when ``texts`` holds them.
    ids: npt.NDArray[np.uint8] | None
    texts: list[bytes] | None
    lengths: npt.NDArray[Any]
    #: ``2 * code + eligible`` (codes index ``labels``).
    kinds: npt.NDArray[Any]
    weights: npt.NDArray[np.float64] | None
    #: For a draw: the rows of the eligible units that may be among the first of their
    #: stratum in ticket order, and the first 64 bits of their tickets; grouped by stratum
    #: (``head_groups``: label -> the group's range), rows ascending in each group.
    head_rows: npt.NDArray[np.int32] | None = None
    heads: npt.NDArray[np.uint64] | None = None
    head_groups: dict[str, tuple[int, int]] = attrs.Factory(dict)

    @property
    def rows(self) -> int:
        """The number of units."""
        return int(self.lengths.shape[0])

    def id_bytes(self, rows: npt.NDArray[Any]) -> list[bytes]:
        """Return the UTF-8 ids of ``rows``."""
        if self.texts is not None:
            return [self.texts[i] for i in rows.tolist()]
        assert self.ids is not None
        width = self.ids.shape[1]
        raw = np.take(self.ids, rows, axis=0).tobytes()  # one copy, then bytes slices
        return [raw[k * width : k * width + m] for k, m in enumerate(self.lengths[rows].tolist())]

    def id_block(self, rows: npt.NDArray[Any]) -> tuple[bytes, npt.NDArray[np.int64]]:
        """Return the UTF-8 ids of ``rows`` one after another in one buffer, and their lengths."""
        lengths = self.lengths[rows].astype(np.int64)
        if self.texts is not None:
            return b"".join([self.texts[i] for i in rows.tolist()]), lengths
        assert self.ids is not None
        block = np.take(self.ids, rows, axis=0)
        if lengths.shape[0] and int(lengths.min()) == block.shape[1]:
            return block.tobytes(), lengths
        return block[np.arange(block.shape[1]) < lengths[:, None]].tobytes(), lengths


def sorted_runs(frame: Any, index: int, weighted: bool) -> list[Run]:
    """Check partition ``index`` and return its digest columns as runs sorted by id."""
    out = runs(checked_columns(frame, index, weighted), index, None)
    release_memory(sum(run.rows for run in out))  # this partition's scratch memory
    return out


def runs(
    columns: Columns, index: int, tickets: tuple[npt.NDArray[np.uint64], Any] | None
) -> list[Run]:
    """Return a checked partition as runs of at most RUN_ROWS rows, each sorted by id.

    Cutting bounds the scratch memory of the sort. ``tickets`` (every row's ticket head and
    which heads to keep), if given, are kept along with the rows.
    """
    data, starts, ends = columns.data, columns.starts, columns.ends
    lengths = ends - starts
    n = int(lengths.shape[0])
    kind_type = np.uint8 if 2 * len(columns.labels) <= 256 else np.int32
    kinds = columns.codes.astype(kind_type) << 1
    kinds |= columns.eligible
    width = int(lengths.max()) if n else 1
    lengths = lengths.astype(np.uint8 if width <= PAD_LIMIT else np.int64)  # 1 byte when padded
    out = []
    for at in range(0, n, RUN_ROWS):
        part = slice(at, min(n, at + RUN_ROWS))
        ids: npt.NDArray[np.uint8] | None = None
        texts: list[bytes] | None = None
        if width <= PAD_LIMIT:
            padded = padded_rows(data, starts[part], lengths[part], width)
            order = sorted_order(padded)[0]  # equal ids meet in one bucket of the merge
            ids = np.take(padded, order, axis=0)
            del padded
        else:
            raw = data.tobytes()
            keys = [
                raw[a:b] for a, b in zip(starts[part].tolist(), ends[part].tolist(), strict=True)
            ]
            order = np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.intp)
            texts = [keys[i] for i in order.tolist()]
        run = Run(
            index,
            columns.labels,
            ids,
            texts,
            lengths[part][order],
            kinds[part][order],
            None if columns.weights is None else columns.weights[part][order],
        )
        if tickets is not None:
            heads, keep = tickets
            rows = np.flatnonzero(keep[part][order])
            codes = run.kinds[rows] >> 1  # kept units are eligible: kind 2 * code + 1
            by_code = np.argsort(codes, kind="stable")  # by stratum, rows still ascending
            rows = rows[by_code]
            run.head_rows = rows.astype(np.int32)
            run.heads = heads[part][order[rows]]
            ends = np.cumsum(np.bincount(codes, minlength=len(columns.labels))).tolist()
            run.head_groups = {
                label: (end - size, end)
                for label, end, size in zip(
                    columns.labels, ends, np.diff([0, *ends]).tolist(), strict=True
                )
                if size
            }
        out.append(run)
    return out


def release_memory(units: int) -> None:
    """Give memory freed by the scheduler's threads back to the system (Linux, glibc).

    The C allocator keeps what threads freed in per-thread arenas, where later allocations of
    other threads cannot use it; Arrow's pool keeps freed blocks too. Nothing else changes.
    Only after work on at least :data:`RELEASE_UNITS` units (``units``): trimming has a cost
    of its own, and small work frees little.
    """
    import sys

    if units < RELEASE_UNITS:
        return

    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
            ctypes.CDLL(None).malloc_trim(0)


def runs_digest(runs: Sequence[Run], units: int) -> str:
    """Return the spec 4.2 digest of the units of ``runs`` (hex), merged in id order.

    Raises :class:`~randsample.errors.InvalidInputError` for the smallest id found twice.
    """
    runs = [run for run in runs if run.rows]
    labels = sorted({label for run in runs for label in run.labels})
    code_of = {label: code for code, label in enumerate(labels)}
    tails = [lp(label.encode("utf-8")) + f for label in labels for f in (b"\x00", b"\x01")]
    kind_maps = [
        np.array([2 * code_of[label] + e for label in run.labels for e in (0, 1)] or [0])
        for run in runs
    ]
    h = hashlib.sha256(digest_header(units))
    if any(run.ids is None for run in runs):
        for rows in _merged_texts(runs, kind_maps, tails):
            h.update(rows)
        return h.hexdigest()
    width = max([run.ids.shape[1] for run in runs if run.ids is not None], default=1)
    padded = [_widened(run.ids, width) for run in runs if run.ids is not None]
    cuts = _bucket_cuts(padded, width)
    workers = max(1, min(usable_cores(), len(cuts)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[Any]] = deque()
        for bounds in cuts:
            pending.append(pool.submit(_bucket, runs, padded, kind_maps, tails, bounds))
            if len(pending) > workers:
                h.update(pending.popleft().result())
        while pending:
            h.update(pending.popleft().result())
    return h.hexdigest()


def _widened(ids: Any, width: int) -> Any:
    if ids.shape[1] == width:
        return ids
    out = np.zeros((ids.shape[0], width), dtype=np.uint8)
    out[:, : ids.shape[1]] = ids
    return out


def _bucket_cuts(padded: list[Any], width: int) -> list[list[tuple[int, int]]]:
    # Per bucket, the row range [a, b) of every run; splitters from a sorted sample, so that
    # buckets hold about BUCKET rows; an id equal to a splitter opens the next bucket in
    # every run, so equal ids meet in one bucket.
    total = sum(ids.shape[0] for ids in padded)
    buckets = max(1, -(-total // BUCKET))
    if buckets == 1:
        return [[(0, ids.shape[0]) for ids in padded]]
    step = max(1, total // (8 * buckets))
    sample = np.concatenate([ids[::step] for ids in padded])
    sample = sample[sorted_order(sample)[0]]
    picks = (np.arange(1, buckets) * sample.shape[0]) // buckets
    splitters = np.unique(np.ascontiguousarray(sample[picks]).view(f"S{width}").reshape(-1))
    edges = [
        [0, *np.searchsorted(ids.view(f"S{width}").reshape(-1), splitters).tolist(), ids.shape[0]]
        for ids in padded
    ]
    return [[(edge[b], edge[b + 1]) for edge in edges] for b in range(splitters.shape[0] + 1)]


def _bucket(
    runs: list[Run],
    padded: list[Any],
    kind_maps: list[Any],
    tails: list[bytes],
    bounds: list[tuple[int, int]],
) -> Any:
    # One bucket's rows from every run, sorted by id, as digest rows (a buffer: bytes or a
    # contiguous array); a duplicate raises.
    taken = [(k, a, b) for k, (a, b) in enumerate(bounds) if b > a]
    if not taken:
        return b""
    ids = np.concatenate([padded[k][a:b] for k, a, b in taken])
    # Equal rows are equal ids (NUL padding, which no id has): the first pair in id order.
    order, same = sorted_order(ids)
    lengths = np.concatenate([runs[k].lengths[a:b] for k, a, b in taken])
    if same is not None:
        ends = np.cumsum([b - a for _, a, b in taken])
        origin = [runs[taken[int(np.searchsorted(ends, i, side="right"))][0]].index for i in same]
        at = same[0]
        text = ids[at, : lengths[at]].tobytes().decode("utf-8")
        pair = sorted(origin)
        raise duplicate(text, pair[0], pair[1])
    kinds = np.concatenate([kind_maps[k][runs[k].kinds[a:b]] for k, a, b in taken])[order]
    weights = (
        np.concatenate([runs[k].weights[a:b] for k, a, b in taken])[order]  # type: ignore[index]
        if runs[taken[0][0]].weights is not None
        else None
    )
    lengths = lengths[order]
    width = ids.shape[1]
    tail_lengths = {len(tail) for tail in tails}
    if len(tail_lengths) == 1 and int(lengths.min()) == width:
        return _fixed_rows(ids, order, kinds, tails, weights)
    ids = np.take(ids, order, axis=0)
    return digest_rows(ids, lengths.astype(np.int64), kinds.astype(np.intp), tails, weights)


def _fixed_rows(
    ids: npt.NDArray[np.uint8],
    order: npt.NDArray[np.intp],
    kinds: npt.NDArray[Any],
    tails: list[bytes],
    weights: npt.NDArray[np.float64] | None,
) -> npt.NDArray[Any]:
    # The rows of population.digest_rows (spec 4.2) when every id has ``ids.shape[1]`` bytes
    # and every ``lp(stratum) || eligible`` tail the same length, as one array of records
    # ``u32be(len) || id || tail || 0`` (or ``|| 1 || f64be(weight)``) whose bytes are
    # hashed as they are: the ids are gathered in ``order`` straight into place.
    width, tail = ids.shape[1], len(tails[0])
    fields: list[tuple[str, Any]] = [("length", ">u4"), ("id", f"V{width}"), ("tail", f"V{tail}")]
    fields += [("flag", "u1")] + ([("weight", ">f8")] if weights is not None else [])
    out = np.empty(order.shape[0], dtype=np.dtype(fields))
    out["length"] = width
    out["id"] = np.ascontiguousarray(ids).view(f"V{width}").reshape(-1)[order]
    out["tail"] = np.array(tails, dtype=f"S{tail}").view(f"V{tail}")[kinds]
    if weights is None:
        out["flag"] = 0
    else:
        out["flag"] = 1
        out["weight"] = weights + 0.0  # -0.0 as 0.0
    return out


def _merged_texts(runs: Sequence[Run], kind_maps: list[Any], tails: list[bytes]) -> Iterator[bytes]:
    # Some id is longer than PAD_LIMIT bytes: merge the runs as Python bytes (rare, slower).
    import heapq

    streams = [_tagged(run, k) for k, run in enumerate(runs)]
    chunk: list[tuple[bytes, int, int]] = []
    previous: tuple[bytes, int] | None = None
    for item in heapq.merge(*streams):
        if previous is not None and previous[0] == item[0]:
            pair = sorted((runs[previous[1]].index, runs[item[1]].index))
            raise duplicate(item[0].decode("utf-8"), pair[0], pair[1])
        previous = (item[0], item[1])
        chunk.append(item)
        if len(chunk) == 1 << 16:
            yield _text_rows(chunk, runs, kind_maps, tails)
            chunk = []
    if chunk:
        yield _text_rows(chunk, runs, kind_maps, tails)


def _tagged(run: Run, k: int) -> Iterator[tuple[bytes, int, int]]:
    for i, text in enumerate(run.id_bytes(np.arange(run.rows))):
        yield text, k, i


def _text_rows(
    chunk: list[tuple[bytes, int, int]],
    runs: Sequence[Run],
    kind_maps: list[Any],
    tails: list[bytes],
) -> bytes:
    size = max(len(text) for text, _, _ in chunk)
    ids = np.frombuffer(b"".join(text.ljust(size, b"\x00") for text, _, _ in chunk), np.uint8)
    weights = None
    if runs[chunk[0][1]].weights is not None:
        weights = np.array([runs[k].weights[i] for _, k, i in chunk], dtype=np.float64)  # type: ignore[index]
    return digest_rows(
        ids.reshape(len(chunk), size),
        np.array([len(text) for text, _, _ in chunk], dtype=np.int64),
        np.array([kind_maps[k][runs[k].kinds[i]] for _, k, i in chunk], dtype=np.intp),
        tails,
        weights,
    )
