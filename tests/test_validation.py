"""The one validation layer: the same mistake raises the same error type everywhere."""

from __future__ import annotations

import datetime
import unicodedata
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import _validation as check
from randsample.errors import InvalidIdentifierError, InvalidInputError, InvalidTypeError


@given(st.one_of(st.floats(), st.booleans(), st.text(), st.none(), st.fractions()))
def test_integer_refuses_every_non_integer(value):
    """Floats (even whole ones), bools, strings, None and fractions are InvalidTypeError."""
    with pytest.raises(InvalidTypeError, match="n: expected an integer"):
        check.integer(value, "n")


@given(st.integers())
def test_integer_accepts_python_and_numpy_integers(value):
    """Python ints and numpy integers come back as the same Python int."""
    assert value == check.integer(value, "n")
    if -(2**63) <= value < 2**63:
        assert value == check.integer(np.int64(value), "n")


def test_bounds_raise_the_callers_error_type():
    """A value outside the bounds raises InvalidInputError, or the subclass asked for."""
    from randsample.errors import SampleSizeError

    with pytest.raises(SampleSizeError, match="must be >= 0"):
        check.integer(-1, "n", minimum=0, error=SampleSizeError)
    with pytest.raises(InvalidInputError, match="must be <= 3"):
        check.integer(4, "n", maximum=3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3%", Fraction(3, 100)),
        ("0.03", Fraction(3, 100)),
        ("1/3", Fraction(1, 3)),
        (0.07, Fraction(7, 100)),
    ],
)
def test_rate_reads_as_written(text, expected):
    """Percent strings, decimals, fractions and floats are read as the decimal written."""
    assert expected == check.rate(text)


@pytest.mark.parametrize("bad", ["3 %", "", " 3%", "1.5", "abc", "-1%"])
def test_malformed_rates_name_the_value(bad):
    """Every malformed rate is an InvalidInputError naming the field and value."""
    with pytest.raises(InvalidInputError, match="rates\\['A'\\]"):
        check.rate(bad, "rates['A']")


def test_a_string_is_not_a_collection_of_labels():
    """'food' is refused instead of being read as {'f', 'o', 'd'}."""
    with pytest.raises(InvalidTypeError, match="not a single string"):
        check.labels("food", "qualifications")
    assert frozenset({"food"}) == check.labels(["food"], "qualifications")


def test_dates_and_datetimes():
    """A datetime's time of day would be dropped silently, so it is refused."""
    assert datetime.date(2026, 1, 2) == check.date(datetime.date(2026, 1, 2), "day")
    with pytest.raises(InvalidTypeError):
        check.date(datetime.datetime(2026, 1, 2, 3), "day")


@given(st.text())
def test_label_rules_are_those_of_identifiers(text):
    """label() accepts exactly the identifiers check_id accepts, and names the field."""
    from randsample.core import check_id

    ok = text.strip() == text and text != "" and text.isprintable()
    ok = ok and unicodedata.is_normalized("NFC", text)
    if ok:
        assert text == check.label(text, "x") == check_id(text)
    else:
        with pytest.raises(InvalidIdentifierError, match=r"^x: "):
            check.label(text, "x")
