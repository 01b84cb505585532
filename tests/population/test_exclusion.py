"""Exclusion of recently inspected units: boundaries, reporting, and bad input."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

import pytest

from randsample import InvalidInputError, InvalidTypeError, Population, Seed, draw_stratified
from randsample.population import exclude_recently_inspected

AS_OF = date(2026, 11, 27)
POP = Population.from_columns(
    ["e1", "e2", "e3", "e4", "e5", "d1", "d2"],
    strata=["A"] * 5 + ["D"] * 2,
    eligible=[True, True, True, True, False, True, True],
)


def test_window_boundaries():
    """Inspected on as_of or within the previous days-1 days: excluded; exactly `days` days
    before as_of: not excluded (as_of - days < last <= as_of)."""
    last = {"e1": date(2026, 11, 27), "e2": date(2026, 5, 31), "e3": date(2026, 5, 30), "e4": None}
    # 2026-11-27 minus 180 days is 2026-05-31.
    _, report = exclude_recently_inspected(POP, last, as_of=AS_OF, days=180)
    assert ("e1",) == report.excluded
    _, report = exclude_recently_inspected(POP, last, as_of=AS_OF, days=181)
    assert ("e1", "e2") == report.excluded


def test_report_and_effect_on_probabilities_and_draws():
    """Counts and n_h/M_h before and after are reported; excluded units are never drawn; an
    already-ineligible unit is not counted as excluded."""
    last = {"e1": date(2026, 11, 1), "e5": date(2026, 11, 1), "d1": date(2026, 10, 1)}
    new, report = exclude_recently_inspected(POP, last, as_of=AS_OF, days=90)
    assert ("d1", "e1") == report.excluded
    assert {"A": 4, "D": 2} == report.eligible_before
    assert {"A": 3, "D": 1} == report.eligible_after
    assert {"A": (Fraction(1, 4), Fraction(1, 3))} == report.inclusion_probabilities({"A": 1})
    assert new.digest() != POP.digest()
    for run in range(30):
        seed = Seed.from_bytes(bytes([run]) + bytes(range(1, 16)))
        assert not {"e1", "d1"} & set(draw_stratified(new, {"A": 2, "D": 1}, seed).ids)
    assert "before" in report.summary()


@pytest.mark.parametrize(
    ("last", "kwargs", "error", "fragment"),
    [
        ({"zz": date(2026, 1, 1)}, {}, InvalidInputError, "not an id"),
        ({"e1": date(2026, 12, 1)}, {}, InvalidInputError, "after as_of"),
        ({"e1": datetime(2026, 1, 1)}, {}, InvalidTypeError, r"last_inspected\['e1'\]"),
        ({"e1": "2026-01-01"}, {}, InvalidTypeError, r"last_inspected\['e1'\]"),
        ({}, {"days": 0}, InvalidInputError, "days"),
        ({}, {"as_of": "2026-11-27"}, InvalidTypeError, "as_of"),
    ],
)
def test_bad_input(last, kwargs, error, fragment):
    """Unknown ids, future dates, datetimes/strings instead of dates, days < 1: typed errors."""
    with pytest.raises(error, match=fragment):
        exclude_recently_inspected(POP, last, **{"as_of": AS_OF, "days": 30, **kwargs})
