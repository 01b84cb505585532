"""Tickets: one 256-bit random number per unit, from a sub-key and the unit's identifier.

``ticket(k, id) = SHA-256(k || lp(UTF-8(id)))`` where ``k`` is a 32-byte sub-key
(:meth:`randsample.Seed.subkey`) and ``lp`` is the 4-byte big-endian length prefix. A ticket
depends on nothing but the sub-key and the unit's own identifier, so adding, removing or
reordering other units never changes it (Rivest's "consistent sampling" property, with a
byte-exact encoding instead of Python ``str()``).

Tickets are compared as 256-bit unsigned big-endian integers, i.e. as byte strings. Two equal
tickets would need a SHA-256 collision; should it ever happen, the unit whose UTF-8 identifier
is smaller (bytewise) comes first. No floating point is used anywhere on this path.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..errors import InvalidInputError
from ._encoding import lp
from ._identifiers import check_ids
from ._kernel import KernelName, TicketKernel, split_joined, ticket_kernel, usable_cores

__all__ = ["TICKET_BYTES", "ticket", "ticket_order", "tickets"]

#: Size of a ticket in bytes.
TICKET_BYTES = 32


def ticket(subkey: bytes, unit_id: str) -> bytes:
    """Return the 32-byte ticket of one unit.

    >>> key = bytes(32)
    >>> ticket(key, "91350100M000100Y43").hex()[:16]
    'd508c74167d2d412'
    """
    check.subkey(subkey)
    (checked,) = check_ids([unit_id], field="unit_id")
    return hashlib.sha256(subkey + lp(checked.encode("utf-8"))).digest()


_REFERENCE = ticket_kernel("hashlib")

# With kernel="auto", fewer ids than this are hashed by the reference loop even when a
# compiled kernel is installed: their loop takes under about 75 ms, so loading the kernel
# (about 0.3 s once per process) could not pay for itself on them.
_COMPILED_MIN_IDS = 1 << 18

# Tickets are computed in chunks written into one preallocated array, so that the peak memory
# is the output array plus one chunk of digests (not a million short-lived bytes objects).
_CHUNK = 1 << 16


def _fill_tickets(
    subkey: bytes, ids: list[str], out: npt.NDArray[np.uint8], kernel: TicketKernel
) -> None:
    if kernel.name != "hashlib":
        _fill_compiled(subkey, ids, out, kernel)
        return
    # The reference loop: per id one copy of a hasher already fed ``subkey || lp-length``
    # (one per distinct UTF-8 length in the chunk), one update and one digest. Measured 1.07x
    # (18-character codes) and 1.17x (Chinese names) the bare ``sha256(s.encode()).digest()``
    # loop, against 1.26x and 1.36x for ``sha256(prefix + id)`` per id: copying a fed hasher
    # is cheaper than making one, and no prefixed copy of each id is made.
    sha256 = hashlib.sha256
    flat = out.reshape(-1)
    for start in range(0, len(ids), _CHUNK):
        encoded = list(map(str.encode, ids[start : start + _CHUNK]))
        fed = {n: sha256(subkey + n.to_bytes(4, "big")).copy for n in set(map(len, encoded))}
        digests: list[bytes] = []
        append = digests.append
        for e in encoded:  # the hot loop
            hasher = fed[len(e)]()
            hasher.update(e)
            append(hasher.digest())
        joined = b"".join(digests)
        flat[start * TICKET_BYTES : start * TICKET_BYTES + len(joined)] = np.frombuffer(
            joined, dtype=np.uint8
        )


def _fill_compiled(
    subkey: bytes, ids: list[str], out: npt.NDArray[np.uint8], kernel: TicketKernel
) -> None:
    # A compiled kernel reads the ids as one UTF-8 buffer per chunk. Joining and encoding a
    # chunk is C code that holds the GIL, so this thread does only that; finding the offsets
    # (numpy) and hashing (the kernel) release the GIL and are done by the pool's threads,
    # which hash chunk k while this one joins chunk k + 1. Chunks are small so that the
    # first join and the last hash, which nothing overlaps, are short. Every job writes only
    # its own rows of ``out``, so the tickets are the same bytes whatever the threads do.
    threads = min(2, usable_cores())
    if threads < 2 or len(ids) < 2 * _COMPILED_CHUNK:
        for start in range(0, len(ids), _COMPILED_CHUNK):
            chunk = ids[start : start + _COMPILED_CHUNK]
            joined = "\x00".join(chunk).encode("utf-8")
            _fill_chunk(subkey, chunk, joined, out[start : start + len(chunk)], kernel)
        return
    with ThreadPoolExecutor(threads) as pool:
        jobs: deque[Future[None]] = deque()
        for start in range(0, len(ids), _COMPILED_CHUNK):
            if len(jobs) > 2 * threads:  # a slow kernel: keep few joined chunks in memory
                jobs.popleft().result()  # re-raises a kernel's error here
            chunk = ids[start : start + _COMPILED_CHUNK]
            joined = "\x00".join(chunk).encode("utf-8")
            rows = out[start : start + len(chunk)]
            jobs.append(pool.submit(_fill_chunk, subkey, chunk, joined, rows, kernel))
        for job in jobs:
            job.result()


#: Ids per job of a compiled kernel: 32,768 (about 1 MiB of 30-byte ids) measured best on the
#: reference machine, against 16,384 and 65,536 to 262,144 (1M ids, two threads).
_COMPILED_CHUNK = 1 << 15


def _fill_chunk(
    subkey: bytes,
    chunk: list[str],
    joined: bytes,
    rows: npt.NDArray[np.uint8],
    kernel: TicketKernel,
) -> None:
    try:
        data, starts, ends = split_joined(joined, len(chunk))
    except InvalidInputError:  # an unchecked id with NUL: hash it the reference way
        _fill_tickets(subkey, chunk, rows, _REFERENCE)
        return
    kernel.fill(subkey, data, starts, ends, rows)


def tickets(
    subkey: bytes,
    ids: Sequence[str] | npt.NDArray[Any],
    *,
    validate: bool = True,
    kernel: KernelName = "auto",
) -> npt.NDArray[np.uint8]:
    """Return the tickets of many units as an ``(n, 32)`` array of bytes, in input order.

    Row ``i`` is ``ticket(subkey, ids[i])``; ``bytes(row)`` gives the ticket itself.
    ``validate=False`` skips the identifier checks for ids that were already checked (a
    :class:`randsample.Population` checks them once on construction). ``kernel`` chooses how
    the SHA-256 calls are made (:func:`randsample.core.ticket_kernel`): ``"auto"`` uses a
    compiled kernel when the ``kernel`` extra is installed and there are at least 262,144
    ids, else the ``"hashlib"`` reference loop; every kernel gives the same bytes.

    >>> t = tickets(bytes(32), ["a", "b"])
    >>> t.shape, bytes(t[0]) == ticket(bytes(32), "a")
    ((2, 32), True)
    """
    check.subkey(subkey)
    # A list is read as it is (never changed); anything else is copied into one.
    id_list = (
        ids.tolist() if isinstance(ids, np.ndarray) else ids if type(ids) is list else list(ids)
    )
    small = kernel == "auto" and len(id_list) < _COMPILED_MIN_IDS
    chosen = _REFERENCE if small else ticket_kernel(kernel)
    if validate:
        id_list = check_ids(id_list, field="ids")
    out = np.empty((len(id_list), TICKET_BYTES), dtype=np.uint8)
    _fill_tickets(subkey, id_list, out, chosen)
    return out


def ticket_order(
    ticket_array: npt.NDArray[np.uint8], *, ids: Sequence[str] | npt.NDArray[Any] | None = None
) -> npt.NDArray[np.intp]:
    """Return the indices that sort ``ticket_array`` ascending (as 256-bit integers).

    Ties, which need a SHA-256 collision, are broken by the UTF-8 bytes of ``ids``; if
    ``ids`` is not given and a tie occurs, :class:`InvalidInputError` is raised rather than
    guessing.

    >>> t = tickets(bytes(32), ["a", "b", "c"])
    >>> [bytes(t[i]) for i in ticket_order(t)] == sorted(bytes(r) for r in t)
    True
    """
    if ticket_array.ndim != 2 or ticket_array.shape[1] != TICKET_BYTES:
        raise InvalidInputError("tickets", ticket_array.shape, "expected shape (n, 32)")
    big_endian = np.ascontiguousarray(ticket_array).view(">u8")
    first = big_endian[:, 0].astype(np.uint64)  # the leading 64 bits decide almost always
    # Any sort will do: with distinct leading words the order is unique, and equal ones go to
    # the full comparison below (numpy's default sort is several times faster than "stable").
    order = np.argsort(first)
    head = first[order]
    if head.size < 2 or not np.any(head[1:] == head[:-1]):
        return order
    words = big_endian.astype(np.uint64)
    # A 64-bit prefix collision (expected about once in 2**32 draws of 2**16 units): fall
    # back to the full 256-bit comparison, then the identifier bytes.
    keys: list[npt.NDArray[np.uint64] | npt.NDArray[np.intp]] = []
    if ids is not None:
        id_bytes = [s.encode("utf-8") for s in ids]
        rank = np.empty(len(id_bytes), dtype=np.intp)
        rank[sorted(range(len(id_bytes)), key=id_bytes.__getitem__)] = np.arange(len(id_bytes))
        keys.append(rank)
    keys.extend([words[:, 3], words[:, 2], words[:, 1], words[:, 0]])
    order = np.lexsort(keys)
    if ids is None:
        full = words[order]
        if np.any(np.all(full[1:] == full[:-1], axis=1)):
            raise InvalidInputError(
                "tickets", "equal tickets", "a tie needs the ids to be broken; pass ids"
            )
    return order
