"""Per-stratum sample sizes from rates: explicit rounding, bounds, take-all strata.

A rate such as "class C: 10%" becomes an integer size ``round(rate * M_h)`` where ``M_h`` is
the stratum's eligible units and *round* is a stated rule (ceiling by default, so a non-zero
rate never yields an empty sample). The product is computed exactly: a rate is read as the
decimal it was written as, never as the nearest binary fraction, so 7% of 100 is 7, not 8
(``ceil(0.07 * 100)`` in floating point is 8). Bounds then apply, and every bound that changed
a size is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Literal

import attrs

from .. import _validation as check
from .._text import Column, Tabular, percent
from ..errors import InvalidInputError, SampleSizeError

__all__ = ["Rounding", "SizeRule", "Sizes", "StratumSize", "parse_rate", "sizes_from_rates"]

#: How ``rate * M_h`` becomes an integer: up, down, nearest with halves up, nearest with
#: halves to even.
Rounding = Literal["ceiling", "floor", "half-up", "half-even"]
_ROUNDINGS = ("ceiling", "floor", "half-up", "half-even")


def parse_rate(value: object, *, field: str = "rate") -> Fraction:
    """Read a rate exactly: ``"3%"``, ``"0.03"``, ``"3/100"``, ``Fraction``, ``Decimal`` or float.

    A float is read as the shortest decimal that prints as it (``0.07`` is 7/100), i.e. as the
    number the user typed. Every function that takes a rate reads it this way.

    >>> [str(parse_rate(v)) for v in ("3%", "0.05", "1/3", 0.07, 1)]
    ['3/100', '1/20', '1/3', '7/100', '1']
    """
    return check.rate(value, field)


def _round(value: Fraction, rule: Rounding) -> int:
    floor = value.numerator // value.denominator
    remainder = value - floor
    if rule == "floor" or remainder == 0:
        return floor
    if rule == "ceiling":
        return floor + 1
    if remainder != Fraction(1, 2):
        return floor + (remainder > Fraction(1, 2))
    return floor + 1 if rule == "half-up" else floor + (floor % 2)


@attrs.frozen
class SizeRule:
    """How one stratum's size is set: a rate (with optional bounds), a fixed count, or all."""

    rate: Fraction | None = None
    count: int | None = None
    take_all: bool = False
    minimum: int = 0
    maximum: int | None = None


@attrs.frozen
class StratumSize:
    """The size chosen for one stratum and how it was reached."""

    stratum: str
    eligible: int
    rule: str
    unrounded: Fraction
    size: int
    bound: Literal["minimum", "maximum"] | None

    @property
    def rate(self) -> Fraction:
        """The realized sampling fraction ``n_h / M_h`` (the inclusion probability)."""
        return Fraction(self.size, self.eligible) if self.eligible else Fraction(0)


@attrs.frozen(eq=False)
class Sizes(Tabular, Mapping[str, int]):
    """Per-stratum sample sizes: a mapping stratum -> ``n_h`` that also says how each was set.

    Every draw function takes it as its ``sizes`` argument, as it takes a plain dict. Built by
    :func:`sizes_from_rates` (with the rule, the unrounded value and any bound that changed a
    size in ``details``) or directly from a mapping.

    >>> sizes = sizes_from_rates({"A": 1000, "D": 30}, {"A": "3%"}, take_all=["D"])
    >>> dict(sizes), sizes.total
    ({'A': 30, 'D': 30}, 60)
    >>> print(sizes.summary())
    stratum  eligible  rule                  n_h     rate  bound
    A            1000  rate 3/100 (ceiling)   30    3.00%
    D              30  take-all               30  100.00%
    """

    details: tuple[StratumSize, ...]

    @classmethod
    def from_mapping(
        cls, sizes: Mapping[str, int], eligible: Mapping[str, int], *, rule: str = "count"
    ) -> Sizes:
        """Wrap plain sizes, checking each against the stratum's eligible units.

        >>> dict(Sizes.from_mapping({"A": 2}, {"A": 5}))
        {'A': 2}
        """
        checked = check.mapping(sizes, "sizes", key=check.label, item=_count)
        details = []
        for stratum in sorted(checked):
            units = eligible.get(stratum, 0)
            if checked[stratum] > units:
                raise SampleSizeError(
                    f"sizes[{stratum!r}]", checked[stratum], f"exceeds the {units} eligible units"
                )
            size = checked[stratum]
            details.append(StratumSize(stratum, units, rule, Fraction(size), size, None))
        return cls(tuple(details))

    def __getitem__(self, stratum: str) -> int:
        for detail in self.details:
            if detail.stratum == stratum:
                return detail.size
        raise KeyError(stratum)

    def __iter__(self) -> Iterator[str]:
        return (detail.stratum for detail in self.details)

    def __len__(self) -> int:
        return len(self.details)

    def __repr__(self) -> str:
        return f"Sizes({dict(self)!r})"

    @property
    def total(self) -> int:
        """The total sample size ``n = sum_h n_h``."""
        return sum(detail.size for detail in self.details)

    def _columns(self) -> tuple[Column, ...]:
        return (
            Column("stratum", "stratum", align="<"),
            Column("eligible", "eligible"),
            Column("rule", "rule", align="<"),
            Column("size", "n_h"),
            Column("rate", "rate", percent),
            Column("bound", "bound", lambda b: b or "", "<"),
        )

    def _items(self) -> list[dict[str, object]]:
        return [
            {
                "stratum": d.stratum,
                "eligible": d.eligible,
                "rule": d.rule,
                "size": d.size,
                "rate": d.rate,
                "bound": d.bound,
            }
            for d in self.details
        ]


def _count(value: object, field: str) -> int:
    return check.integer(value, field, minimum=0, error=SampleSizeError)


def _rate_size(
    label: str, units: int, rate: Fraction, *, rounding: Rounding, low: int, high: int
) -> StratumSize:
    _count(low, f"minimum[{label!r}]")
    _count(high, f"maximum[{label!r}]")
    if low > units:
        raise SampleSizeError(
            f"minimum[{label!r}]",
            low,
            f"cannot be met: stratum {label!r} has {units} eligible units",
        )
    if low > high:
        raise InvalidInputError(f"minimum[{label!r}]", low, f"exceeds maximum[{label!r}] = {high}")
    unrounded = rate * units
    size = _round(unrounded, rounding)
    bound: Literal["minimum", "maximum"] | None = None
    if size < low:
        size, bound = low, "minimum"
    elif size > high:
        size, bound = high, "maximum"
    return StratumSize(label, units, f"rate {rate} ({rounding})", unrounded, size, bound)


def sizes_from_rates(
    eligible: Mapping[str, int],
    rates: Mapping[str, object],
    *,
    rounding: Rounding = "ceiling",
    minimum: Mapping[str, int] | None = None,
    maximum: Mapping[str, int] | None = None,
    counts: Mapping[str, int] | None = None,
    take_all: Iterable[str] = (),
) -> Sizes:
    """Turn per-stratum rates into integer sizes, explicitly rounded and bounded.

    Each stratum of ``eligible`` (label -> eligible units) needs exactly one rule: a rate in
    ``rates``, a fixed count in ``counts``, or membership of ``take_all``. ``minimum`` and
    ``maximum`` bound rate-based sizes; a bound that changed a size is reported in
    ``StratumSize.bound``. A bound or count that cannot be met is an error, never clipped.

    >>> plan = sizes_from_rates({"A": 16123, "B": 8908, "C": 2932, "D": 1441},
    ...                         {"A": "3%", "B": "5%", "C": "10%"}, take_all=("D",),
    ...                         minimum={"A": 500})
    >>> dict(plan)
    {'A': 500, 'B': 446, 'C': 294, 'D': 1441}
    >>> [(s.stratum, s.bound) for s in plan.details if s.bound]
    [('A', 'minimum')]
    """
    check.one_of(rounding, "rounding", _ROUNDINGS)
    eligible = check.mapping(eligible, "eligible", key=check.label)
    rates = check.mapping(rates, "rates")
    minimum = check.mapping(minimum or {}, "minimum")
    maximum = check.mapping(maximum or {}, "maximum")
    counts = check.mapping(counts or {}, "counts")
    take_all = check.labels(take_all, "take_all")
    known = set(eligible)
    tables = {"rates": rates, "minimum": minimum, "maximum": maximum, "counts": counts}
    for name, labels in {**tables, "take_all": dict.fromkeys(take_all)}.items():
        for label in labels:
            if label not in known:
                raise InvalidInputError(
                    f"{name}[{label!r}]", label, f"is not a stratum (known: {sorted(known)})"
                )
    out = []
    for label in sorted(known):
        units = _count(eligible[label], f"eligible[{label!r}]")
        rules = (label in rates) + (label in counts) + (label in take_all)
        if rules != 1:
            raise InvalidInputError(
                f"stratum {label!r}", rules, "needs exactly one of a rate, a count or take-all"
            )
        if label in take_all:
            out.append(StratumSize(label, units, "take-all", Fraction(units), units, None))
        elif label in counts:
            count = _count(counts[label], f"counts[{label!r}]")
            if count > units:
                raise SampleSizeError(
                    f"counts[{label!r}]", count, f"exceeds the {units} eligible units"
                )
            out.append(StratumSize(label, units, f"count {count}", Fraction(count), count, None))
        else:
            rate = parse_rate(rates[label], field=f"rates[{label!r}]")
            low, high = minimum.get(label, 0), maximum.get(label, units)
            out.append(_rate_size(label, units, rate, rounding=rounding, low=low, high=high))
    return Sizes(tuple(out))
