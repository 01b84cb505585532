"""Second-order inclusion probabilities of the registered designs (design._second_order)."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from randsample import InvalidInputError, InvalidTypeError, Population, Seed, draw_stratified
from randsample.design import (
    SYSTEMATIC_EXACT_LIMIT,
    draw_stratified_pips,
    exact_inclusion_probabilities,
    hartley_rao_joint_inclusion,
    sampford_joint_inclusion,
    srswor_joint_inclusion,
    stratified_srswor_joint_inclusion,
    systematic_joint_inclusion,
)
from randsample.design._pips import systematic_select


def brute_force(pik: list[Fraction]) -> list[list[Fraction]]:
    """pi_kl of randomized systematic sampling by brute force, independently of the module.

    Every order of the units is equally likely; for each order the selection (by the
    library's own systematic_select) is constant between consecutive breakpoints
    ``C_k mod 1`` of the start, so integrating over the start is a finite sum.
    """
    size = len(pik)
    joint = [[Fraction(0)] * size for _ in range(size)]
    orders = list(itertools.permutations(range(size)))
    for order in orders:
        ordered = [pik[k] for k in order]
        cumulative = Fraction(0)
        points = {Fraction(0), Fraction(1)}
        for p in ordered:
            cumulative += p
            points.add(cumulative - int(cumulative))
        points_sorted = sorted(points)
        for low, high in itertools.pairwise(points_sorted):
            chosen = [order[i] for i in systematic_select(ordered, (low + high) / 2)]
            for k in chosen:
                for j in chosen:
                    joint[k][j] += high - low
    return [[value / len(orders) for value in row] for row in joint]


@st.composite
def small_strata(draw: st.DrawFn) -> list[Fraction]:
    weights = draw(
        st.lists(st.one_of(st.integers(0, 9), st.just(60)), min_size=2, max_size=6).filter(
            lambda w: sum(1 for x in w if x > 0) >= 1
        )
    )
    positive = sum(1 for x in weights if x > 0)
    n = draw(st.integers(1, positive))
    return exact_inclusion_probabilities(weights, n)


def test_srswor_pair_probability() -> None:
    """Two units of one SRSWOR stratum: n(n-1)/(M(M-1)), exactly."""
    assert Fraction(3 * 2, 10 * 9) == srswor_joint_inclusion(10, 3)
    assert Fraction(1) == srswor_joint_inclusion(4, 4)
    assert Fraction(0) == srswor_joint_inclusion(7, 1)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((1, 1), "eligible"),
        ((5, 6), "sample_size"),
        ((5, -1), "sample_size"),
        ((5.0, 2), "eligible"),
    ],
)
def test_srswor_pair_refuses_bad_counts(args: tuple, field: str) -> None:
    """Impossible or mistyped counts raise a typed error naming the argument."""
    with pytest.raises((InvalidInputError, InvalidTypeError), match=field):
        srswor_joint_inclusion(*args)


def test_stratified_srswor_matrix() -> None:
    """Diagonal pi_k; same stratum n(n-1)/(M(M-1)); different strata pi_k pi_l."""
    ids = [f"u{i}" for i in range(9)]
    pop = Population.from_columns(ids, strata=["A"] * 5 + ["B"] * 4)
    sample = draw_stratified(pop, {"A": 3, "B": 2}, Seed.from_bytes(bytes(range(16))))
    joint = stratified_srswor_joint_inclusion(sample)
    units = sample.selection
    for i, a in enumerate(units):
        for j, b in enumerate(units):
            if i == j:
                expected = a.inclusion_probability
            elif a.stratum == b.stratum == "A":
                expected = Fraction(3 * 2, 5 * 4)
            elif a.stratum == b.stratum == "B":
                expected = Fraction(2 * 1, 4 * 3)
            else:
                expected = Fraction(3, 5) * Fraction(2, 4)
            assert expected == joint[i][j]


def test_stratified_srswor_matrix_refuses_pips() -> None:
    """The SRSWOR matrix is not silently computed for a πps sample."""
    pop = Population.from_columns(["a", "b", "c"], strata="A", weights=[1, 2, 3])
    sample = draw_stratified_pips(pop, {"A": 1}, Seed.from_bytes(bytes(range(16))))
    with pytest.raises(InvalidInputError, match=r"sample\.algorithm"):
        stratified_srswor_joint_inclusion(sample)


@settings(max_examples=60)
@given(small_strata())
def test_exact_systematic_equals_brute_force(pik: list[Fraction]) -> None:
    """The subset enumeration equals brute force over every order and start."""
    assert brute_force(pik) == systematic_joint_inclusion(pik)


@given(small_strata())
def test_exact_systematic_margins(pik: list[Fraction]) -> None:
    """Fixed size n: for every k, sum over l != k of pi_kl equals (n - 1) pi_k; symmetric."""
    joint = systematic_joint_inclusion(pik)
    n = sum(pik)
    for k, p in enumerate(pik):
        assert (n - 1) * p == sum(joint[k][j] for j in range(len(pik)) if j != k)
        assert all(joint[k][j] == joint[j][k] for j in range(len(pik)))
        assert p == joint[k][k]


def test_known_zero_pair() -> None:
    """Weights 1,1,2,2,2 with n = 2: the two weight-1 units are never drawn together."""
    pik = exact_inclusion_probabilities([1, 1, 2, 2, 2], 2)
    joint = systematic_joint_inclusion(pik)
    assert Fraction(0) == joint[0][1]
    assert Fraction(0) == brute_force(pik)[0][1]
    assert Fraction(1, 12) == joint[0][2]
    assert Fraction(1, 6) == joint[2][3]
    # Hartley-Rao, an approximation for large strata, misses it.
    assert hartley_rao_joint_inclusion(pik)[0, 1] > 0.01


def test_known_zero_pair_in_real_draws() -> None:
    """randsample's own draws on that stratum never contain both weight-1 units (400 seeds)."""
    pop = Population.from_columns(["a", "b", "c", "d", "e"], strata="S", weights=[1, 1, 2, 2, 2])
    pairs = Counter()
    for run in range(400):
        seed = Seed.from_bytes(hashlib.sha256(b"zero pair %d" % run).digest())
        pairs[draw_stratified_pips(pop, {"S": 2}, seed).ids] += 1
    together = sum(count for ids, count in pairs.items() if set(ids) == {"a", "b"})
    assert 0 == together
    assert sum(count for ids, count in pairs.items() if "a" in ids) > 60  # a is drawn often


def test_exact_systematic_limit() -> None:
    """More random units than max_units is refused, naming pik and the limit."""
    pik = [Fraction(1, 2)] * (SYSTEMATIC_EXACT_LIMIT + 2)
    with pytest.raises(InvalidInputError, match="max_units=16"):
        systematic_joint_inclusion(pik)
    # Certainty and zero units do not count towards the limit.
    pik = [Fraction(1, 2)] * 4 + [Fraction(1)] * 20 + [Fraction(0)] * 20
    joint = systematic_joint_inclusion(pik)
    assert Fraction(1, 2) == joint[0][10]
    assert Fraction(0) == joint[0][30]


@pytest.mark.parametrize(
    ("pik", "error"),
    [
        ([Fraction(1, 2), Fraction(1, 3)], InvalidInputError),  # sum not whole
        ([Fraction(3, 2), Fraction(1, 2)], InvalidInputError),  # above 1
        (["0.5", "0.5"], InvalidTypeError),
        ("ab", InvalidTypeError),
        ([float("nan"), 1.0], InvalidInputError),
    ],
)
def test_exact_systematic_refuses_bad_probabilities(pik: object, error: type) -> None:
    """Probabilities outside [0, 1], a fractional sum, or non-numbers raise typed errors."""
    with pytest.raises(error, match="pik"):
        systematic_joint_inclusion(pik)  # type: ignore[arg-type]


def test_hartley_rao_is_close_for_a_large_stratum() -> None:
    """For 16 units with small pi, Hartley-Rao is within 5% of the exact pi_kl."""
    weights = [3, 5, 2, 7, 4, 6, 3, 8, 5, 4, 6, 2, 7, 3, 5, 4]
    pik = exact_inclusion_probabilities(weights, 3)
    exact = np.array(systematic_joint_inclusion(pik), dtype=np.float64)
    approx = hartley_rao_joint_inclusion(pik)
    off = ~np.eye(len(pik), dtype=bool)
    assert np.all(np.abs(approx[off] / exact[off] - 1) < 0.05)
    assert np.allclose(np.diag(approx), [float(p) for p in pik])


def test_hartley_rao_certainty_and_zero_units() -> None:
    """Certainty units pair with pi_l exactly, zero-probability units with 0."""
    pik = [Fraction(1), Fraction(0), Fraction(1, 2), Fraction(1, 2)]
    approx = hartley_rao_joint_inclusion(pik)
    assert [1.0, 0.0, 0.5, 0.5] == approx[0].tolist()
    assert [0.0, 0.0, 0.0, 0.0] == approx[1].tolist()
    assert 0.5 == approx[3, 3]


@pytest.mark.slow
def test_exact_systematic_matches_draw_frequencies() -> None:
    """Pair frequencies of 20,000 seeded randsample πps draws agree with the exact pi_kl.

    Two-sided binomial test per pair at a Bonferroni level of 1e-3 in all; a correct
    implementation fails on fresh seeds about once in a thousand runs.
    """
    from scipy import stats

    weights = [1, 2, 3, 3, 5, 6]
    ids = [f"u{i}" for i in range(len(weights))]
    pop = Population.from_columns(ids, strata="S", weights=weights)
    pik = exact_inclusion_probabilities(weights, 3)
    joint = systematic_joint_inclusion(pik)
    runs = 20_000
    counts: Counter[tuple[str, str]] = Counter()
    for run in range(runs):
        seed = Seed.from_bytes(hashlib.sha256(b"second order %d" % run).digest())
        chosen = sorted(draw_stratified_pips(pop, {"S": 3}, seed).ids)
        counts.update(itertools.combinations(chosen, 2))
    pairs = list(itertools.combinations(range(len(ids)), 2))
    alpha = 1e-3 / len(pairs)
    for k, j in pairs:
        observed = counts[(ids[k], ids[j])]
        expected = float(joint[k][j])
        if expected == 0:
            assert 0 == observed
            continue
        assert stats.binomtest(observed, runs, expected).pvalue > alpha, (k, j, observed)


def sampford_brute_force(pik: list[Fraction]) -> list[list[Fraction]]:
    """pi_kl of Sampford's design by summing p(s) ∝ (n - Σπ) Π π/(1-π) over every sample."""
    size = len(pik)
    random_units = [k for k, p in enumerate(pik) if 0 < p < 1]
    certain = [k for k, p in enumerate(pik) if p == 1]
    n = int(sum(pik[k] for k in random_units))
    weights = {}
    for s in itertools.combinations(random_units, n):
        w = n - sum(pik[k] for k in s) if n else Fraction(1)
        for k in s:
            w *= pik[k] / (1 - pik[k])
        weights[tuple(sorted((*s, *certain)))] = w
    total = sum(weights.values())
    joint = [[Fraction(0)] * size for _ in range(size)]
    for s, w in weights.items():
        for a in s:
            for b in s:
                joint[a][b] += w / total
    return joint


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 9), min_size=2, max_size=8).filter(lambda w: sum(w) > 0),
    st.data(),
)
def test_sampford_exact_equals_brute_force(weights, data):
    """The generating-polynomial pi_kl equal the sum of p(s) over all samples, exactly,
    with certainty (pi = 1) and zero-weight units mixed in."""
    positive = sum(1 for w in weights if w > 0)
    n = data.draw(st.integers(1, positive))
    pik = exact_inclusion_probabilities(weights, n)
    assert sampford_brute_force(pik) == sampford_joint_inclusion(pik)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=3, max_size=25), st.data())
def test_sampford_sum_rules_and_positivity(weights, data):
    """Σ_{l≠k} pi_kl = (n-1) pi_k for every k, pi_kl <= min(pi_k, pi_l), and every pi_kl > 0
    when at least 2 units are drawn with pi < 1 (the design's defining property)."""
    n = data.draw(st.integers(2, len(weights) - 1))
    pik = exact_inclusion_probabilities(weights, n)
    assume(sum(p for p in pik if p < 1) >= 2)
    joint = sampford_joint_inclusion(pik)
    for k, row in enumerate(joint):
        assert (n - 1) * pik[k] == sum(row) - row[k]
        for j, value in enumerate(row):
            if j != k:
                assert 0 < value <= min(pik[k], pik[j])


def test_sampford_fixes_the_systematic_zero_pair():
    """Weights 1, 1, 2, 2, 2 with n = 2: the systematic design never draws the two weight-1
    units together; Sampford's design does, with pi_kl = 1/34."""
    pik = exact_inclusion_probabilities([1, 1, 2, 2, 2], 2)
    assert Fraction(0) == systematic_joint_inclusion(pik)[0][1]
    assert Fraction(1, 34) == sampford_joint_inclusion(pik)[0][1]


def test_sampford_single_draw_and_limits():
    """n' = 1: two non-certainty units are never together (pi_kl = 0); too many units or a
    non-whole sum are refused with typed errors naming the field."""
    pik = [Fraction(1), Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]
    joint = sampford_joint_inclusion(pik)
    assert Fraction(0) == joint[1][2]
    assert Fraction(1, 2) == joint[0][1]
    with pytest.raises(InvalidInputError, match="max_units=3"):
        sampford_joint_inclusion([Fraction(1, 2)] * 4, max_units=3)
    with pytest.raises(InvalidInputError, match="pik"):
        sampford_joint_inclusion([Fraction(1, 3)] * 2)
