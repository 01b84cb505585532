"""Seeded random streams for choices that are not per-unit tickets (e.g. dependent rounding).

A :class:`RandomStream` is a counter-mode SHA-256 generator keyed by a sub-key and a label:
block ``i`` is ``SHA-256("randsample/v1/stream" || 0x00 || subkey || lp(UTF-8(label)) ||
u64be(i))``, read as a 256-bit unsigned big-endian integer. Integers below ``m`` are drawn by
rejection (exactly uniform), and a Bernoulli trial with a rational probability ``p/q`` is
``randbelow(q) < p`` (exact). Every draw consumes whole blocks in order, so any program that
follows ``docs/spec.md`` reproduces the stream; no floating point is involved.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError
from ._encoding import lp
from ._identifiers import check_id

__all__ = ["RandomStream"]

_TAG = b"randsample/v1/stream\x00"
_BLOCK_BITS = 256


class RandomStream:
    """A reproducible stream of exact random choices for one purpose-specific label.

    >>> stream = RandomStream(bytes(32), "assignment/visit V-0001")
    >>> [stream.randbelow(6) for _ in range(5)]
    [4, 4, 5, 3, 0]
    """

    def __init__(self, subkey: bytes, label: str) -> None:
        check.subkey(subkey)
        check_id(label, field="label")
        self._prefix = _TAG + subkey + lp(label.encode("utf-8"))
        self._counter = 0

    @property
    def blocks_used(self) -> int:
        """How many 256-bit blocks have been consumed (part of the specified behaviour)."""
        return self._counter

    def _block(self) -> int:
        digest = hashlib.sha256(self._prefix + self._counter.to_bytes(8, "big")).digest()
        self._counter += 1
        return int.from_bytes(digest, "big")

    def randbelow(self, m: int) -> int:
        """Return a uniform integer in ``[0, m)`` (``m`` up to 2**256), by rejection sampling.

        A block ``B`` is accepted when ``B < m * floor(2**256 / m)``; the result is ``B mod m``.
        """
        check.integer(m, "m", minimum=1, maximum=2**_BLOCK_BITS)
        limit = m * (2**_BLOCK_BITS // m)
        while True:
            block = self._block()
            if block < limit:
                return block % m

    def bernoulli(self, p: Fraction) -> bool:
        """Return True with probability exactly ``p`` (a rational in [0, 1]).

        >>> RandomStream(bytes(32), "coin").bernoulli(Fraction(1, 2))
        True
        """
        if not isinstance(p, Fraction):
            raise InvalidTypeError("p", p, "a Fraction")
        if not 0 <= p <= 1:
            raise InvalidInputError("p", p, "must be in [0, 1]")
        if p in (0, 1):
            return bool(p)  # no block consumed: certain outcomes need no randomness
        return self.randbelow(p.denominator) < p.numerator
