"""πps inclusion probabilities with iterative capping (R sampling::inclusionprobabilities)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.design import exact_inclusion_probabilities, inclusion_probabilities
from randsample.errors import InvalidInputError, InvalidTypeError, SampleSizeError


def r_inclusionprobabilities(a: np.ndarray, n: int) -> np.ndarray:
    """A line-by-line transcription of R's sampling::inclusionprobabilities (v2.10), in
    float64, for non-negative a. Used as the reference implementation."""
    pik1 = n * a / a.sum()
    list1 = pik1 > 0
    pik = pik1[list1]
    flags = pik >= 1
    count = int(flags.sum())
    if count > 0:
        previous = 0
        while count != previous:
            x = pik[~flags]
            x = x / x.sum()
            pik[~flags] = (n - count) * x
            pik[flags] = 1
            previous = count
            flags = pik >= 1
            count = int(flags.sum())
        pik1[list1] = pik
    return pik1


def test_textbook_example():
    """x = (1,2,3,4,5,20,30,50), n = 4 -> (1/15, 2/15, 3/15, 4/15, 5/15, 1, 1, 1) (Tillé 2006)."""
    expected = [Fraction(k, 15) for k in range(1, 6)] + [Fraction(1)] * 3
    assert expected == exact_inclusion_probabilities([1, 2, 3, 4, 5, 20, 30, 50], 4)


sizes_lists = st.lists(
    st.floats(0, 1e6, allow_nan=False, allow_subnormal=False), min_size=1, max_size=40
)


@given(sizes_lists, st.data())
def test_matches_r_to_1e12_and_sums_to_n(sizes, data):
    """Agrees with R's algorithm to 1e-12; exact values sum to n and lie in [0, 1]."""
    positive = sum(1 for x in sizes if x > 0)
    n = data.draw(st.integers(0, positive))
    exact = exact_inclusion_probabilities(sizes, n)
    assert n == sum(exact)
    assert all(0 <= p <= 1 for p in exact)
    if n > 0:
        reference = r_inclusionprobabilities(np.array(sizes, dtype=float), n)
        np.testing.assert_allclose(inclusion_probabilities(sizes, n), reference, rtol=0, atol=1e-12)


@given(sizes_lists, st.data())
def test_monotone_in_size_and_zero_sizes_get_zero(sizes, data):
    """A larger size never gets a smaller probability; a zero size gets zero."""
    n = data.draw(st.integers(0, sum(1 for x in sizes if x > 0)))
    pik = exact_inclusion_probabilities(sizes, n)
    pairs = sorted(zip(sizes, pik, strict=True))
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(pairs))
    assert all(p == 0 for x, p in zip(sizes, pik, strict=True) if x == 0)


@pytest.mark.parametrize(
    ("sizes", "n", "error", "fragment"),
    [
        ([1.0, -2.0], 1, InvalidInputError, r"sizes\[1\]"),
        ([1.0, float("nan")], 1, InvalidInputError, r"sizes\[1\]"),
        ([1.0, "2"], 1, InvalidTypeError, r"sizes\[1\]"),
        ([1.0, 0.0], 2, SampleSizeError, "1 units with a positive size"),
        ([1.0], -1, SampleSizeError, "n"),
        ([1.0], 1.0, InvalidTypeError, "n"),
    ],
)
def test_bad_input(sizes, n, error, fragment):
    """Negative, NaN or non-numeric sizes and impossible n are typed errors (R would shift
    negatives to zero with a warning)."""
    with pytest.raises(error, match=fragment):
        exact_inclusion_probabilities(sizes, n)
