"""Trying sampling ratios: workload and expected findings per class, exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.design import compare_rates, outlook, summary
from randsample.errors import InvalidInputError

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
    assert "per inspection" in summary(table)


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
