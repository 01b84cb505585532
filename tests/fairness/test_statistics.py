"""The array statistics equal the scalar ones: scipy's binomtest, the old Holm and assess.

``binomtest_pvalues`` must give bit-for-bit the p-values of scalar
:func:`scipy.stats.binomtest` (same floating-point operations on the same values), so these
tests compare with ``==``. The per-stratum sum of squares is compared within 1e-12 relative:
the scalar code summed ``z**2`` (C ``pow``) with Python's ``sum``, the array code sums ``z*z``
with ``numpy.bincount``; both add in unit order, but ``pow`` and ``sum`` may round
differently from ``*`` and a plain running sum in the last bit (Python 3.12 made ``sum`` of
floats compensated).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import partial

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from randsample import draw_stratified, draw_stratified_pips
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.fairness import assess_counts, holm, run_design
from randsample.fairness._statistics import TEST_BLOCK, binomtest_pvalues, steps_for_tests
from randsample.fairness.foils import numpy_weighted_choice

from . import _reference
from .test_fairness import ANCHOR_POP, IDS, SRS_PI, SRS_POP, SRS_SIZES, SRS_STRATA, STATED, WEIGHTS

# p in (0, 1): round values that many units share, extremes, and arbitrary floats
probabilities = st.one_of(
    st.sampled_from([0.5, 0.25, 1 / 3, 0.07, 0.91, 1e-9, 1 - 1e-9, 0.01, 0.99]),
    st.floats(min_value=1e-12, max_value=1 - 1e-12, allow_nan=False),
)


@st.composite
def triples(draw: st.DrawFn) -> tuple[int, int, float]:
    n = draw(st.integers(min_value=1, max_value=5000))
    p = draw(probabilities)
    mean = n * p
    k = draw(
        st.one_of(
            st.integers(min_value=0, max_value=n),
            # near the mean, where the two tails balance and the tolerance matters
            st.integers(
                min_value=max(0, math.floor(mean) - 3), max_value=min(n, math.ceil(mean) + 3)
            ),
        )
    )
    return k, n, p


@given(st.lists(triples(), min_size=1, max_size=30))
def test_array_pvalues_equal_scalar_binomtest(cases):
    """Over random (k, n, p), the array p-values are exactly scipy's scalar binomtest's."""
    k, n, p = (list(column) for column in zip(*cases, strict=True))
    expected = [stats.binomtest(a, b, c).pvalue for a, b, c in cases]
    assert expected == binomtest_pvalues(k, n, p).tolist()


@given(triples(), st.integers(min_value=1, max_value=5))
def test_shared_triples_are_computed_once_and_agree(case, copies):
    """Repeated (k, n, p) among other values give the same p-value at every position."""
    k, n, p = case
    ks = [k] * copies + [0, n]
    values = binomtest_pvalues(ks, n, p).tolist()
    assert [stats.binomtest(x, n, p).pvalue for x in ks] == values


def test_pvalues_of_a_symmetric_case_and_the_mode():
    """At the mean the p-value is 1; p = 1/2 gives equal tails."""
    values = binomtest_pvalues([0, 5, 10], 10, 0.5).tolist()
    assert [stats.binomtest(k, 10, 0.5).pvalue for k in (0, 5, 10)] == values
    assert 1.0 == values[1]
    assert values[0] == values[2]


def test_pvalue_blocks_report_steps():
    """binomtest_pvalues calls step() once per part, even with nothing to compute."""
    calls: list[int] = []
    binomtest_pvalues([1, 2, 3], 10, 0.3, parts=2, step=lambda: calls.append(1))
    assert 2 == len(calls)
    binomtest_pvalues([], 10, 0.3, parts=3, step=lambda: calls.append(1))
    assert 5 == len(calls)
    assert 2 == steps_for_tests(1)
    assert 3 == steps_for_tests(TEST_BLOCK + 1)


@given(st.lists(st.floats(min_value=0, max_value=1), max_size=40))
def test_holm_equals_the_scalar_step_down(p_values):
    """The numpy Holm equals the scalar implementation exactly, ties included."""
    assert _reference.holm(p_values) == holm(p_values)


@given(st.lists(st.sampled_from([0.001, 0.01, 0.2, 1.0]), min_size=1, max_size=40))
def test_holm_with_ties_is_monotone_in_the_p_values(p_values):
    """Adjusted p-values are at least the raw ones and ordered like them."""
    adjusted = holm(p_values)
    assert all(a >= p for a, p in zip(adjusted, p_values, strict=True))
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    assert [adjusted[i] for i in order] == sorted(adjusted)


@pytest.mark.parametrize(
    ("values", "error", "match"),
    [
        ([0.1, 1.5], InvalidInputError, r"p_values\[1\]: must be in \[0, 1\], got 1.5"),
        ([0.1, math.nan], InvalidInputError, r"p_values\[1\]: .* got nan"),
        (["a"], InvalidTypeError, r"p_values: expected a sequence of p-values"),
        ([[0.1]], InvalidTypeError, r"p_values: expected a one-dimensional"),
    ],
)
def test_holm_refuses_bad_p_values(values, error, match):
    """holm raises typed errors for values outside [0, 1], text or nested lists."""
    with pytest.raises(error, match=match):
        holm(values)


def _assert_agrees_with_reference(result, stated, strata=None):
    """Every per-unit figure equals the scalar code's; strata sums within 1e-12."""
    counts = {u.unit: u.count for u in result.units}
    rows, sums = _reference.assess(counts, dict(stated), result.runs, strata, result.alpha)
    assert rows == [(u.unit, u.count, u.z, u.p_value, u.p_holm, u.flagged) for u in result.units]
    assert [(label, m, df) for label, m, df, _ in sums] == [
        (s.stratum, s.units, s.df) for s in result.strata
    ]
    for (_, _, df, chi), s in zip(sums, result.strata, strict=True):
        assert chi == pytest.approx(s.chi_square, rel=1e-12, abs=0)
        if df:
            assert stats.chi2.sf(chi, df) == pytest.approx(s.p_value, rel=1e-9)
        else:
            assert math.isnan(s.p_value)


def test_old_and_new_statistics_agree_on_the_anchor_fixtures():
    """On the existing fixtures (anchor πps, numpy foil, stratified SRS) both agree."""
    for draw, label in [
        (partial(draw_stratified_pips, ANCHOR_POP, {"A": 3}), "agree pips"),
        (numpy_weighted_choice(IDS, WEIGHTS, 3), "agree numpy"),
    ]:
        _assert_agrees_with_reference(run_design(draw, STATED, runs=500, seed_label=label), STATED)
    srs = run_design(
        partial(draw_stratified, SRS_POP, SRS_SIZES),
        SRS_PI,
        runs=300,
        seed_label="agree srs",
        strata=SRS_STRATA,
    )
    _assert_agrees_with_reference(srs, SRS_PI, SRS_STRATA)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([Fraction(0), Fraction(1), Fraction(1, 3), Fraction(7, 100), 0.5, 0.9]),
            st.integers(min_value=0, max_value=60),
            st.sampled_from(["A", "B"]),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_old_and_new_statistics_agree_on_random_counts(units):
    """On random counts (pi 0 and 1 included) assess_counts equals the scalar code."""
    stated = {f"u{i}": p for i, (p, _, _) in enumerate(units)}
    counts = {f"u{i}": k for i, (_, k, _) in enumerate(units)}
    strata = {f"u{i}": s for i, (_, _, s) in enumerate(units)}
    result = assess_counts(counts, stated, runs=60, strata=strata)
    _assert_agrees_with_reference(result, stated, strata)


def test_large_assess_counts_uses_few_distinct_tests():
    """100,000 units sharing 3 probabilities: results equal scalar binomtest per distinct pair."""
    rng = np.random.default_rng(5)
    p = rng.choice([0.01, 0.05, 0.5], 100_000)
    k = rng.binomial(400, p)
    stated = {f"u{i}": float(x) for i, x in enumerate(p)}
    counts = {f"u{i}": int(x) for i, x in enumerate(k)}
    result = assess_counts(counts, stated, runs=400)
    rows = result.to_rows()
    for i in rng.choice(100_000, 50, replace=False).tolist():
        assert stats.binomtest(int(k[i]), 400, float(p[i])).pvalue == rows[i]["p_value"]
