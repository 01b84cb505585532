"""Entropy rules beyond version 1 (``docs/spec.md`` section 15): weak secrets, entropy digits.

These rules judge seed material when a seed is *made* (refused unless overridden) and when a
record is *verified* (said in the verdict). They never change whether a v1 record re-derives:
the v1 rules of section 2.4 and the ``low_entropy_allowed`` flag they define are frozen.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from ..errors import InvalidTypeError

__all__ = [
    "MIN_DISTINCT_BYTES",
    "MIN_SEED_BYTES",
    "secret_weakness",
    "value_entropy_digits",
]

#: Raw seeds and committed secrets must have at least this many bytes (128 bits).
MIN_SEED_BYTES = 16
#: Fewer distinct byte values than this in a >=16-byte seed means it was typed, not drawn
#: (a uniformly random 16-byte string has >= 8 distinct bytes with probability > 1 - 1e-11).
MIN_DISTINCT_BYTES = 8
#: Runs of this many equal digits or more count as one entropy digit (spec section 15.3).
_RUN = 4
_RUNS = re.compile(r"0+|1+|2+|3+|4+|5+|6+|7+|8+|9+")


def secret_weakness(secret: bytes) -> str | None:
    """Say why ``secret`` looks chosen by a person rather than drawn (spec 15.2), or None.

    A secret is *weak* when it breaks the raw-seed rule of section 2.4 (fewer than 16 bytes or
    8 distinct byte values), when it is text (it decodes as UTF-8 without any control byte
    0x00-0x1F or 0x7F: a typed password, or hex or base64 written as text), when its bytes
    form an arithmetic progression modulo 256 (``00 01 02 ...``), or when it repeats a block
    (``b[i] == b[i + p]`` for some period ``p <= len / 2``). 32 bytes from a CSPRNG are
    text with probability below 1e-12.

    >>> secret_weakness(b"qinghe-2026-11-A")
    'it is text (a typed password or a written-out number)'
    >>> secret_weakness(bytes(range(16)))
    'its bytes form an arithmetic progression'
    >>> secret_weakness(bytes.fromhex("d2a94c1e8b7f3065a1c4e9b2d7f08e36")) is None
    True
    """
    if not isinstance(secret, bytes):
        raise InvalidTypeError("secret", secret, "bytes")
    if len(secret) < MIN_SEED_BYTES:
        return f"it has {len(secret)} bytes, fewer than {MIN_SEED_BYTES}"
    if len(set(secret)) < MIN_DISTINCT_BYTES:
        return f"it has {len(set(secret))} distinct byte values, fewer than {MIN_DISTINCT_BYTES}"
    try:
        secret.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not any(b < 0x20 or b == 0x7F for b in secret):
            return "it is text (a typed password or a written-out number)"
    steps = {(b - a) % 256 for a, b in itertools.pairwise(secret)}
    if len(steps) == 1:
        return "its bytes form an arithmetic progression"
    for period in range(1, len(secret) // 2 + 1):
        if secret[period:] == secret[:-period]:
            return f"it repeats a block of {period} bytes"
    return None


def value_entropy_digits(values: Iterable[str]) -> int:
    """Entropy digits of canonical source values (spec 15.3): runs of one digit count once.

    Every value counts, a repeated one each time (as in spec 2.4: a lottery's blue ball may
    equal one of its red balls); ``0`` counts nothing; within a value, every run of three or
    more equal digits counts as one digit.

    >>> value_entropy_digits(["10000000000000000000", "7", "7"])
    4
    """
    total = 0
    for value in values:
        if value != "0":
            total += sum(1 if len(run) >= _RUN else len(run) for run in _RUNS.findall(value))
    return total
