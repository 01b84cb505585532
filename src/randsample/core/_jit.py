"""The compiled ticket kernels' loops (numba), over a UTF-8 buffer with start and end offsets.

Imported only when a compiled kernel is asked for (it imports :mod:`numba` at the top).

* :func:`fill_openssl` pads each message itself (FIPS 180-4 section 5.1.1) and calls OpenSSL's
  ``SHA256_Transform`` (one 64-byte block) by symbol name, once per block; the symbol is bound
  to the library hashlib uses by :func:`bind_openssl`, before the first call. An 18-byte id
  (a USCC) makes a 54-byte message, one block: the per-id ``SHA256_Init/Update/Final`` calls
  (their context set-up, buffering and padding) cost about a quarter of the time.
* :func:`fill_sha256` is SHA-256 (FIPS 180-4) written out, for where that library cannot be
  loaded.

Both live at module level, with constants and external functions as module globals, so that
numba caches the compiled code on disk (``cache=True``: next to this file, or in the user's
cache folder when that is not writable). The first process of an installation compiles each
loop (about 3 s); later ones load it (about 0.1 s). A loop built inside a function (a
closure), or one that calls a ctypes function object, would be compiled again in every
process.
"""

from __future__ import annotations

import ctypes
from typing import Any

import llvmlite.binding
import numba
import numpy as np
import numpy.typing as npt
from numba import types

__all__ = ["bind_openssl", "fill_openssl", "fill_sha256"]

_SYMBOLS = ("SHA256_Transform",)
# void SHA256_Transform(SHA256_CTX *c, const unsigned char block[64]): one compression of the
# chaining value c->h (eight native-endian 32-bit words at the start of the context).
_transform = types.ExternalFunction(_SYMBOLS[0], types.void(types.voidptr, types.voidptr))


def bind_openssl(functions: tuple[Any, ...]) -> None:
    """Bind the symbols :func:`fill_openssl` calls (``_SYMBOLS``) to these ctypes functions."""
    for name, function in zip(_SYMBOLS, functions, strict=True):
        llvmlite.binding.add_symbol(name, ctypes.cast(function, ctypes.c_void_p).value)


@numba.njit(inline="always", cache=True)  # type: ignore[untyped-decorator]
def _longest(starts: Any, ends: Any) -> int:  # pragma: no cover - compiled
    longest = 0
    for i in range(starts.shape[0]):
        longest = max(longest, ends[i] - starts[i])
    return longest


@numba.njit(inline="always", cache=True)  # type: ignore[untyped-decorator]
def _put_lp(buffer: Any, at: int, data: Any, start: int, length: int) -> int:  # pragma: no cover
    """Write ``lp(data[start:start+length])`` (spec 2: 4-byte big-endian length) at ``at``."""
    buffer[at] = (length >> 24) & 255
    buffer[at + 1] = (length >> 16) & 255
    buffer[at + 2] = (length >> 8) & 255
    buffer[at + 3] = length & 255
    buffer[at + 4 : at + 4 + length] = data[start : start + length]
    return at + 4 + length


def _words(text: str) -> npt.NDArray[np.uint32]:
    """FIPS 180-4 constants written as big-endian hex words, as uint32."""
    return np.frombuffer(bytes.fromhex(text), dtype=">u4").astype(np.uint32)


_K = _words(
    "428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5 "
    "d807aa98 12835b01 243185be 550c7dc3 72be5d74 80deb1fe 9bdc06a7 c19bf174 "
    "e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da "
    "983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967 "
    "27b70a85 2e1b2138 4d2c6dfc 53380d13 650a7354 766a0abb 81c2c92e 92722c85 "
    "a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070 "
    "19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3 "
    "748f82ee 78a5636f 84c87814 8cc70208 90befffa a4506ceb bef9a3f7 c67178f2"
)
_H0 = _words("6a09e667 bb67ae85 3c6ef372 a54ff53a 510e527f 9b05688c 1f83d9ab 5be0cd19")
_u32 = np.uint32


@numba.njit(inline="always", cache=True)  # type: ignore[untyped-decorator]
def _rotr(x: Any, n: int) -> Any:  # pragma: no cover - compiled
    return _u32((x >> _u32(n)) | (x << _u32(32 - n)))


@numba.njit(inline="always", cache=True)  # type: ignore[untyped-decorator]
def _compress(state: Any, w: Any) -> None:  # pragma: no cover - compiled
    for t in range(16, 64):
        x, y = w[t - 15], w[t - 2]
        s0 = _rotr(x, 7) ^ _rotr(x, 18) ^ (x >> _u32(3))
        s1 = _rotr(y, 17) ^ _rotr(y, 19) ^ (y >> _u32(10))
        w[t] = _u32(w[t - 16] + s0 + w[t - 7] + s1)
    a, b, c, d = state[0], state[1], state[2], state[3]
    e, f, g, h = state[4], state[5], state[6], state[7]
    for t in range(64):
        t1 = _u32(h + (_rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25)) + _u32((e & f) ^ (~e & g)))
        t1 = _u32(t1 + _K[t] + w[t])
        t2 = _u32((_rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c)))
        h, g, f, e, d, c, b, a = g, f, e, _u32(d + t1), c, b, a, _u32(t1 + t2)
    for j, v in enumerate((a, b, c, d, e, f, g, h)):
        state[j] = _u32(state[j] + v)


@numba.njit(nogil=True, cache=True)  # type: ignore[untyped-decorator]
def fill_sha256(key: Any, data: Any, starts: Any, ends: Any, out: Any) -> None:  # pragma: no cover
    """Write ``SHA-256(key || lp(data[starts[i]:ends[i]]))`` into ``out[i]``, in numba."""
    width = key.shape[0]
    message = np.empty(((width + 4 + _longest(starts, ends) + 9 + 63) // 64) * 64, np.uint8)
    w = np.empty(64, np.uint32)
    state = np.empty(8, np.uint32)
    message[:width] = key
    for i in range(starts.shape[0]):
        total = _put_lp(message, width, data, starts[i], ends[i] - starts[i])
        blocks = (total + 9 + 63) // 64
        message[total] = 0x80  # FIPS 180-4 padding: 1 bit, zeros, 64-bit bit length
        end = blocks * 64
        message[total + 1 : end - 8] = 0
        bits = total * 8
        for j in range(8):
            message[end - 1 - j] = (bits >> (8 * j)) & 255
        state[:] = _H0
        for block in range(blocks):
            o = block * 64
            for t in range(16):
                w[t] = (
                    (_u32(message[o + 4 * t]) << _u32(24))
                    | (_u32(message[o + 4 * t + 1]) << _u32(16))
                    | (_u32(message[o + 4 * t + 2]) << _u32(8))
                    | _u32(message[o + 4 * t + 3])
                )
            _compress(state, w)
        for j in range(8):
            v = state[j]
            out[i, 4 * j] = (v >> _u32(24)) & _u32(255)
            out[i, 4 * j + 1] = (v >> _u32(16)) & _u32(255)
            out[i, 4 * j + 2] = (v >> _u32(8)) & _u32(255)
            out[i, 4 * j + 3] = v & _u32(255)


@numba.njit(nogil=True, cache=True)  # type: ignore[untyped-decorator]
def fill_openssl(key: Any, data: Any, starts: Any, ends: Any, out: Any) -> None:  # pragma: no cover
    """Write ``SHA-256(key || lp(data[starts[i]:ends[i]]))`` into ``out[i]``, by OpenSSL.

    The padded message (FIPS 180-4 5.1.1: the bytes, 0x80, zeros, the 64-bit big-endian bit
    length) is built in one buffer whose key stays in place; each of its 64-byte blocks goes
    through ``SHA256_Transform`` from the initial hash value (5.3.3); the eight words of the
    result are written big-endian (6.2.2). Short ids are copied and padded byte by byte (a
    slice assignment costs more than an 18-byte copy), longer ones by slices.

    The padding repeats :func:`fill_sha256`'s on purpose: moved into a shared numba helper
    (inlined or not) it cost 15 ns per id, 52 -> 67 ns for an 18-character id (measured).
    """
    width = key.shape[0]
    message = np.zeros(((width + 4 + _longest(starts, ends) + 9 + 63) // 64) * 64, np.uint8)
    context = np.zeros(64, np.uint32)  # SHA256_CTX is 112 bytes; the state is its first 32
    message[:width] = key
    for i in range(starts.shape[0]):
        start = starts[i]
        length = ends[i] - start
        message[width] = (length >> 24) & 255
        message[width + 1] = (length >> 16) & 255
        message[width + 2] = (length >> 8) & 255
        message[width + 3] = length & 255
        at = width + 4
        if length > 24:
            message[at : at + length] = data[start : start + length]
        else:
            for j in range(length):
                message[at + j] = data[start + j]
        total = at + length
        end = ((total + 9 + 63) // 64) * 64
        message[total] = 0x80
        if end - 8 - total > 16:
            message[total + 1 : end - 8] = 0
        else:
            for j in range(total + 1, end - 8):
                message[j] = 0
        bits = total * 8
        for j in range(8):
            message[end - 1 - j] = (bits >> (8 * j)) & 255
        for j in range(8):
            context[j] = _H0[j]
        for block in range(0, end, 64):
            _transform(context.ctypes, message[block:].ctypes)
        for j in range(8):
            v = context[j]
            out[i, 4 * j] = (v >> _u32(24)) & _u32(255)
            out[i, 4 * j + 1] = (v >> _u32(16)) & _u32(255)
            out[i, 4 * j + 2] = (v >> _u32(8)) & _u32(255)
            out[i, 4 * j + 3] = v & _u32(255)
