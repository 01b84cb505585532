"""Trying sampling ratios: workload, expected findings and expected precision per class."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.design import (
    Outlook,
    RateComparison,
    Sizes,
    allocate,
    compare_rates,
    outlook,
    precision,
    sizes_for_precision,
)
from randsample.design._precision import rate_variance, z_value
from randsample.errors import InvalidInputError, InvalidTypeError

ELIGIBLE = {"A": 16123, "B": 8908, "C": 2932, "D": 1441}
VIOLATIONS = {"A": "2%", "B": "5%", "C": "12%", "D": "30%"}


def test_expected_findings_are_n_times_p():
    """Per class, expected findings = n_h * p_h with the sizes of sizes_from_rates (ceiling)."""
    o = outlook("floor", ELIGIBLE, {"A": "3%", "B": "5%", "C": "10%", "D": "30%"}, VIOLATIONS)
    assert [484, 446, 294, 433] == [c.inspections for c in o.classes]
    expected = Fraction(484 * 2 + 446 * 5 + 294 * 12 + 433 * 30, 100)
    assert expected == o.expected_findings
    assert 1657 == o.inspections


@given(st.fractions(0, 1), st.fractions(0, 1))
def test_more_inspections_never_find_less(r1, r2):
    """A higher rate in a class never lowers its workload or its expected findings."""
    low, high = sorted([r1, r2])
    a = outlook("low", {"A": 1000}, {"A": low}, {"A": "10%"})
    b = outlook("high", {"A": 1000}, {"A": high}, {"A": "10%"})
    assert a.inspections <= b.inspections
    assert a.expected_findings <= b.expected_findings


def test_compare_and_summary():
    """compare_rates keeps the given order; the summary shows the yield per inspection."""
    table = compare_rates(
        ELIGIBLE,
        {
            "flat 5%": dict.fromkeys(ELIGIBLE, "5%"),
            "risk": {"A": "1%", "B": "3%", "C": "15%", "D": "60%"},
        },
        VIOLATIONS,
    )
    assert ["flat 5%", "risk"] == [o.name for o in table]
    assert table[1].yield_per_inspection > table[0].yield_per_inspection
    assert isinstance(table, RateComparison)
    assert "per inspection" in table.summary()
    assert table["risk"] is table[1]
    assert ["flat 5%", "risk"] == [row["name"] for row in table.to_rows()]
    assert "<table>" in table._repr_html_()
    assert "RateComparison(flat 5%, risk)" == repr(table)


@pytest.mark.parametrize(
    ("violations", "fragment"),
    [
        ({"A": "2%", "B": "5%", "C": "12%"}, "no assumed violation rate"),
        ({**VIOLATIONS, "A": "120%"}, r"violation_rates\['A'\]"),
    ],
)
def test_bad_input(violations, fragment):
    """A class without an assumed violation rate, or a rate outside [0, 1], is a typed error."""
    with pytest.raises(InvalidInputError, match=fragment):
        outlook("x", ELIGIBLE, dict.fromkeys(ELIGIBLE, "5%"), violations)


def test_class_precision_is_the_srswor_formula():
    """Per class, V = (N-n) p q / ((N-1) n) exactly; SE its root; half-width z SE."""
    o = outlook("floor", ELIGIBLE, {"A": "3%", "B": "5%", "C": "10%", "D": "30%"}, VIOLATIONS)
    a = o.classes[0]
    p = Fraction(2, 100)
    expected = (16123 - 484) * p * (1 - p) / (16122 * 484)
    assert expected == a.variance
    assert math.sqrt(expected) == a.standard_error
    assert 1.959963984540054 * math.sqrt(expected) == a.half_width


def test_overall_precision_is_the_stratified_formula():
    """Overall V = sum (N_h / N)^2 V_h; a class without inspections leaves it undefined."""
    o = outlook("floor", ELIGIBLE, {"A": "3%", "B": "5%", "C": "10%", "D": "30%"}, VIOLATIONS)
    total = sum(ELIGIBLE.values())
    expected = sum(Fraction(c.eligible, total) ** 2 * c.variance for c in o.classes)
    assert expected == o.variance
    none = outlook("none", {"A": 10, "B": 10}, {"A": "50%", "B": "0%"}, {"A": "2%", "B": "2%"})
    assert (None, None) == (none.standard_error, none.half_width)
    assert "—" in none.summary()


def test_take_all_has_zero_variance_and_sizes_round_trip():
    """A take-all class has variance 0; Outlook.sizes gives the class sizes back."""
    o = outlook("all", {"A": 10}, {"A": "100%"}, {"A": "20%"})
    assert Fraction(0) == o.variance
    assert {"A": 10} == dict(o.sizes)


@given(
    st.integers(2, 5000),
    st.fractions(0, 1),
    st.fractions(Fraction(1, 1000), Fraction(1, 5)),
)
def test_per_class_sizes_are_the_smallest(units, p, h):
    """The per-class size meets the half-width and one inspection fewer does not (or it is 1)."""
    plan = sizes_for_precision({"A": units}, {"A": p}, h)
    n = plan.classes[0].inspections
    z2 = Fraction(z_value(0.95)) ** 2
    assert 1 <= n <= units
    assert z2 * rate_variance(units, n, p) <= h * h
    if n > 1:
        assert z2 * rate_variance(units, n - 1, p) > h * h


def _least_total_brute(eligible, rates, h):
    """Least total n_h >= 1 meeting the overall half-width, by trying every pair of sizes."""
    z2 = Fraction(z_value(0.95)) ** 2
    total = sum(eligible.values())
    best = None
    for a in range(1, eligible["A"] + 1):
        for b in range(1, eligible["B"] + 1):
            v = Fraction(eligible["A"], total) ** 2 * rate_variance(eligible["A"], a, rates["A"])
            v += Fraction(eligible["B"], total) ** 2 * rate_variance(eligible["B"], b, rates["B"])
            if z2 * v <= h * h and (best is None or a + b < best):
                best = a + b
    return best


@given(
    st.integers(2, 40),
    st.integers(2, 40),
    st.fractions(Fraction(1, 100), Fraction(1, 2)),
    st.fractions(Fraction(1, 100), Fraction(1, 2)),
    st.sampled_from([Fraction(1, 100), Fraction(3, 100), Fraction(1, 10)]),
)
def test_overall_sizes_have_the_least_total(na, nb, pa, pb, h):
    """The overall-target sizes meet the half-width with the least total (brute force)."""
    eligible, rates = {"A": na, "B": nb}, {"A": pa, "B": pb}
    plan = sizes_for_precision(eligible, rates, h, target="overall")
    assert plan.half_width <= float(h) * (1 + 1e-12)
    assert _least_total_brute(eligible, rates, h) == plan.inspections


def test_precision_inputs_accept_percent_and_fraction_and_refuse_garbage():
    """Rates and half-widths read like every rate; bad ones are typed errors naming the field."""
    a = sizes_for_precision({"A": 1000}, {"A": "2%"}, "1%")
    b = sizes_for_precision({"A": 1000}, {"A": Fraction(1, 50)}, Fraction(1, 100))
    assert dict(a.sizes) == dict(b.sizes)
    with pytest.raises(InvalidInputError, match="half_width"):
        sizes_for_precision({"A": 1000}, {"A": "2%"}, "1 %")
    with pytest.raises(InvalidInputError, match="level"):
        sizes_for_precision({"A": 1000}, {"A": "2%"}, "1%", level=1.5)
    with pytest.raises(InvalidInputError, match="target"):
        sizes_for_precision({"A": 1000}, {"A": "2%"}, "1%", target="county")
    with pytest.raises(InvalidInputError, match="one rate"):
        sizes_for_precision({"A": 1000}, {"A": "2%"}, {"A": "1%"}, target="overall")
    with pytest.raises(InvalidInputError, match="maximums"):
        sizes_for_precision({"A": 1000}, {"A": "20%"}, "0.1%", target="overall", maximum={"A": 5})
    with pytest.raises(InvalidInputError, match="minimum"):
        sizes_for_precision({"A": 10}, {"A": "2%"}, "1%", target="overall", minimum={"A": 11})
    with pytest.raises(InvalidTypeError, match="sizes"):
        precision({"A": 3}, {"A": "2%"})


def test_per_class_mapping_of_half_widths():
    """A mapping gives each class its own half-width."""
    plan = sizes_for_precision(
        {"A": 5000, "D": 500}, {"A": "2%", "D": "30%"}, {"A": "1%", "D": "5%"}
    )
    assert plan.classes[0].half_width <= 0.01
    assert plan.classes[1].half_width <= 0.05


def test_allocation_reports_precision():
    """allocate with violation rates shows findings, SE and half-width; precision() agrees
    with precision() on its sizes; proportional allocation accepts rates for reporting."""
    a = allocate(400, ELIGIBLE, method="neyman", violation_rates=VIOLATIONS)
    o = a.precision()
    assert isinstance(o, Outlook)
    assert o.variance == precision(a.sizes, VIOLATIONS).variance
    assert "SE (pts)" in a.summary()
    rows = a.to_rows()
    assert {"half_width", "standard_error", "expected_findings"} <= set(rows[0])
    p = allocate(
        400, ELIGIBLE, violation_rates={"A": "2%", "B": Fraction(1, 20), "C": 0.12, "D": "30%"}
    )
    assert dict(p.sizes) == dict(allocate(400, ELIGIBLE).sizes)
    plain = allocate(400, ELIGIBLE)
    assert "SE (pts)" not in plain.summary()
    with pytest.raises(InvalidInputError, match="violation_rates"):
        plain.precision()
    assert plain.precision(VIOLATIONS).inspections == 400
    assert isinstance(Sizes.from_mapping({"A": 1}, {"A": 2}), Sizes)
