"""Trying sampling ratios before a draw: workload, expected findings and expected precision.

For an analyst in a notebook: given the eligible enterprises per credit class, one or more
candidate sets of class rates (or sizes), and assumed violation rates per class, what does
each set cost (inspections), what does it find (expected enterprises with a violation), and
how precisely will it estimate the violation rate of each class and of the whole county
(expected standard error and 95% half-width under stratified SRSWOR with finite-population
correction, see ``_precision``)? And the other way round: the fewest inspections that give
each class, or the county, a half-width of at most ``h`` (:func:`sizes_for_precision`).

Workload and findings are exact (fractions): under simple random sampling in class ``h`` the
expected number of enterprises with a violation found is ``n_h p_h``. No randomness is
involved.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from fractions import Fraction

import attrs

from .. import _validation as check
from .._text import Column, Tabular, decimal, percent
from ..errors import InvalidInputError, InvalidTypeError
from ._precision import rate_variance, z_value
from ._sizing import Rounding, Sizes, sizes_from_rates

__all__ = [
    "ClassOutlook",
    "Outlook",
    "RateComparison",
    "compare_rates",
    "outlook",
    "precision",
]


def points(value: float | None) -> str:
    """Write a rate's standard error or half-width in percentage points (— when undefined)."""
    return "—" if value is None else f"{value * 100:.3f}"


class _Precision:
    """The precision of a rate (a class's or the overall one) from its ``variance``."""

    __slots__ = ()
    level: float

    @property
    def variance(self) -> Fraction | None:  # pragma: no cover - always overridden
        raise NotImplementedError

    @property
    def standard_error(self) -> float | None:
        """Expected standard error of the estimated rate (a proportion)."""
        v = self.variance
        return None if v is None else math.sqrt(v)

    @property
    def half_width(self) -> float | None:
        """Half-width of the rate's normal (Wald) interval at :attr:`level`: ``z * SE``."""
        se = self.standard_error
        return None if se is None else z_value(self.level) * se


@attrs.frozen
class ClassOutlook(_Precision):
    """One class under one set of sizes: units, inspections, findings and precision."""

    stratum: str
    eligible: int
    rate: Fraction
    inspections: int
    violation_rate: Fraction
    #: The confidence level of :attr:`half_width`.
    level: float = 0.95

    @property
    def expected_findings(self) -> Fraction:
        """Expected enterprises with a violation among those inspected: ``n_h * p_h``."""
        return self.inspections * self.violation_rate

    @property
    def variance(self) -> Fraction | None:
        """Design variance of the estimated class rate (exact; None if nothing inspected)."""
        return rate_variance(self.eligible, self.inspections, self.violation_rate)


@attrs.frozen(eq=False)
class Outlook(_Precision, Tabular):
    """A set of class sizes and what it implies, class by class and in total.

    >>> o = outlook("floor", {"A": 1000, "D": 100}, {"A": "3%", "D": "30%"},
    ...             {"A": "2%", "D": "40%"})
    >>> o
    Outlook('floor': 60 inspections, 12.6 expected findings, ±4.68 points overall)
    >>> print(o.summary())
    class  eligible    rate  inspections  violation rate  expected findings  SE (points)   ± 95%
    A          1000   3.00%           30           2.00%               0.60        2.519   4.936
    D           100  30.00%           30          40.00%              12.00        7.521  14.741
    total      1100                   60                              12.60        2.390   4.684
    """

    name: str
    classes: tuple[ClassOutlook, ...]
    level: float = 0.95

    def __repr__(self) -> str:
        width = self.half_width
        shown = "no overall estimate" if width is None else f"±{width * 100:.2f} points overall"
        return (
            f"Outlook({self.name!r}: {self.inspections} inspections, "
            f"{decimal(self.expected_findings, 1)} expected findings, {shown})"
        )

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

    @property
    def variance(self) -> Fraction | None:
        """Design variance of the overall rate ``sum W_h p̂_h`` (None if a class is unseen)."""
        total = sum(c.eligible for c in self.classes)
        parts = [c.variance for c in self.classes]
        if not total or any(v is None for v in parts):
            return None
        return sum(
            (
                Fraction(c.eligible, total) ** 2 * v
                for c, v in zip(self.classes, parts, strict=True)
                if v
            ),
            Fraction(0),
        )

    @property
    def sizes(self) -> Sizes:
        """The class sizes, ready for a draw."""
        return Sizes.from_mapping(
            {c.stratum: c.inspections for c in self.classes},
            {c.stratum: c.eligible for c in self.classes},
            rule=self.name,
        )

    def _columns(self) -> tuple[Column, ...]:
        level = f"± {decimal(Fraction(self.level) * 100, 0)}%"
        return (
            Column("stratum", "class", align="<"),
            Column("eligible", "eligible"),
            Column("rate", "rate", percent),
            Column("inspections", "inspections"),
            Column("violation_rate", "violation rate", percent),
            Column("expected_findings", "expected findings", decimal),
            Column("standard_error", "SE (points)", points),
            Column("half_width", level, points),
        )

    def _items(self) -> list[dict[str, object]]:
        return [
            {
                "stratum": c.stratum,
                "eligible": c.eligible,
                "rate": c.rate,
                "inspections": c.inspections,
                "violation_rate": c.violation_rate,
                "expected_findings": c.expected_findings,
                "standard_error": c.standard_error,
                "half_width": c.half_width,
            }
            for c in self.classes
        ]

    def _footer(self) -> list[list[str]]:
        return [
            [
                "total",
                str(sum(c.eligible for c in self.classes)),
                "",
                str(self.inspections),
                "",
                decimal(self.expected_findings),
                points(self.standard_error),
                points(self.half_width),
            ]
        ]


@attrs.frozen(eq=False)
class RateComparison(Tabular):
    """Several :class:`Outlook` side by side: one row per set of rates (a sequence of them).

    >>> table = compare_rates({"A": 1000, "D": 100},
    ...                       {"floor": {"A": "3%", "D": "30%"}, "risk": {"A": "1%", "D": "60%"}},
    ...                       {"A": "2%", "D": "40%"})
    >>> table
    RateComparison(floor, risk)
    >>> print(table.summary())
    rates  inspections  expected findings  per inspection  SE (points)  ± 95%
    floor           60              12.60          21.00%        2.390  4.684
    risk            70              24.20          34.57%        4.023  7.885
    >>> table["risk"].inspections
    70
    """

    outlooks: tuple[Outlook, ...]

    def __repr__(self) -> str:
        return f"RateComparison({', '.join(o.name for o in self.outlooks)})"

    def __len__(self) -> int:
        return len(self.outlooks)

    def __iter__(self) -> Iterator[Outlook]:
        return iter(self.outlooks)

    def __getitem__(self, key: int | str) -> Outlook:
        """Return an outlook by position or by name."""
        if isinstance(key, str):
            for o in self.outlooks:
                if o.name == key:
                    return o
            raise KeyError(key)
        return self.outlooks[key]

    def _columns(self) -> tuple[Column, ...]:
        level = self.outlooks[0].level if self.outlooks else 0.95
        return (
            Column("name", "rates", align="<"),
            Column("inspections", "inspections"),
            Column("expected_findings", "expected findings", decimal),
            Column("yield_per_inspection", "per inspection", percent),
            Column("standard_error", "SE (points)", points),
            Column("half_width", f"± {decimal(Fraction(level) * 100, 0)}%", points),
        )

    def _items(self) -> list[dict[str, object]]:
        return [
            {
                "name": o.name,
                "inspections": o.inspections,
                "expected_findings": o.expected_findings,
                "yield_per_inspection": o.yield_per_inspection,
                "standard_error": o.standard_error,
                "half_width": o.half_width,
            }
            for o in self.outlooks
        ]


def violation_rates_of(eligible: Mapping[str, int], violation_rates: object) -> dict[str, Fraction]:
    if not isinstance(violation_rates, Mapping):
        raise InvalidTypeError("violation_rates", violation_rates, "a mapping class -> rate")
    missing = sorted(set(eligible) - set(violation_rates))
    if missing:
        raise InvalidInputError("violation_rates", missing[0], "has no assumed violation rate")
    return {h: check.rate(violation_rates[h], f"violation_rates[{h!r}]") for h in eligible}


def level_of(level: object) -> float:
    z_value(level)  # checks it
    return float(level)  # type: ignore[arg-type]


def precision(
    sizes: Sizes,
    violation_rates: Mapping[str, object],
    *,
    level: float = 0.95,
    name: str = "sizes",
) -> Outlook:
    """Return the outlook (findings, expected SE and half-width) of given class sizes.

    ``sizes`` is a :class:`Sizes` (from :func:`sizes_from_rates`, :func:`allocate`, ...),
    which knows each class's eligible units.

    >>> from randsample.design import Sizes
    >>> o = precision(Sizes.from_mapping({"A": 100}, {"A": 1001}), {"A": "10%"})
    >>> round(o.standard_error, 6), round(o.half_width, 6)
    (0.028476, 0.055813)
    """
    check.instance(sizes, "sizes", Sizes)
    eligible = {d.stratum: d.eligible for d in sizes.details}
    rates = violation_rates_of(eligible, violation_rates)
    return Outlook(
        name,
        tuple(
            ClassOutlook(d.stratum, d.eligible, d.rate, d.size, rates[d.stratum], level_of(level))
            for d in sizes.details
        ),
        level_of(level),
    )


def outlook(
    name: str,
    eligible: Mapping[str, int],
    rates: Mapping[str, object],
    violation_rates: Mapping[str, object],
    *,
    rounding: Rounding = "ceiling",
    level: float = 0.95,
) -> Outlook:
    """Return the workload, expected findings and precision of one set of class rates.

    >>> o = outlook("plan floor", {"A": 1000, "D": 100}, {"A": "3%", "D": "30%"},
    ...             {"A": "2%", "D": "40%"})
    >>> o.inspections, float(o.expected_findings), round(o.half_width, 4)
    (60, 12.6, 0.0468)
    """
    violation_rates_of(eligible, violation_rates)
    return precision(
        sizes_from_rates(eligible, rates, rounding=rounding),
        violation_rates,
        level=level,
        name=name,
    )


def compare_rates(
    eligible: Mapping[str, int],
    rate_sets: Mapping[str, Mapping[str, object]],
    violation_rates: Mapping[str, object],
    *,
    rounding: Rounding = "ceiling",
    level: float = 0.95,
) -> RateComparison:
    """Return the outlook of every named set of rates, to compare cost, findings, precision.

    >>> table = compare_rates({"A": 1000, "D": 100},
    ...                       {"floor": {"A": "3%", "D": "30%"}, "risk": {"A": "1%", "D": "60%"}},
    ...                       {"A": "2%", "D": "40%"})
    >>> [(o.name, o.inspections, float(o.expected_findings)) for o in table]
    [('floor', 60, 12.6), ('risk', 70, 24.2)]
    """
    check.mapping(rate_sets, "rate_sets")
    return RateComparison(
        tuple(
            outlook(name, eligible, rates, violation_rates, rounding=rounding, level=level)
            for name, rates in rate_sets.items()
        )
    )
