"""Random streams: determinism, spec byte layout, exact uniformity by rejection."""

from __future__ import annotations

import hashlib
from collections import Counter
from fractions import Fraction

import pytest

from randsample.core import RandomStream
from randsample.errors import InvalidInputError, InvalidTypeError

KEY = hashlib.sha256(b"stream test").digest()


def test_first_block_matches_the_spec_layout():
    """randbelow(2**256) returns block 0 itself: SHA-256(tag || subkey || lp(label) || u64be(0))."""
    label = b"assignment/V-0001"
    expected = hashlib.sha256(
        b"randsample/v1/stream\x00" + KEY + len(label).to_bytes(4, "big") + label + bytes(8)
    ).digest()
    assert int.from_bytes(expected, "big") == RandomStream(KEY, "assignment/V-0001").randbelow(
        2**256
    )


def test_deterministic_and_label_separated():
    """Same key and label: same stream; another label: another stream."""
    a = [RandomStream(KEY, "x").randbelow(1000) for _ in range(1)]
    b = RandomStream(KEY, "x")
    assert a == [b.randbelow(1000)]
    first = RandomStream(KEY, "x")
    second = RandomStream(KEY, "y")
    assert [first.randbelow(2**64) for _ in range(4)] != [second.randbelow(2**64) for _ in range(4)]


def test_rejection_consumes_extra_blocks_only_when_needed():
    """With m just above 2**255 about half the blocks are rejected, so more blocks are used."""
    stream = RandomStream(KEY, "reject")
    for _ in range(200):
        assert 0 <= stream.randbelow(2**255 + 1) <= 2**255
    assert stream.blocks_used > 250


def test_uniform_and_bernoulli_frequencies():
    """Small-sample sanity: all residues appear; bernoulli(1/3) is near 1/3; 0 and 1 are exact."""
    stream = RandomStream(KEY, "freq")
    counts = Counter(stream.randbelow(6) for _ in range(6000))
    assert set(range(6)) == set(counts)
    assert all(850 < c < 1150 for c in counts.values())
    hits = sum(stream.bernoulli(Fraction(1, 3)) for _ in range(3000))
    assert 900 < hits < 1100
    used = stream.blocks_used
    assert stream.bernoulli(Fraction(0)) is False
    assert stream.bernoulli(Fraction(1)) is True
    assert used == stream.blocks_used


@pytest.mark.parametrize(
    ("m", "error"),
    [(0, InvalidInputError), (2**256 + 1, InvalidInputError), (1.5, InvalidTypeError)],
)
def test_bad_bounds(m, error):
    """m outside [1, 2**256] or not an integer is a typed error."""
    with pytest.raises(error):
        RandomStream(KEY, "bad").randbelow(m)
