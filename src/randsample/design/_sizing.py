"""Per-stratum sample sizes from rates: explicit rounding, bounds, take-all strata.

A rate such as "class C: 10%" becomes an integer size ``round(rate * M_h)`` where ``M_h`` is
the stratum's eligible units and *round* is a stated rule (ceiling by default, so a non-zero
rate never yields an empty sample). The product is computed exactly: a rate is read as the
decimal it was written as, never as the nearest binary fraction, so 7% of 100 is 7, not 8
(``ceil(0.07 * 100)`` in floating point is 8). Bounds then apply, and every bound that changed
a size is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal

import attrs

from ..core._identifiers import check_id
from ..errors import InvalidInputError, InvalidTypeError, SampleSizeError

__all__ = ["Rounding", "SizeRule", "StratumSize", "parse_rate", "sizes_from_rates"]

#: How ``rate * M_h`` becomes an integer: up, down, nearest with halves up, nearest with
#: halves to even.
Rounding = Literal["ceiling", "floor", "half-up", "half-even"]
_ROUNDINGS = ("ceiling", "floor", "half-up", "half-even")


def parse_rate(value: object, *, field: str = "rate") -> Fraction:
    """Read a rate exactly: ``"3%"``, ``"0.03"``, ``"3/100"``, ``Fraction``, ``Decimal`` or float.

    A float is read as the shortest decimal that prints as it (``0.07`` is 7/100), i.e. as the
    number the user typed.

    >>> [str(parse_rate(v)) for v in ("3%", "0.05", "1/3", 0.07, 1)]
    ['3/100', '1/20', '1/3', '7/100', '1']
    """
    if isinstance(value, bool):
        raise InvalidTypeError(field, value, "a rate (e.g. '3%', 0.03 or Fraction(3, 100))")
    try:
        if isinstance(value, str):
            text = value
            if not text or text != text.strip():
                raise InvalidInputError(field, value, "expected a rate such as '3%' or '0.03'")
            rate = Fraction(Decimal(text[:-1])) / 100 if text.endswith("%") else Fraction(text)
        elif isinstance(value, float):
            rate = Fraction(repr(value))
        elif isinstance(value, (int, Fraction, Decimal)):
            rate = Fraction(value)
        else:
            raise InvalidTypeError(field, value, "a rate (e.g. '3%', 0.03 or Fraction(3, 100))")
    except (ValueError, InvalidOperation, ZeroDivisionError):
        raise InvalidInputError(field, value, "expected a rate such as '3%' or '0.03'") from None
    if not 0 <= rate <= 1:
        raise InvalidInputError(field, value, "must be in [0, 1]")
    return rate


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


def _non_negative_int(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(field, value, "must be an integer >= 0")
    return value


def _rate_size(
    label: str, units: int, rate: Fraction, *, rounding: Rounding, low: int, high: int
) -> StratumSize:
    _non_negative_int(f"minimum[{label!r}]", low)
    _non_negative_int(f"maximum[{label!r}]", high)
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
    take_all: tuple[str, ...] = (),
) -> list[StratumSize]:
    """Turn per-stratum rates into integer sizes, explicitly rounded and bounded.

    Each stratum of ``eligible`` (label -> eligible units) needs exactly one rule: a rate in
    ``rates``, a fixed count in ``counts``, or membership of ``take_all``. ``minimum`` and
    ``maximum`` bound rate-based sizes; a bound that changed a size is reported in
    ``StratumSize.bound``. A bound or count that cannot be met is an error, never clipped.

    >>> plan = sizes_from_rates({"A": 16123, "B": 8908, "C": 2932, "D": 1441},
    ...                         {"A": "3%", "B": "5%", "C": "10%"}, take_all=("D",),
    ...                         minimum={"A": 500})
    >>> [(s.stratum, s.size, s.bound) for s in plan]
    [('A', 500, 'minimum'), ('B', 446, None), ('C', 294, None), ('D', 1441, None)]
    """
    if rounding not in _ROUNDINGS:
        raise InvalidInputError("rounding", rounding, f"expected one of {', '.join(_ROUNDINGS)}")
    minimum, maximum, counts = dict(minimum or {}), dict(maximum or {}), dict(counts or {})
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
        check_id(label, field="stratum")
        units = _non_negative_int(f"eligible[{label!r}]", eligible[label])
        rules = (label in rates) + (label in counts) + (label in take_all)
        if rules != 1:
            raise InvalidInputError(
                f"stratum {label!r}", rules, "needs exactly one of a rate, a count or take-all"
            )
        if label in take_all:
            out.append(StratumSize(label, units, "take-all", Fraction(units), units, None))
        elif label in counts:
            count = _non_negative_int(f"counts[{label!r}]", counts[label])
            if count > units:
                raise SampleSizeError(
                    f"counts[{label!r}]", count, f"exceeds the {units} eligible units"
                )
            out.append(StratumSize(label, units, f"count {count}", Fraction(count), count, None))
        else:
            rate = parse_rate(rates[label], field=f"rates[{label!r}]")
            low, high = minimum.get(label, 0), maximum.get(label, units)
            out.append(_rate_size(label, units, rate, rounding=rounding, low=low, high=high))
    return out
