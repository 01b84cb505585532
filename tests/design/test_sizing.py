"""Per-stratum sizes from rates: exact products, stated rounding, bounds, take-all."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import draw_stratified
from randsample.core import Seed
from randsample.design import Sizes, parse_rate, sizes_from_rates
from randsample.errors import InvalidInputError, InvalidTypeError, SampleSizeError
from randsample.population import Population


def _sizes(plan):
    return dict(plan)


def test_rates_are_read_as_written_not_as_binary_floats():
    """ceil(0.07 * 100) is 8 in floating point; 7% of 100 must be 7 (and 10/77 of 77 is 10)."""
    assert {"A": 7} == _sizes(sizes_from_rates({"A": 100}, {"A": 0.07}))
    assert {"A": 10} == _sizes(
        sizes_from_rates({"A": 77}, {"A": Fraction(10, 77)}, rounding="floor")
    )


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        ("ceiling", [1, 2, 3, 3]),
        ("floor", [0, 2, 2, 2]),
        ("half-up", [1, 2, 3, 3]),
        ("half-even", [0, 2, 2, 3]),
    ],
)
def test_rounding_rules(rounding, expected):
    """Units 10, 40, 50, 55 at 5% give 0.5, 2, 2.5, 2.75: each rule as documented."""
    eligible = {"a": 10, "b": 40, "c": 50, "d": 55}
    plan = sizes_from_rates(eligible, dict.fromkeys(eligible, "5%"), rounding=rounding)
    assert expected == list(plan.values())


@given(
    st.integers(0, 10**6),
    st.fractions(0, 1),
    st.sampled_from(["ceiling", "floor", "half-up", "half-even"]),
)
def test_rounding_is_within_one_and_exact_when_integral(units, rate, rounding):
    """Every rule gives floor(x) or ceil(x) of the exact x = rate * M_h (x when integral)."""
    (size,) = sizes_from_rates({"A": units}, {"A": rate}, rounding=rounding).details
    x = rate * units
    assert x - 1 < size.size < x + 1
    if x.denominator == 1:
        assert x == size.size
    if rounding == "ceiling":
        assert size.size >= x


@given(st.integers(0, 5000), st.fractions(0, 1), st.fractions(0, 1))
def test_higher_rate_never_gives_a_smaller_size(units, r1, r2):
    """Sizes are monotone in the rate (so, with shared tickets, samples nest)."""
    low, high = sorted([r1, r2])
    a = sizes_from_rates({"A": units}, {"A": low})["A"]
    b = sizes_from_rates({"A": units}, {"A": high})["A"]
    assert a <= b


def test_bounds_and_take_all_and_counts_are_reported():
    """A binding minimum/maximum is reported; take-all and fixed counts are exact."""
    plan = sizes_from_rates(
        {"A": 1000, "B": 1000, "C": 50, "D": 7},
        {"A": "1%", "B": "50%"},
        minimum={"A": 20},
        maximum={"B": 100},
        counts={"C": 5},
        take_all=("D",),
    )
    assert {"A": 20, "B": 100, "C": 5, "D": 7} == _sizes(plan)
    assert {"A": "minimum", "B": "maximum", "C": None, "D": None} == {
        s.stratum: s.bound for s in plan.details
    }
    assert Fraction(1) == plan.details[3].rate
    assert 132 == plan.total


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"rates": {"A": "150%"}}, InvalidInputError, r"rates\['A'\].*\[0, 1\]"),
        ({"rates": {"A": -0.1}}, InvalidInputError, r"rates\['A'\]"),
        ({"rates": {"A": "abc"}}, InvalidInputError, r"rates\['A'\]"),
        ({"rates": {"A": " 3%"}}, InvalidInputError, r"rates\['A'\]"),
        ({"rates": {"A": True}}, InvalidTypeError, r"rates\['A'\]"),
        ({"rates": {"A": "3%", "E": "1%"}}, InvalidInputError, "'E'.*not a stratum"),
        ({"rates": {}}, InvalidInputError, "stratum 'A'.*exactly one"),
        ({"rates": {"A": "3%"}, "counts": {"A": 1}}, InvalidInputError, "exactly one"),
        ({"rates": {}, "counts": {"A": 101}}, SampleSizeError, r"counts\['A'\].*100 eligible"),
        ({"rates": {"A": "3%"}, "minimum": {"A": 101}}, SampleSizeError, "cannot be met"),
        (
            {"rates": {"A": "3%"}, "minimum": {"A": 5}, "maximum": {"A": 4}},
            InvalidInputError,
            "exceeds maximum",
        ),
        ({"rates": {"A": "3%"}, "rounding": "stochastic"}, InvalidInputError, "rounding"),
        ({"rates": {"A": "3%"}, "minimum": {"A": 2.0}}, InvalidTypeError, r"minimum\['A'\]"),
        ({"rates": {}, "counts": {"A": 3.0}}, InvalidTypeError, r"counts\['A'\]"),
        ({"rates": {}, "take_all": "A"}, InvalidTypeError, "take_all"),
    ],
)
def test_bad_input(kwargs, error, fragment):
    """Every impossible or malformed request is a typed error naming the stratum and value."""
    with pytest.raises(error, match=fragment):
        sizes_from_rates({"A": 100}, **kwargs)


def test_parse_rate_forms():
    """Percent strings, decimals, fractions, Decimal and floats all read exactly."""
    assert (
        Fraction(3, 100) == parse_rate("3%") == parse_rate("0.03") == parse_rate(Decimal("0.030"))
    )
    assert Fraction(1, 3) == parse_rate("1/3")


def test_sizes_go_straight_into_a_draw():
    """The object sizes_from_rates returns is what every draw function takes as ``sizes``."""
    population = Population.from_columns([f"e{i}" for i in range(40)], strata=["A", "D"] * 20)
    sizes = sizes_from_rates(population.eligible_counts(), {"A": "10%"}, take_all=["D"])
    sample = draw_stratified(population, sizes, Seed.from_bytes(bytes(range(16))))
    assert {"A": 2, "D": 20} == dict(sample.sizes)
    assert isinstance(sample.sizes, Sizes)


def test_sizes_from_a_mapping_are_checked():
    """Plain sizes are checked like computed ones: integers, known strata, within M_h."""
    assert {"A": 2} == dict(Sizes.from_mapping({"A": 2}, {"A": 5}))
    with pytest.raises(InvalidTypeError, match=r"sizes\['A'\]"):
        Sizes.from_mapping({"A": 2.0}, {"A": 5})
    with pytest.raises(SampleSizeError, match="exceeds the 5 eligible"):
        Sizes.from_mapping({"A": 6}, {"A": 5})


def test_the_same_float_for_int_mistake_is_the_same_error_everywhere():
    """A float where a count belongs is an InvalidTypeError from sizing, allocation and draws."""
    from randsample.design import allocate

    population = Population.from_columns(["a", "b"], strata="A")
    calls = [
        lambda: sizes_from_rates({"A": 2}, {}, counts={"A": 1.0}),
        lambda: allocate(1.0, {"A": 2}),
        lambda: draw_stratified(population, {"A": 1.0}, Seed.from_bytes(bytes(range(16)))),
        lambda: Sizes.from_mapping({"A": 1.0}, {"A": 2}),
    ]
    for call in calls:
        with pytest.raises(InvalidTypeError, match="expected an integer"):
            call()
