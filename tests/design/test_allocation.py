"""Tests of sample-size allocation: published worked examples, brute force and properties.

The objective throughout is ``V = sum_h w_h**2 / n_h`` (see ``randsample.design``). It is
recomputed here from the inputs, independently of the module, in exact arithmetic.
"""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.design import Allocation, allocate
from randsample.errors import (
    InvalidIdentifierError,
    InvalidInputError,
    InvalidTypeError,
    SampleSizeError,
)


def abcd(values):
    return dict(zip("ABCD", values, strict=True))


ANCHOR_N = {"A": 4000, "B": 2500, "C": 800, "D": 200}
ANCHOR_S = {"A": 1, "B": 2, "C": 4, "D": 10}

# stratallo's example population (wwojciech/stratallo). Its README (versions 1.x-2.x) and its
# vignette (articles/stratallo.md, version 3.0) use the same N with different S.
STRATALLO_N = abcd((3000, 4000, 5000, 2000))
README_S = abcd((48, 79, 76, 16))
VIGNETTE_S = abcd((48, 179, 176, 16))


def squared_weights(method, population_sizes, std_devs=None, rates=None, costs=None):
    """``w_h**2`` from the definitions, as exact fractions of the float inputs."""
    out = {}
    for h, size in population_sizes.items():
        if method == "proportional":
            out[h] = Fraction(size) ** 2
            continue
        if rates is not None:
            # A float rate is read as the decimal it prints as (0.9 is 9/10), as every rate is
            # (check.rate), not as its binary value: 0.9 and 0.1 then give equal p(1 - p).
            rate = rates[h]
            p = Fraction(repr(rate)) if isinstance(rate, float) else Fraction(rate)
            variance = p * (1 - p)
        else:
            variance = Fraction(std_devs[h]) ** 2
        cost = Fraction(costs[h]) if method == "optimal" else Fraction(1)
        out[h] = Fraction(size) ** 2 * variance / cost
    return out


def objective(sizes, squares):
    """Rank allocations: fewest and smallest infinite terms first, then ``sum w**2 / n``.

    ``w_h**2 / 0`` is infinite for ``w_h > 0``; among allocations that must leave some such
    stratum empty (``n`` too small), leaving the smaller weights empty is better (the limit of
    ``w**2 / eps``), which is the rule the module documents.
    """
    empty = sorted((squares[h] for h in sizes if sizes[h] == 0 and squares[h] > 0), reverse=True)
    finite = sum((squares[h] / sizes[h] for h in sizes if sizes[h] > 0), Fraction(0))
    return (len(empty), tuple(empty), finite)


def var_stsi(sizes, population_sizes, std_devs):
    """Variance of the stratified estimator of a total under SRSWOR (stratallo's var_stsi)."""
    return sum(
        Fraction(population_sizes[h] * std_devs[h]) ** 2 / sizes[h]
        - population_sizes[h] * Fraction(std_devs[h]) ** 2
        for h in sizes
    )


# --- published worked examples ------------------------------------------------------------


def test_anchor_neyman_example():
    """ANCHORS.md §2: N = (4000, 2500, 800, 200), S = (1, 2, 4, 10), n = 400.

    Neyman (112.676, 140.845, 90.141, 56.338); integer optimum (113, 141, 90, 56).
    """
    a = allocate(400, ANCHOR_N, method="neyman", std_devs=ANCHOR_S)
    assert {"A": 113, "B": 141, "C": 90, "D": 56} == a.sizes
    expected = {"A": 112.676, "B": 140.845, "C": 90.141, "D": 56.338}
    assert a.continuous == pytest.approx(expected, abs=5e-4)
    assert a.method == "neyman"
    assert a.minimum_binding == ()
    assert a.maximum_binding == ()
    assert math.fsum(a.continuous.values()) == pytest.approx(400, rel=1e-12)


@pytest.mark.parametrize(
    ("s", "n", "lower", "upper", "published"),
    [
        # README: Neyman, upper bounds, lower bounds, box constraints.
        (README_S, 190, None, None, (31.376147, 68.853211, 82.798165, 6.972477)),
        (README_S, 190, None, (100, 90, 70, 80), (35.121951, 77.073171, 70, 7.804878)),
        (README_S, 190, (50, 120, 1, 2), None, (50, 120, 18, 2)),
        (
            README_S,
            1284,
            (100, 90, 500, 50),
            (300, 400, 800, 90),
            (228.9496, 400, 604.1727, 50.8777),
        ),
        # Vignette (version 3.0): Neyman, upper bounds, box constraints.
        (VIGNETTE_S, 190, None, None, (15.440181, 76.772009, 94.356659, 3.431151)),
        (VIGNETTE_S, 190, None, (100, 90, 70, 80), (24.545455, 90, 70, 5.454545)),
        (VIGNETTE_S, 1284, (100, 90, 500, 50), (300, 400, 800, 90), (117.2812, 400, 716.7188, 50)),
    ],
)
def test_stratallo_continuous_examples(s, n, lower, upper, published):
    """stratallo ``opt(n, A, m, M)`` outputs printed in its README and vignette.

    Sources: wwojciech/stratallo README.md ("Examples") and articles/stratallo.md
    ("Allocation problems solved with stratallo", examples 1). Printed to 7 significant digits.
    """
    a = allocate(
        n,
        STRATALLO_N,
        method="neyman",
        std_devs=s,
        minimum=None if lower is None else abcd(lower),
        maximum=None if upper is None else abcd(upper),
    )
    assert list(a.continuous.values()) == pytest.approx(published, rel=1e-6, abs=1e-4)
    assert sum(a.sizes.values()) == n


def test_stratallo_rounding_is_beaten_by_the_exact_optimum():
    """stratallo vignette: Neyman x = (15.44, 76.77, 94.36, 3.43), round_oric(x) = (16, 77, 94, 3)
    with var_stsi = 16243033336 (printed). The exact integer optimum is (15, 77, 95, 3), whose
    variance is lower: controlled rounding of the Neyman allocation is not optimal (Wright 2012).
    """
    a = allocate(190, STRATALLO_N, method="neyman", std_devs=VIGNETTE_S)
    assert {"A": 15, "B": 77, "C": 95, "D": 3} == a.sizes
    rounded = abcd((16, 77, 94, 3))
    assert round(var_stsi(rounded, STRATALLO_N, VIGNETTE_S)) == 16243033336  # the printed value
    assert var_stsi(a.sizes, STRATALLO_N, VIGNETTE_S) < var_stsi(rounded, STRATALLO_N, VIGNETTE_S)
    # The continuous optimum's printed variance, 16235763579, is a lower bound for any integer.
    assert round(var_stsi(a.continuous, STRATALLO_N, VIGNETTE_S)) == 16235763579


def test_stratallo_readme_rounding_example():
    """stratallo README "Rounding": A = (3000, 4000, 5000, 2000), m = (100, 90, 500, 50),
    M = (300, 400, 800, 90), n = 1284 gives x = (297.4286, 396.5714, 500, 90) and
    round_oric(x) = (297, 397, 500, 90); here that rounding is also the exact optimum.
    A_h is given directly, so take S_h = 1 and N_h = A_h.
    """
    a = allocate(
        1284,
        STRATALLO_N,
        method="neyman",
        std_devs=dict.fromkeys("ABCD", 1),
        minimum=abcd((100, 90, 500, 50)),
        maximum=abcd((300, 400, 800, 90)),
    )
    assert list(a.continuous.values()) == pytest.approx((297.4286, 396.5714, 500, 90), abs=1e-4)
    assert {"A": 297, "B": 397, "C": 500, "D": 90} == a.sizes
    assert a.minimum_binding == ("C",)
    assert a.maximum_binding == ("D",)


# --- exact rules and special cases --------------------------------------------------------


def test_proportional_is_a_divisor_method_without_the_alabama_paradox():
    """Hamilton (largest remainder) with N = (6, 6, 2) gives C two units at n = 10 and one at
    n = 11 (the Alabama paradox). The greedy only ever adds a unit.
    """
    population = {"A": 6, "B": 6, "C": 2}
    ten, eleven = allocate(10, population), allocate(11, population)
    assert all(eleven.sizes[h] >= ten.sizes[h] for h in population)
    assert sum(eleven.sizes.values()) - sum(ten.sizes.values()) == 1
    assert list(ten.continuous.values()) == pytest.approx([30 / 7, 30 / 7, 10 / 7])


def test_every_weighted_stratum_gets_a_unit_first():
    """``w**2 / 0`` is infinite: with n >= the number of strata, none is left empty."""
    a = allocate(10, {"A": 90, "D": 3})
    assert {"A": 9, "D": 1} == a.sizes  # rounding 9.68, 0.32 to nearest would leave D empty
    # Too few units for all strata: the largest weights are served first.
    b = allocate(2, {"A": 5, "B": 30, "C": 10, "D": 1})
    assert {"A": 0, "B": 1, "C": 1, "D": 0} == b.sizes


def test_zero_weight_strata_get_units_only_when_the_others_are_full():
    population = {"A": 5, "B": 3, "C": 10, "D": 4}
    std = {"A": 0.0, "B": 1.0, "C": 0.0, "D": 2.0}
    a = allocate(5, population, method="neyman", std_devs=std)
    assert {"A": 0, "B": 1, "C": 0, "D": 4} == a.sizes  # V = 9/1 + 64/4 = 25 < 9/2 + 64/3
    b = allocate(12, population, method="neyman", std_devs=std)
    # B and D are full; the 5 left go to the zero-weight strata in label order.
    assert {"A": 5, "B": 3, "C": 0, "D": 4} == b.sizes
    assert b.continuous == b.sizes


def test_ties_go_to_the_first_label_in_code_point_order():
    a = allocate(3, {"b": 10, "a": 10, "B": 10, "é": 10, "中": 10})
    assert {"B": 1, "a": 1, "b": 1, "é": 0, "中": 0} == a.sizes
    assert list(a.sizes) == ["B", "a", "b", "é", "中"]


def test_violation_rates_mean_bernoulli_standard_deviations():
    population = {"A": 5000, "B": 3000, "C": 900, "D": 100}
    rates = {"A": 0.02, "B": 0.05, "C": 0.2, "D": 0.5}
    a = allocate(300, population, method="neyman", violation_rates=rates)
    b = allocate(
        300,
        population,
        method="neyman",
        std_devs={h: math.sqrt(p * (1 - p)) for h, p in rates.items()},
    )
    assert a.sizes == b.sizes
    assert a.continuous == pytest.approx(b.continuous, rel=1e-12)
    # A rate of 0 or 1 means no variance: nothing beyond the lower bound.
    c = allocate(
        50, population, method="neyman", violation_rates={**rates, "A": 0.0}, minimum={"A": 3}
    )
    assert c.sizes["A"] == 3
    assert c.minimum_binding == ("A",)


def test_optimal_is_neyman_on_cost_scaled_deviations():
    """n_h ∝ N_h S_h / sqrt(c_h) at fixed n: a cost of 4 halves a stratum's S_h."""
    costs = {"A": 1.0, "B": 4.0, "C": 1.0, "D": 4.0}
    a = allocate(400, ANCHOR_N, method="optimal", std_devs=ANCHOR_S, costs=costs)
    scaled = {h: s / math.sqrt(costs[h]) for h, s in ANCHOR_S.items()}
    b = allocate(400, ANCHOR_N, method="neyman", std_devs=scaled)
    assert a.sizes == b.sizes
    assert a.continuous == pytest.approx(b.continuous, rel=1e-12)
    total = sum(
        n * s / math.sqrt(costs[h])
        for h, n, s in zip("ABCD", ANCHOR_N.values(), ANCHOR_S.values(), strict=True)
    )
    for h in "ABCD":
        assert a.continuous[h] == pytest.approx(400 * ANCHOR_N[h] * scaled[h] / total)
    same = allocate(
        400, ANCHOR_N, method="optimal", std_devs=ANCHOR_S, costs=dict.fromkeys("ABCD", 7.5)
    )
    assert same.sizes == allocate(400, ANCHOR_N, method="neyman", std_devs=ANCHOR_S).sizes


def test_bounds_take_all_and_summary():
    a = allocate(
        60,
        {"A": 900, "B": 300, "D": 8},
        method="neyman",
        std_devs={"A": 1, "B": 2, "D": 40},
        minimum={"B": 25},
        maximum={"A": 27},
    )
    assert {"A": 27, "B": 25, "D": 8} == a.sizes
    assert a.minimum_binding == ("B",)
    assert a.maximum_binding == ("A", "D")
    lines = a.summary().splitlines()
    assert lines[1].endswith("maximum")
    assert lines[2].endswith("minimum")
    assert lines[3].endswith("take-all")
    assert lines[-1].split() == ["total", "1208", "60.000", "60"]


def test_edge_sizes_and_numpy_inputs():
    assert {"A": 0, "B": 0} == allocate(0, {"A": 3, "B": 0}).sizes
    full = allocate(3, {"A": 3, "B": 0})
    assert full.sizes == {"A": 3, "B": 0}
    assert full.maximum_binding == ("A", "B")
    a = allocate(
        np.int64(400),
        {h: np.int32(v) for h, v in ANCHOR_N.items()},
        method="neyman",
        std_devs={h: np.float32(v) for h, v in ANCHOR_S.items()},
    )
    assert a.sizes == allocate(400, ANCHOR_N, method="neyman", std_devs=ANCHOR_S).sizes
    assert all(type(v) is int for v in a.sizes.values())
    assert all(type(v) is float for v in a.continuous.values())
    assert isinstance(a, Allocation)


# --- validation -----------------------------------------------------------------------------


def _raises(error, *fragments):
    return pytest.raises(error, match=".*".join(re.escape(f) for f in fragments))


@pytest.mark.parametrize(
    ("kwargs", "error", "fragments"),
    [
        ({"n": -1}, SampleSizeError, ["n: must be >= 0", "-1"]),
        ({"n": 3.0}, InvalidTypeError, ["n: expected an integer", "3.0"]),
        ({"n": True}, InvalidTypeError, ["n: expected an integer"]),
        ({"population_sizes": {"A": -5}}, InvalidInputError, ["population_sizes['A']", "-5"]),
        ({"population_sizes": {"A": 5.5}}, InvalidTypeError, ["population_sizes['A']", "5.5"]),
        ({"population_sizes": [("A", 5)]}, InvalidTypeError, ["population_sizes"]),
        ({"population_sizes": {}}, InvalidInputError, ["population_sizes: must name a stratum"]),
        ({"population_sizes": {1: 5}}, InvalidTypeError, ["stratum label"]),
        ({"population_sizes": {" A": 5}}, InvalidIdentifierError, ["whitespace", "' A'"]),
        ({"method": "equal"}, InvalidInputError, ["method: must be one of", "'equal'"]),
        ({"method": "neyman"}, InvalidInputError, ["std_devs: is required by method='neyman'"]),
        (
            {"method": "neyman", "std_devs": {"A": 1, "B": 2}},
            InvalidInputError,
            ["std_devs: has no value for stratum 'C'"],
        ),
        (
            {"method": "neyman", "std_devs": {**ANCHOR_S, "E": 1}},
            InvalidInputError,
            ["std_devs['E']: names no stratum", "got 1"],
        ),
        (
            {"method": "neyman", "std_devs": {**ANCHOR_S, "B": math.nan}},
            InvalidInputError,
            ["std_devs['B']: must be a finite number", "nan"],
        ),
        (
            {"method": "neyman", "std_devs": {**ANCHOR_S, "B": math.inf}},
            InvalidInputError,
            ["std_devs['B']: must be a finite number", "inf"],
        ),
        (
            {"method": "neyman", "std_devs": {**ANCHOR_S, "C": -1.5}},
            InvalidInputError,
            ["std_devs['C']: must be >= 0", "-1.5"],
        ),
        (
            {"method": "neyman", "std_devs": {**ANCHOR_S, "C": "4"}},
            InvalidTypeError,
            ["std_devs['C']: expected a real number", "'4'"],
        ),
        (
            {"method": "neyman", "violation_rates": {"A": 0.1, "B": 0.1, "C": 1.2, "D": 0.3}},
            InvalidInputError,
            ["violation_rates['C']: must be in [0, 1]", "1.2"],
        ),
        (
            {"method": "neyman", "violation_rates": {"A": 0.1, "B": -0.1, "C": 0.2, "D": 0.3}},
            InvalidInputError,
            ["violation_rates['B']: must be in [0, 1]", "-0.1"],
        ),
        (
            {"method": "neyman", "violation_rates": {"A": 0.1, "B": math.nan, "C": 0.2, "D": 0.3}},
            InvalidInputError,
            ["violation_rates['B']", "nan"],
        ),
        (
            {
                "method": "neyman",
                "std_devs": ANCHOR_S,
                "violation_rates": dict.fromkeys("ABCD", 0.1),
            },
            InvalidInputError,
            ["violation_rates: give std_devs or this"],
        ),
        (
            {"std_devs": ANCHOR_S},
            InvalidInputError,
            ["std_devs: is not used by method='proportional'"],
        ),
        (
            {"method": "neyman", "std_devs": ANCHOR_S, "costs": dict.fromkeys("ABCD", 1)},
            InvalidInputError,
            ["costs: is used only by method='optimal'"],
        ),
        (
            {"method": "optimal", "std_devs": ANCHOR_S},
            InvalidInputError,
            ["costs: is required by method='optimal'"],
        ),
        (
            {"method": "optimal", "std_devs": ANCHOR_S, "costs": {"A": 1, "B": 1, "C": 0, "D": 1}},
            InvalidInputError,
            ["costs['C']: must be > 0", "got 0"],
        ),
        (
            {
                "method": "optimal",
                "std_devs": ANCHOR_S,
                "costs": {"A": 1, "B": 1, "C": 1, "D": -2.0},
            },
            InvalidInputError,
            ["costs['D']: must be > 0", "-2.0"],
        ),
        (
            {
                "method": "optimal",
                "std_devs": ANCHOR_S,
                "costs": {"A": 1, "B": math.nan, "C": 1, "D": 1},
            },
            InvalidInputError,
            ["costs['B']: must be a finite number"],
        ),
        (
            {"method": "optimal", "std_devs": ANCHOR_S, "costs": {"A": 1, "B": 1, "C": 1}},
            InvalidInputError,
            ["costs: has no value for stratum 'D'"],
        ),
        ({"minimum": {"X": 1}}, InvalidInputError, ["minimum['X']: names no stratum"]),
        ({"maximum": {"X": 1}}, InvalidInputError, ["maximum['X']: names no stratum"]),
        ({"minimum": {"A": -1}}, InvalidInputError, ["minimum['A']: must be >= 0", "-1"]),
        ({"minimum": {"A": 1.5}}, InvalidTypeError, ["minimum['A']: expected an integer", "1.5"]),
        (
            {"maximum": {"D": 201}},
            InvalidInputError,
            ["maximum['D']: exceeds N_h = 200 of 'D'", "201"],
        ),
        (
            {"minimum": {"D": 50}, "maximum": {"D": 40}},
            InvalidInputError,
            ["minimum['D']: exceeds maximum['D'] = 40 of stratum 'D'", "50"],
        ),
        ({"minimum": {"D": 250}}, InvalidInputError, ["minimum['D']: exceeds N_h = 200", "250"]),
        (
            {"minimum": {"A": 300, "B": 101}},
            SampleSizeError,
            ["n: is below the sum of the minimums, 401", "400"],
        ),
        (
            {"maximum": {"A": 100, "B": 100, "C": 100}},
            SampleSizeError,
            ["n: exceeds the sum of the maximums, 500", "sum of N_h: 7500", "got 600"],
        ),
        ({"n": 7501}, SampleSizeError, ["n: exceeds the sum of the maximums, 7500"]),
    ],
)
def test_invalid_inputs_raise_typed_errors_naming_the_value(kwargs, error, fragments):
    args = {"n": 400, "population_sizes": ANCHOR_N}
    if "maximum" in kwargs and "A" in kwargs["maximum"]:
        args["n"] = 600
    args.update(kwargs)
    n, population_sizes = args.pop("n"), args.pop("population_sizes")
    with _raises(error, *fragments):
        allocate(n, population_sizes, **args)


def test_value_errors_are_value_errors():
    with pytest.raises(ValueError, match="maximum"):
        allocate(10, {"A": 5}, maximum={"A": 6})


# --- properties ---------------------------------------------------------------------------

LABELS = ["A", "B", "C", "D", "甲", "b"]
DEVIATIONS = st.sampled_from([0.0, 0.1, 1 / 3, 0.5, 1.0, 2.0, 2.5, 7.0, 1e-3, 12.25])
COSTS = st.sampled_from([0.25, 1.0, 1.5, 2.0, 4.0, 10.0, 1 / 3])


@st.composite
def instances(draw, max_strata=4, max_size=12, max_extra=30):
    """A small allocation problem: (n, population_sizes, keyword arguments)."""
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=max_strata, unique=True))
    population = {h: draw(st.integers(0, max_size)) for h in labels}
    method = draw(st.sampled_from(["proportional", "neyman", "optimal"]))
    kwargs = {"method": method}
    if method != "proportional":
        if draw(st.booleans()):
            kwargs["std_devs"] = {h: draw(DEVIATIONS) for h in labels}
        else:
            kwargs["violation_rates"] = {
                h: draw(st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.5, 0.9, 1.0])) for h in labels
            }
    if method == "optimal":
        kwargs["costs"] = {h: draw(COSTS) for h in labels}
    lower, upper = {}, {}
    for h in labels:
        hi = draw(st.integers(0, population[h]))
        lo = draw(st.integers(0, hi))
        if draw(st.booleans()):
            upper[h] = hi
        else:
            hi = population[h]
        if draw(st.booleans()):
            lower[h] = min(lo, hi)
    kwargs["minimum"], kwargs["maximum"] = lower, upper
    least = sum(lower.values())
    most = sum(upper.get(h, population[h]) for h in labels)
    n = draw(st.integers(least, min(most, least + max_extra)))
    return n, population, kwargs


def bounds(population, kwargs):
    lo = {h: kwargs["minimum"].get(h, 0) for h in population}
    hi = {h: kwargs["maximum"].get(h, population[h]) for h in population}
    return lo, hi


def weights_of(population, kwargs):
    return squared_weights(
        kwargs["method"],
        population,
        kwargs.get("std_devs"),
        kwargs.get("violation_rates"),
        kwargs.get("costs"),
    )


def feasible(n, lo, hi):
    """Every integer allocation within the bounds that adds up to n."""
    labels = list(lo)
    for combo in itertools.product(*(range(lo[h], hi[h] + 1) for h in labels[:-1])):
        last = n - sum(combo)
        if lo[labels[-1]] <= last <= hi[labels[-1]]:
            yield dict(zip(labels, (*combo, last), strict=True))


@given(instances())
def test_sizes_add_up_and_respect_the_bounds(case):
    n, population, kwargs = case
    a = allocate(n, population, **kwargs)
    lo, hi = bounds(population, kwargs)
    assert sum(a.sizes.values()) == n
    assert all(lo[h] <= a.sizes[h] <= hi[h] for h in population)
    assert a.minimum_binding == tuple(h for h in a.sizes if a.sizes[h] == lo[h])
    assert a.maximum_binding == tuple(h for h in a.sizes if a.sizes[h] == hi[h])
    assert list(a.sizes) == sorted(population) == list(a.continuous)
    assert math.fsum(a.continuous.values()) == pytest.approx(n, rel=1e-9, abs=1e-9)
    assert all(lo[h] - 1e-9 <= a.continuous[h] <= hi[h] + 1e-9 for h in population)


@given(instances())
def test_brute_force_agrees_with_the_greedy(case):
    """Exhaustive check on small instances: nothing within the bounds beats the greedy."""
    n, population, kwargs = case
    squares = weights_of(population, kwargs)
    lo, hi = bounds(population, kwargs)
    best = min(objective(x, squares) for x in feasible(n, lo, hi))
    assert objective(allocate(n, population, **kwargs).sizes, squares) == best


@given(instances(max_strata=5, max_size=40, max_extra=100))
def test_never_worse_than_any_rounding_of_the_continuous_optimum(case):
    n, population, kwargs = case
    a = allocate(n, population, **kwargs)
    squares = weights_of(population, kwargs)
    lo, hi = bounds(population, kwargs)
    choices = [sorted({math.floor(a.continuous[h]), math.ceil(a.continuous[h])}) for h in a.sizes]
    mine = objective(a.sizes, squares)
    for combo in itertools.product(*choices):
        rounded = dict(zip(a.sizes, combo, strict=True))
        if sum(combo) == n and all(lo[h] <= rounded[h] <= hi[h] for h in rounded):
            assert mine <= objective(rounded, squares)


@given(instances(max_strata=6, max_size=60, max_extra=200))
def test_continuous_optimum_satisfies_the_optimality_conditions(case):
    """KKT: one t with n_h = w_h t for free strata, w_h t <= m_h at m_h, w_h t >= M_h at M_h."""
    n, population, kwargs = case
    a = allocate(n, population, **kwargs)
    lo, hi = bounds(population, kwargs)
    weight = {h: math.sqrt(s) for h, s in weights_of(population, kwargs).items()}
    positive = [h for h in population if weight[h] > 0]
    free = [h for h in positive if lo[h] + 1e-9 < a.continuous[h] < hi[h] - 1e-9]
    if not free:
        return
    t = a.continuous[free[0]] / weight[free[0]]
    for h in positive:
        assert min(max(weight[h] * t, lo[h]), hi[h]) == pytest.approx(
            a.continuous[h], rel=1e-9, abs=1e-9
        )


@given(instances(max_strata=6, max_size=60, max_extra=200))
def test_house_monotone_in_n(case):
    """n -> n + 1 adds exactly one unit to one stratum and takes none away."""
    n, population, kwargs = case
    lo, hi = bounds(population, kwargs)
    if n == sum(hi.values()):
        n -= 1
        if n < sum(lo.values()):
            return
    small, large = allocate(n, population, **kwargs), allocate(n + 1, population, **kwargs)
    steps = [large.sizes[h] - small.sizes[h] for h in population]
    assert sorted(steps) == [0] * (len(steps) - 1) + [1]


@given(instances(max_strata=6, max_size=60, max_extra=200), st.randoms(use_true_random=False))
def test_order_of_the_strata_does_not_matter(case, rnd):
    n, population, kwargs = case

    def shuffled(mapping):
        items = list(mapping.items())
        rnd.shuffle(items)
        return dict(items)

    again = {k: shuffled(v) if isinstance(v, dict) else v for k, v in kwargs.items()}
    a, b = allocate(n, population, **kwargs), allocate(n, shuffled(population), **again)
    assert a == b
    assert a.summary() == b.summary()
