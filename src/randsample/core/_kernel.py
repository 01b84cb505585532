"""Compiled ticket kernels: the same tickets as :mod:`hashlib`, bit for bit, without Python.

``ticket(k, id) = SHA-256(k || lp(UTF-8(id)))`` (spec section 3) is computed by a loop over a
contiguous UTF-8 buffer with start and end offsets per id (the layout of an Arrow string
column), so no Python object is made per id. Two compiled kernels exist, both needing the
optional ``numba`` package (the ``kernel`` extra, installed from wheels):

* ``"openssl"``: a numba loop that calls the SHA-256 block functions of the OpenSSL library
  Python's own :mod:`hashlib` uses (``SHA256_Init/Update/Final``), which run on the CPU's
  SHA instructions where present. About 55 ns per 18-byte id on the reference machine, 0.2x a
  bare ``hashlib`` loop.
* ``"numba"``: SHA-256 (FIPS 180-4) written out in numba, for platforms where that library
  cannot be loaded. About 0.9x the bare loop: it saves the Python overhead only.

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
import sys
from collections.abc import Callable
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InvalidInputError, MissingDependencyError, RandsampleError

__all__ = ["KERNELS", "KernelName", "TicketKernel", "ticket_kernel", "utf8_buffer"]

#: Kernel names, best first; ``"hashlib"`` is the reference (a Python loop).
KernelName = Literal["auto", "openssl", "numba", "hashlib"]
KERNELS: tuple[str, ...] = ("openssl", "numba", "hashlib")

_K = (
    "428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5 "
    "d807aa98 12835b01 243185be 550c7dc3 72be5d74 80deb1fe 9bdc06a7 c19bf174 "
    "e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da "
    "983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967 "
    "27b70a85 2e1b2138 4d2c6dfc 53380d13 650a7354 766a0abb 81c2c92e 92722c85 "
    "a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070 "
    "19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3 "
    "748f82ee 78a5636f 84c87814 8cc70208 90befffa a4506ceb bef9a3f7 c67178f2"
)
_H0 = "6a09e667 bb67ae85 3c6ef372 a54ff53a 510e527f 9b05688c 1f83d9ab 5be0cd19"

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
    joined = "\x00".join(ids).encode("utf-8")
    data = np.frombuffer(joined, dtype=np.uint8)
    separators = np.flatnonzero(data == 0)
    if separators.shape[0] != max(len(ids) - 1, 0):
        raise InvalidInputError("ids", "NUL", "an identifier contains U+0000")
    starts = np.empty(len(ids), dtype=np.int64)
    ends = np.empty(len(ids), dtype=np.int64)
    if ids:
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
    # The reference: one hashlib call per id.
    subkey = key.tobytes()
    raw = data.tobytes()
    sha256 = hashlib.sha256
    digests = b"".join(
        [
            sha256(subkey + (e - s).to_bytes(4, "big") + raw[s:e]).digest()
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
        ]
    )
    out.reshape(-1)[:] = np.frombuffer(digests, dtype=np.uint8)


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
            functions = (lib.SHA256_Init, lib.SHA256_Update, lib.SHA256_Final)
        except (OSError, AttributeError):
            continue
        signatures: list[list[Any]] = [
            [ctypes.c_void_p],
            [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t],
            [ctypes.c_void_p, ctypes.c_void_p],
        ]
        for function, argtypes in zip(functions, signatures, strict=True):
            function.argtypes = argtypes
            function.restype = ctypes.c_int
        return functions
    return None


def _numba() -> Any:
    try:
        import numba
    except ImportError:
        return None
    return numba


@functools.cache
def _compile(name: str) -> Fill | None:
    """Compile kernel ``name``; None if what it needs is not installed here."""
    if name == "hashlib":
        return _hashlib_loop
    numba = _numba()
    if numba is None:
        return None
    if name == "openssl":
        functions = _libcrypto()
        return None if functions is None else _openssl_loop(numba, *functions)
    return _sha256_loop(numba)


def _openssl_loop(numba: Any, init: Any, update: Any, final: Any) -> Fill:
    @numba.njit(nogil=True)  # type: ignore[untyped-decorator]
    def loop(
        key: Any, data: Any, starts: Any, ends: Any, out: Any
    ) -> None:  # pragma: no cover - compiled
        width = key.shape[0]
        longest = 0
        for i in range(starts.shape[0]):
            longest = max(longest, ends[i] - starts[i])
        buffer = np.empty(width + 4 + longest, np.uint8)
        context = np.empty(256, np.uint8)  # SHA256_CTX is 112 bytes
        buffer[:width] = key
        for i in range(starts.shape[0]):
            start = starts[i]
            length = ends[i] - start
            buffer[width] = (length >> 24) & 255
            buffer[width + 1] = (length >> 16) & 255
            buffer[width + 2] = (length >> 8) & 255
            buffer[width + 3] = length & 255
            buffer[width + 4 : width + 4 + length] = data[start : start + length]
            init(context.ctypes.data)
            update(context.ctypes.data, buffer.ctypes.data, width + 4 + length)
            final(out[i].ctypes.data, context.ctypes.data)

    return loop  # type: ignore[no-any-return]


def _sha256_loop(numba: Any) -> Fill:
    k_table = np.array([int(x, 16) for x in _K.split()], dtype=np.uint32)
    h0_table = np.array([int(x, 16) for x in _H0.split()], dtype=np.uint32)
    u32 = np.uint32

    @numba.njit(inline="always")  # type: ignore[untyped-decorator]
    def rotr(x: Any, n: int) -> Any:  # pragma: no cover - compiled
        return u32((x >> u32(n)) | (x << u32(32 - n)))

    @numba.njit(inline="always")  # type: ignore[untyped-decorator]
    def compress(state: Any, w: Any, k: Any) -> None:  # pragma: no cover - compiled
        for t in range(16, 64):
            x, y = w[t - 15], w[t - 2]
            s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> u32(3))
            s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> u32(10))
            w[t] = u32(w[t - 16] + s0 + w[t - 7] + s1)
        a, b, c, d, e, f, g, h = (
            state[0],
            state[1],
            state[2],
            state[3],
            state[4],
            state[5],
            state[6],
            state[7],
        )
        for t in range(64):
            t1 = u32(h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + u32((e & f) ^ (~e & g)))
            t1 = u32(t1 + k[t] + w[t])
            t2 = u32((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c)))
            h, g, f, e, d, c, b, a = g, f, e, u32(d + t1), c, b, a, u32(t1 + t2)
        for j, v in enumerate((a, b, c, d, e, f, g, h)):
            state[j] = u32(state[j] + v)

    @numba.njit(nogil=True, cache=True)  # type: ignore[untyped-decorator]
    def loop(
        key: Any, data: Any, starts: Any, ends: Any, out: Any
    ) -> None:  # pragma: no cover - compiled
        width = key.shape[0]
        longest = 0
        for i in range(starts.shape[0]):
            longest = max(longest, ends[i] - starts[i])
        message = np.empty(((width + 4 + longest + 9 + 63) // 64) * 64, np.uint8)
        w = np.empty(64, np.uint32)
        state = np.empty(8, np.uint32)
        message[:width] = key
        for i in range(starts.shape[0]):
            start = starts[i]
            length = ends[i] - start
            total = width + 4 + length
            blocks = (total + 9 + 63) // 64
            message[width] = (length >> 24) & 255
            message[width + 1] = (length >> 16) & 255
            message[width + 2] = (length >> 8) & 255
            message[width + 3] = length & 255
            message[width + 4 : total] = data[start : start + length]
            message[total] = 0x80  # FIPS 180-4 padding: 1 bit, zeros, 64-bit bit length
            end = blocks * 64
            message[total + 1 : end - 8] = 0
            bits = total * 8
            for j in range(8):
                message[end - 1 - j] = (bits >> (8 * j)) & 255
            state[:] = h0_table
            for block in range(blocks):
                o = block * 64
                for t in range(16):
                    w[t] = (
                        (u32(message[o + 4 * t]) << u32(24))
                        | (u32(message[o + 4 * t + 1]) << u32(16))
                        | (u32(message[o + 4 * t + 2]) << u32(8))
                        | u32(message[o + 4 * t + 3])
                    )
                compress(state, w, k_table)
            for j in range(8):
                v = state[j]
                out[i, 4 * j] = (v >> u32(24)) & u32(255)
                out[i, 4 * j + 1] = (v >> u32(16)) & u32(255)
                out[i, 4 * j + 2] = (v >> u32(8)) & u32(255)
                out[i, 4 * j + 3] = v & u32(255)

    return loop  # type: ignore[no-any-return]


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
