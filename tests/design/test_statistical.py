"""Statistical tests of the v1 design: empirical inclusion frequencies over many seeds.

Marked ``slow``: they run in CI (the README's test command runs everything) and can be
skipped locally with ``-m "not slow"``. The seeds are fixed (SHA-256 of a counter), so each
test is deterministic; the significance levels below say how often a *correct* sampler would
fail on a fresh set of seeds. A negative control shows each check can fail.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from scipy import stats

from randsample import Population, Seed, draw_stratified

pytestmark = pytest.mark.slow

RUNS = 20_000
ALPHA = 1e-3  # family-wise, Bonferroni-corrected across units

POP = Population.from_columns(
    [f"a{i}" for i in range(7)] + [f"d{i}" for i in range(4)] + ["x0", "x1"],
    strata=["A"] * 7 + ["D"] * 4 + ["X"] * 2,
    eligible=[True] * 6 + [False] + [True] * 6,
)
SIZES = {"A": 2, "D": 3, "X": 2}  # X is take-all; a6 is ineligible (pi = 0)
PI = {f"a{i}": Fraction(2, 6) for i in range(6)} | {"a6": Fraction(0)}
PI |= {f"d{i}": Fraction(3, 4) for i in range(4)} | {"x0": Fraction(1), "x1": Fraction(1)}


def _seed(run: int) -> Seed:
    return Seed.from_bytes(hashlib.sha256(b"randsample statistical test %d" % run).digest())


def _samples() -> list[tuple[str, ...]]:
    return [draw_stratified(POP, SIZES, _seed(run)).ids for run in range(RUNS)]


SAMPLES: list[tuple[str, ...]] = []


def samples() -> list[tuple[str, ...]]:
    if not SAMPLES:
        SAMPLES.extend(_samples())
    return SAMPLES


def inclusion_check(
    draws: Iterable[Iterable[str]], pi: dict[str, Fraction], runs: int
) -> list[str]:
    """Units whose inclusion count is inconsistent with pi (two-sided binomial, Bonferroni)."""
    counts = Counter(unit for draw in draws for unit in draw)
    flagged = []
    for unit, p in pi.items():
        k = counts.get(unit, 0)
        if p in (0, 1):
            if k != p * runs:
                flagged.append(unit)
            continue
        if stats.binomtest(k, runs, float(p)).pvalue < ALPHA / len(pi):
            flagged.append(unit)
    return flagged


def test_inclusion_frequencies_match_pi():
    """Every unit's frequency matches n_h/M_h; take-all always in; ineligible never in."""
    assert [] == inclusion_check(samples(), PI, RUNS)


def test_within_stratum_samples_are_uniform_over_subsets():
    """SRSWOR: each of the C(6,2) = 15 subsets of stratum A is equally likely (chi-square)."""
    subsets = Counter(tuple(sorted(u for u in draw if u.startswith("a"))) for draw in samples())
    expected = list(combinations([f"a{i}" for i in range(6)], 2))
    assert set(expected) == set(subsets)
    observed = np.array([subsets[s] for s in expected])
    assert stats.chisquare(observed).pvalue > ALPHA


def test_strata_are_drawn_independently():
    """Selections in A and D are independent (chi-square on the 6 x 4 contingency table)."""
    table = np.zeros((6, 4))
    for draw in samples():
        a_units = [int(u[1]) for u in draw if u.startswith("a")]
        d_out = next(int(f"{i}") for i in range(4) if f"d{i}" not in draw)
        for a in a_units:
            table[a, d_out] += 1
    assert stats.chi2_contingency(table).pvalue > ALPHA


def _biased_sampler(rng: np.random.Generator) -> Callable[[], list[str]]:
    # numpy's weighted choice without replacement: its inclusion probabilities are not
    # proportional to p, and here p is deliberately non-uniform.
    units = [f"a{i}" for i in range(6)]
    p = np.array([1, 1, 1, 1, 1, 1.5]) / 6.5
    return lambda: list(rng.choice(units, size=2, replace=False, p=p))


def test_negative_control_a_biased_sampler_is_flagged():
    """The same check flags a sampler that favours one unit: the test can fail."""
    draw = _biased_sampler(np.random.default_rng(20261127))
    biased = [draw() for _ in range(RUNS)]
    pi_a = {f"a{i}": Fraction(2, 6) for i in range(6)}
    assert "a5" in inclusion_check(biased, pi_a, RUNS)


WEIGHTED = Population.from_columns(
    [f"w{i}" for i in range(9)],
    strata="A",
    weights=[1.0, 2.0, 3.0, 4.0, 5.0, 20.0, 30.0, 50.0, 0.0],
)


def test_pips_inclusion_frequencies_match_pi():
    """πps systematic: frequencies match the capped pi = (1,2,3,4,5)/15 and 1, 1, 1; a
    zero-weight unit is never drawn (Tillé's textbook example, n = 4)."""
    from randsample.design import draw_stratified_pips

    pi = {f"w{i}": Fraction(i + 1, 15) for i in range(5)}
    pi |= {"w5": Fraction(1), "w6": Fraction(1), "w7": Fraction(1), "w8": Fraction(0)}
    draws = [draw_stratified_pips(WEIGHTED, {"A": 4}, _seed(run)).ids for run in range(RUNS)]
    assert all(4 == len(d) for d in draws)
    assert [] == inclusion_check(draws, pi, RUNS)
