"""Compiled ticket kernels: the same tickets as :mod:`hashlib`, bit for bit, without Python.

``ticket(k, id) = SHA-256(k || lp(UTF-8(id)))`` (spec section 3) is computed by a loop over a
contiguous UTF-8 buffer with start and end offsets per id (the layout of an Arrow string
column), so no Python object is made per id. Two compiled kernels exist, both needing the
optional ``numba`` package (the ``kernel`` extra, installed from wheels):

* ``"openssl"``: a numba loop that pads each message itself and calls the SHA-256 block
  function of the OpenSSL library Python's own :mod:`hashlib` uses (``SHA256_Transform``),
  which runs on the CPU's SHA instructions where present. About 55 ns per 18-byte id on the
  reference machine (one block; ``SHA256_Init/Update/Final`` per id took 70 ns), 0.2x a bare
  ``hashlib`` loop; about 0.3x for 10-character Chinese names (two blocks).
* ``"numba"``: SHA-256 (FIPS 180-4) written out in numba, for platforms where that library
  cannot be loaded. About 0.65x the bare loop per core.

The loops are compiled by numba on first use and cached on disk (:mod:`randsample.core._jit`):
the first process of an installation pays about 3 s per kernel, later processes about 0.1 s
(the ``import numba`` itself adds about 0.2 s).

:func:`ticket_kernel` returns the best available one, after checking it against
:mod:`hashlib` on known vectors (a disagreement raises: it is never silently used or
skipped). The ``hashlib`` path in :mod:`randsample.core` stays the reference implementation
and the fallback when ``numba`` is not installed. Kernels release the GIL, so several
threads can hash disjoint parts of a column at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import os
import sys
from collections.abc import Callable
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InvalidInputError, InvalidTypeError, MissingDependencyError, RandsampleError

__all__ = [
    "KERNELS",
    "KernelName",
    "TicketKernel",
    "split_joined",
    "ticket_kernel",
    "usable_cores",
    "utf8_buffer",
]

#: Kernel names, best first; ``"hashlib"`` is the reference (a Python loop).
KernelName = Literal["auto", "openssl", "numba", "hashlib"]
KERNELS: tuple[str, ...] = ("openssl", "numba", "hashlib")

#: A kernel: (subkey bytes, UTF-8 buffer, starts, ends, out (n, 32)) -> None.
Fill = Callable[
    [
        npt.NDArray[np.uint8],
        npt.NDArray[np.uint8],
        npt.NDArray[np.int64],
        npt.NDArray[np.int64],
        npt.NDArray[np.uint8],
    ],
    None,
]


@attrs.frozen
class TicketKernel:
    """A checked ticket kernel: its name and the compiled loop.

    >>> kernel = ticket_kernel("hashlib")
    >>> data, starts, ends = utf8_buffer(["a", "统一"])
    >>> out = np.empty((2, 32), np.uint8)
    >>> kernel.fill(bytes(32), data, starts, ends, out)
    >>> kernel.name, bytes(out[1]) == hashlib.sha256(bytes(32) + lp_bytes("统一")).digest()
    ('hashlib', True)
    """

    name: str
    loop: Fill = attrs.field(repr=False)

    def fill(
        self,
        subkey: bytes,
        data: npt.NDArray[np.uint8],
        starts: npt.NDArray[np.int64],
        ends: npt.NDArray[np.int64],
        out: npt.NDArray[np.uint8],
    ) -> None:
        """Write the ticket of the id ``data[starts[i]:ends[i]]`` (UTF-8) into ``out[i]``."""
        if out.shape != (starts.shape[0], 32) or ends.shape != starts.shape:
            raise InvalidInputError("out", out.shape, f"expected ({starts.shape[0]}, 32)")
        key = np.frombuffer(subkey, dtype=np.uint8)
        self.loop(key, data, starts.astype(np.int64), ends.astype(np.int64), out)


def lp_bytes(text: str) -> bytes:
    """Return ``lp(UTF-8(text))`` (for examples and tests).

    >>> lp_bytes("ab").hex()
    '000000026162'
    """
    encoded = text.encode("utf-8")
    return len(encoded).to_bytes(4, "big") + encoded


def utf8_buffer(
    ids: list[str],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return ids as one UTF-8 buffer with start and end offsets, built in C.

    The ids are joined with NUL, which no valid id contains (spec section 1); the offsets are
    found from the NULs. An id containing NUL is refused.

    >>> data, starts, ends = utf8_buffer(["ab", "统"])
    >>> bytes(data[starts[1]:ends[1]]).decode(), starts.tolist(), ends.tolist()
    ('统', [0, 3], [2, 6])
    """
    return split_joined("\x00".join(ids).encode("utf-8"), len(ids))


def split_joined(
    joined: bytes, count: int
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    r"""Return the buffer and offsets of ``count`` UTF-8 ids joined with NUL.

    This part of :func:`utf8_buffer` is numpy work that releases the GIL, so another thread
    can do it while the ids of the next chunk are being joined.

    >>> data, starts, ends = split_joined(b"ab\x00c", 2)
    >>> starts.tolist(), ends.tolist()
    ([0, 3], [2, 4])
    """
    data = np.frombuffer(joined, dtype=np.uint8)
    separators = np.flatnonzero(data == 0)
    if separators.shape[0] != max(count - 1, 0):
        raise InvalidInputError("ids", "NUL", "an identifier contains U+0000")
    starts = np.empty(count, dtype=np.int64)
    ends = np.empty(count, dtype=np.int64)
    if count:
        starts[0] = 0
        starts[1:] = separators + 1
        ends[:-1] = separators
        ends[-1] = data.shape[0]
    return data, starts, ends


def _hashlib_loop(
    key: npt.NDArray[np.uint8],
    data: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    out: npt.NDArray[np.uint8],
) -> None:
    # The reference: one hashlib digest per id, from a copy of a hasher already fed
    # ``subkey || lp-length`` (one per distinct length; cheaper than hashing a prefixed copy
    # of each id, see ``core._tickets``).
    subkey = key.tobytes()
    raw = data.tobytes()
    sha256 = hashlib.sha256
    fed = {n: sha256(subkey + n.to_bytes(4, "big")).copy for n in set((ends - starts).tolist())}
    digests: list[bytes] = []
    append = digests.append
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        hasher = fed[e - s]()
        hasher.update(raw[s:e])
        append(hasher.digest())
    out.reshape(-1)[:] = np.frombuffer(b"".join(digests), dtype=np.uint8)


def _libcrypto() -> Any:
    # The OpenSSL library that hashlib itself uses is already loaded in this process; open
    # it by the names it has on Linux, macOS and Windows builds of CPython.
    import _hashlib  # noqa: F401  # makes sure libcrypto is loaded

    names = [ctypes.util.find_library("crypto"), "libcrypto.so.3", "libcrypto.so.1.1"]
    if sys.platform == "win32":  # pragma: no cover - platform specific
        names += ["libcrypto-3-x64", "libcrypto-3", "libcrypto-1_1-x64"]
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        names += ["libcrypto.3.dylib", "libcrypto.dylib"]
    for name in names:
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            transform = lib.SHA256_Transform  # deprecated in OpenSSL 3, still exported
        except (OSError, AttributeError):
            continue
        transform.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        transform.restype = None
        return (transform,)
    return None


def _numba() -> Any:
    try:
        import numba
    except ImportError:
        return None
    return numba


@functools.cache
def _compile(name: str) -> Fill | None:
    """Return kernel ``name``'s loop; None if what it needs is not installed here."""
    if name == "hashlib":
        return _hashlib_loop
    if _numba() is None:
        return None
    from . import _jit  # the loops, cached on disk by numba (see that module)

    if name == "openssl":
        functions = _libcrypto()
        if functions is None:
            return None
        _jit.bind_openssl(functions)
        return _jit.fill_openssl  # type: ignore[no-any-return]
    return _jit.fill_sha256  # type: ignore[no-any-return]


_SELF_TEST = ["91350100M000100Y43", "统一社会信用代码", "a" * 300, "Ｆｕｌｌ", "x", "深" * 100]


@functools.cache
def _checked(name: str) -> TicketKernel | None:
    loop = _compile(name)
    if loop is None:
        return None
    kernel = TicketKernel(name, loop)
    key = hashlib.sha256(b"randsample kernel self-test").digest()
    data, starts, ends = utf8_buffer(_SELF_TEST)
    out = np.empty((len(_SELF_TEST), 32), dtype=np.uint8)
    kernel.fill(key, data, starts, ends, out)
    for row, ident in zip(out, _SELF_TEST, strict=True):
        if bytes(row) != hashlib.sha256(key + lp_bytes(ident)).digest():  # pragma: no cover
            raise RandsampleError(
                f"ticket kernel {name!r} disagrees with hashlib on {ident[:20]!r}: not used"
            )
    return kernel


def ticket_kernel(name: KernelName = "auto") -> TicketKernel:
    """Return a ticket kernel checked against :mod:`hashlib`: ``name``, or the best one here.

    ``"auto"`` picks ``"openssl"``, else ``"numba"``, else the ``"hashlib"`` reference loop.
    Asking for a compiled kernel that cannot be built here raises
    :class:`~randsample.errors.MissingDependencyError`.

    >>> ticket_kernel("hashlib").name
    'hashlib'
    >>> ticket_kernel().name in KERNELS
    True
    """
    if not isinstance(name, str):
        raise InvalidTypeError("kernel", name, f"'auto' or one of {list(KERNELS)}")
    if name == "auto":
        for candidate in KERNELS:
            kernel = _checked(candidate)
            if kernel is not None:
                return kernel
    if name not in KERNELS:
        raise InvalidInputError("kernel", name, f"expected 'auto' or one of {list(KERNELS)}")
    kernel = _checked(name)
    if kernel is None:
        raise MissingDependencyError(f"the {name!r} ticket kernel", "numba", "kernel")
    return kernel


def usable_cores() -> int:
    """Return how many CPU cores this process may run on (its affinity, where the OS has one).

    Not ``os.cpu_count()``: a process pinned to one core (``taskset``, a container's cpuset)
    would then start a second thread that only competes with the first.

    >>> usable_cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1
