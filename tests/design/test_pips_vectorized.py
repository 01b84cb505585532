"""The vectorized πps selection equals the exact-Fraction reference, unit for unit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample.design import exact_inclusion_probabilities
from randsample.design._pips import _scaled, pips_select, systematic_select

_WEIGHTS = st.one_of(
    st.integers(0, 50).map(float),  # integer weights and zeros (the int64 path)
    st.sampled_from([0.0, 0.1, 0.25, 1 / 3, 2.5, 1e-300, 5e-324, 1e300, 7.0]),  # object path
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60)
@given(st.lists(_WEIGHTS, min_size=1, max_size=40), st.data())
def test_equals_fraction_reference(weights, data):
    """Selections and probabilities equal exact_inclusion_probabilities + systematic_select,
    for every feasible size and a random start (any exponent range, ties, zeros)."""
    from fractions import Fraction

    positive = sum(1 for w in weights if w > 0)
    size = data.draw(st.integers(0, positive))
    start = data.draw(st.integers(0, 2**256 - 1))
    array = np.array(weights, dtype=np.float64)
    pik = exact_inclusion_probabilities(weights, size)
    chosen = systematic_select(pik, Fraction(start, 2**256)) if size else []
    expected = [(k, pik[k]) for k in chosen]
    assert expected == pips_select(array, size, start)


def test_scaled_weights_are_exact():
    """Scaled weights are integers proportional to the weights, int64 when they fit."""
    small, shift = _scaled(np.array([1.0, 2.5, 0.0]))
    assert [2, 5, 0] == small.tolist()
    assert 1 == shift
    assert np.int64 == small.dtype
    wide, shift = _scaled(np.array([1e300, 5e-324]))
    assert object == wide.dtype
    assert [int(1e300) << shift, 1] == wide.tolist()


def test_exact_boundaries_are_resolved_exactly():
    """Cumulated probabilities that land exactly on the start points (equal decimal weights,
    start 0 or 1/2) are decided in exact arithmetic, as the reference decides them."""
    from fractions import Fraction

    weights = [0.1] * 40
    pik = exact_inclusion_probabilities(weights, 20)
    for start in (0, 2**255, 2**256 - 1):
        expected = [(k, pik[k]) for k in systematic_select(pik, Fraction(start, 2**256))]
        assert expected == pips_select(np.array(weights), 20, start)
