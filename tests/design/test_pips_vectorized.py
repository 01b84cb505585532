"""The vectorized πps selection equals the exact-Fraction reference, unit for unit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample.design import exact_inclusion_probabilities
from randsample.design._pips import _Scaled, _scaled, _select, pips_select, systematic_select

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


def _exact_integers(weights):
    """The scaled integers X_k of _scaled (any representation) and the common factor X/w."""
    from fractions import Fraction

    scaled = _scaled(np.array(weights, dtype=np.float64))
    values = scaled.ints(list(range(len(weights))))
    ratios = {Fraction(x) / Fraction(w) for x, w in zip(values, weights, strict=True) if w > 0}
    return scaled, values, ratios


def test_scaled_weights_are_exact():
    """Scaled weights are integers proportional to the weights: int64 when they fit, two
    int64 limbs when their sums fit, else Python integers (zeros stay 0)."""
    small, values, ratios = _exact_integers([1.0, 2.5, 0.0])
    assert [2, 5, 0] == values
    assert (np.int64, None) == (small.high.dtype, small.low)
    split, values, ratios = _exact_integers([0.01, 100.0, 12.35, 0.0])
    assert (np.int64, np.int64) == (split.high.dtype, getattr(split.low, "dtype", None))
    assert 1 == len(ratios)
    assert 0 == values[3]
    wide, values, ratios = _exact_integers([1e300, 5e-324])
    assert (object, None) == (wide.high.dtype, wide.low)
    assert [int(1e300) * 2**1074, 1] == values


_ODD = 3 * 2**51 + 1  # 53 bits, not close to a power of two (its log2 is not rounded up)


def _spanning(n, bits, fill):
    """n weights whose scaled integers reach exactly ``bits`` bits (the largest weight)."""
    low, high = _ODD * 2.0**-60, (_ODD + 2) * 2.0 ** (bits - 113)
    return [low, high, *(m * 2.0 ** (j - 60) for m, j in fill)][:n]


@settings(max_examples=60)
@given(st.integers(2, 300), st.sampled_from([-1, 0, 1]), st.data())
def test_limb_and_object_boundary(n, over, data):
    """At the limb limit (bits = 116 - 2 bitlength(n)) the weights take the limbs, one bit over
    it Python integers; either way the selection equals the exact object path's."""
    bits = 116 - 2 * n.bit_length() + over
    fill = data.draw(
        st.lists(
            st.tuples(st.integers(1, 2**52), st.integers(0, bits - 53)),
            min_size=n - 2,
            max_size=n - 2,
        )
    )
    weights = np.array(_spanning(n, bits, fill))
    scaled = _scaled(weights)
    assert (over <= 0) == (scaled.low is not None)
    size = data.draw(st.integers(1, n))
    start = data.draw(st.integers(0, 2**256 - 1))
    objects = list(zip(*_select(weights, _as_objects(weights), size, start), strict=True))
    assert objects == pips_select(weights, size, start)


def _as_objects(weights):
    """The scaled integers X_k = x_k 2**E as Python integers, computed independently of
    _scaled (the exact object path's input)."""
    from fractions import Fraction

    exact = [Fraction(w) for w in weights.tolist()]
    power = max(x.denominator.bit_length() - 1 for x in exact)  # denominators: powers of 2
    values = [int(x * 2**power) for x in exact]
    return _Scaled(np.array(values, dtype=object), None, 0)


_DECIMALS = st.builds(
    lambda m, d: m / 10.0**d, st.integers(0, 10**6), st.integers(0, 4)
) | st.builds(lambda p, q: p / q, st.integers(0, 10**9), st.integers(1, 10**4))


@settings(max_examples=150)
@given(st.lists(_DECIMALS, min_size=1, max_size=60), st.data())
def test_fast_paths_equal_object_path(weights, data):
    """On decimal and rational weights (whatever representation _scaled picks: int64, limbs or
    Python integers), the selection and every pi equal the exact object path's and the
    Fraction reference's, for a random size and start (also 0 and 1/2: exact boundaries)."""
    from fractions import Fraction

    positive = sum(1 for w in weights if w > 0)
    if not positive:
        return
    size = data.draw(st.integers(1, positive))
    start = data.draw(st.sampled_from([0, 2**255]) | st.integers(0, 2**256 - 1))
    array = np.array(weights, dtype=np.float64)
    pik = exact_inclusion_probabilities(weights, size)
    expected = [(k, pik[k]) for k in systematic_select(pik, Fraction(start, 2**256))]
    assert expected == list(zip(*_select(array, _as_objects(array), size, start), strict=True))
    assert expected == pips_select(array, size, start)


def test_exact_boundaries_are_resolved_exactly():
    """Cumulated probabilities that land exactly on the start points (equal decimal weights,
    start 0 or 1/2) are decided in exact arithmetic, as the reference decides them."""
    from fractions import Fraction

    weights = [0.1] * 40
    pik = exact_inclusion_probabilities(weights, 20)
    for start in (0, 2**255, 2**256 - 1):
        expected = [(k, pik[k]) for k in systematic_select(pik, Fraction(start, 2**256))]
        assert expected == pips_select(np.array(weights), 20, start)
