"""Trying sampling ratios before a draw: expected workload and expected findings per class.

For an analyst in a notebook: given the eligible enterprises per credit class, one or more
candidate sets of class rates, and assumed violation rates per class, what does each set
cost (inspections) and what does it find (expected enterprises with a violation)? Everything
is exact (fractions); no randomness is involved.

Under simple random sampling in class ``h``, the expected number of enterprises with a
violation found is ``n_h * p_h``, where ``p_h`` is the assumed share of violators in the class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from ..errors import InvalidInputError
from ._sizing import Rounding, parse_rate, sizes_from_rates

__all__ = ["ClassOutlook", "Outlook", "compare_rates", "outlook", "summary"]


@attrs.frozen
class ClassOutlook:
    """One class under one set of rates: eligible units, inspections, expected findings."""

    stratum: str
    eligible: int
    rate: Fraction
    inspections: int
    violation_rate: Fraction

    @property
    def expected_findings(self) -> Fraction:
        """Expected enterprises with a violation among those inspected: ``n_h * p_h``."""
        return self.inspections * self.violation_rate


@attrs.frozen
class Outlook:
    """A set of class rates and what it implies, class by class and in total."""

    name: str
    classes: tuple[ClassOutlook, ...]

    @property
    def inspections(self) -> int:
        """Total inspections (the workload)."""
        return sum(c.inspections for c in self.classes)

    @property
    def expected_findings(self) -> Fraction:
        """Total expected enterprises with a violation found."""
        return sum((c.expected_findings for c in self.classes), Fraction(0))

    @property
    def yield_per_inspection(self) -> Fraction:
        """Expected findings per inspection (0 when nothing is inspected)."""
        return self.expected_findings / self.inspections if self.inspections else Fraction(0)


def outlook(
    name: str,
    eligible: Mapping[str, int],
    rates: Mapping[str, object],
    violation_rates: Mapping[str, object],
    *,
    rounding: Rounding = "ceiling",
) -> Outlook:
    """Return the workload and expected findings of one set of class rates.

    >>> o = outlook("plan floor", {"A": 1000, "D": 100}, {"A": "3%", "D": "30%"},
    ...             {"A": "2%", "D": "40%"})
    >>> o.inspections, float(o.expected_findings)
    (60, 12.6)
    """
    missing = sorted(set(eligible) - set(violation_rates))
    if missing:
        raise InvalidInputError("violation_rates", missing[0], "has no assumed violation rate")
    sizes = sizes_from_rates(eligible, rates, rounding=rounding)
    classes = tuple(
        ClassOutlook(
            s.stratum,
            s.eligible,
            s.rate,
            s.size,
            parse_rate(violation_rates[s.stratum], field=f"violation_rates[{s.stratum!r}]"),
        )
        for s in sizes.details
    )
    return Outlook(name, classes)


def compare_rates(
    eligible: Mapping[str, int],
    rate_sets: Mapping[str, Mapping[str, object]],
    violation_rates: Mapping[str, object],
    *,
    rounding: Rounding = "ceiling",
) -> list[Outlook]:
    """Return the outlook of every named set of rates, to compare cost and findings.

    >>> table = compare_rates({"A": 1000, "D": 100},
    ...                       {"floor": {"A": "3%", "D": "30%"}, "risk": {"A": "1%", "D": "60%"}},
    ...                       {"A": "2%", "D": "40%"})
    >>> [(o.name, o.inspections, float(o.expected_findings)) for o in table]
    [('floor', 60, 12.6), ('risk', 70, 24.2)]
    """
    return [
        outlook(name, eligible, rates, violation_rates, rounding=rounding)
        for name, rates in rate_sets.items()
    ]


def summary(outlooks: Sequence[Outlook]) -> str:
    """Return a table: per set of rates, inspections, expected findings and the yield.

    >>> print(summary(compare_rates({"A": 1000}, {"x": {"A": "5%"}}, {"A": "10%"})))
    rates           inspections    expected findings    per inspection
    x                        50                  5.0            10.00%
    """
    lines = [f"{'rates':<14} {'inspections':>12} {'expected findings':>20} {'per inspection':>17}"]
    for o in outlooks:
        bp = (o.yield_per_inspection * 10000 + Fraction(1, 2)).__floor__()  # half up, exact
        lines.append(
            f"{o.name:<14} {o.inspections:>12} {float(o.expected_findings):>20.1f}"
            f" {bp // 100:>13}.{bp % 100:02d}%"
        )
    return "\n".join(lines)
