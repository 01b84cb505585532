"""Precision of an estimated violation rate under stratified SRSWOR, and sizes that reach one.

For class ``h`` with ``N_h`` eligible units, ``n_h`` inspected by simple random sampling
without replacement and an assumed violation rate ``p_h``, the estimated class rate
``p̂_h`` (the share of violators among the inspected) has the design variance

    V_h = (1 - n_h / N_h) S_h^2 / n_h = (N_h - n_h) p_h (1 - p_h) / ((N_h - 1) n_h),

with ``S_h^2 = N_h p_h (1 - p_h) / (N_h - 1)`` the finite-population variance of the 0/1
violation flag (Cochran 1977, §3.2 and §5.3; Särndal et al. 1992, §3.7). The overall rate
``p̂ = sum_h W_h p̂_h`` with ``W_h = N_h / N`` has ``V = sum_h W_h^2 V_h``. These are *expected*
(design) standard errors at the assumed rates, not estimates from data: they say how precise
the estimate will be if the rates are right. ``V_h`` is exact (a fraction); the standard error
is its square root in float64, and the half-width of a normal (Wald) interval is ``z`` times
it, with ``z`` the binary64 normal quantile of the level (0.95 gives 1.959963984540054).

The inverse question is answered exactly in integers, with ``z`` as that binary64 value and
everything else exact:

* **per class** (``z^2 V_h <= h^2``): ``V_h`` decreases in ``n_h``, and the condition is
  ``n_h >= z^2 p q N / (h^2 (N - 1) + z^2 p q)``; the smallest such integer (at least 1, at
  most ``N_h``) is computed and then checked: it passes and ``n_h - 1`` fails.
* **overall, least total** (``z^2 V <= h^2``): ``V = sum_h c_h N_h / n_h - sum_h c_h`` with
  ``c_h = W_h^2 p_h q_h / (N_h - 1)`` is separable and convex, so Wright's greedy (as in
  :func:`allocate`: add one inspection at a time where it lowers ``V`` most,
  ``c_h N_h / (n_h (n_h + 1))``) gives the least ``V`` at every total; the first total whose
  least ``V`` meets the target is the least total, and the greedy's sizes reach it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from fractions import Fraction

from .. import _validation as check
from ..errors import InvalidInputError

__all__ = ["overall_sizes", "per_class_sizes", "rate_variance", "z_value"]


def z_value(level: object) -> float:
    """Return the two-sided normal quantile ``z`` for a confidence level in (0, 1).

    >>> z_value(0.95)
    1.959963984540054
    """
    from scipy.stats import norm

    value = check.real(level, "level")
    if not 0 < value < 1:
        raise InvalidInputError("level", level, "must be in (0, 1), e.g. 0.95")
    return float(norm.ppf(0.5 + value / 2))


def rate_variance(eligible: int, size: int, rate: Fraction) -> Fraction | None:
    """Return ``V_h`` exactly, 0 for a take-all class, None when nothing is inspected.

    >>> rate_variance(1001, 100, Fraction(1, 10))
    Fraction(8109, 10000000)
    >>> rate_variance(50, 50, Fraction(1, 2)), rate_variance(50, 0, Fraction(1, 2))
    (Fraction(0, 1), None)
    """
    if size == 0:
        return None if eligible else Fraction(0)
    if size >= eligible:
        return Fraction(0)
    return (eligible - size) * rate * (1 - rate) / ((eligible - 1) * size)


def _meets(variance: Fraction | None, z_squared: Fraction, half_width: Fraction) -> bool:
    return variance is not None and z_squared * variance <= half_width * half_width


def per_class_sizes(
    eligible: Mapping[str, int],
    rates: Mapping[str, Fraction],
    half_widths: Mapping[str, Fraction],
    z: float,
) -> dict[str, int]:
    """Return the smallest ``n_h`` with ``z^2 V_h <= h_h^2`` for every class (0 if ``N_h = 0``).

    >>> per_class_sizes({"A": 10000}, {"A": Fraction(1, 50)}, {"A": Fraction(1, 100)}, 1.96)
    {'A': 701}
    """
    z2 = Fraction(z) ** 2
    out = {}
    for h, units in eligible.items():
        if units == 0:
            out[h] = 0
            continue
        p, width = rates[h], half_widths[h]
        spread = z2 * p * (1 - p)
        denominator = width * width * (units - 1) + spread
        bound = spread * units / denominator if denominator else Fraction(units)
        n = min(units, max(1, math.ceil(bound)))
        if not _meets(rate_variance(units, n, p), z2, width) or (
            n > 1 and _meets(rate_variance(units, n - 1, p), z2, width)
        ):  # pragma: no cover - the closed form is exact; this guards the algebra
            raise AssertionError(f"closed-form size {n} of class {h!r} is not the smallest")
        out[h] = n
    return out


def overall_sizes(
    eligible: Mapping[str, int],
    rates: Mapping[str, Fraction],
    half_width: Fraction,
    z: float,
    *,
    lower: Mapping[str, int],
    upper: Mapping[str, int],
) -> dict[str, int] | None:
    """Return the least-total sizes within bounds with ``z^2 V <= h^2``, or None if none do.

    >>> overall_sizes({"A": 9000, "D": 1000}, {"A": Fraction(1, 50), "D": Fraction(3, 10)},
    ...               Fraction(1, 100), 1.96, lower={"A": 1, "D": 1},
    ...               upper={"A": 9000, "D": 1000})
    {'A': 724, 'D': 264}
    """
    total = sum(eligible.values())
    z2 = Fraction(z) ** 2
    weight = {
        h: Fraction(units * units, total * total) * rates[h] * (1 - rates[h]) / (units - 1)
        if units > 1
        else Fraction(0)
        for h, units in eligible.items()
    }
    sizes = dict(lower)

    def variance() -> Fraction | None:
        result = Fraction(0)
        for h, units in eligible.items():
            part = rate_variance(units, sizes[h], rates[h])
            if part is None:
                return None
            result += part * Fraction(units, total) ** 2
        return result

    heap: list[tuple[tuple[int, Fraction], str]] = []

    def push(h: str) -> None:
        k = sizes[h]
        if k < upper[h]:
            # A class with no inspection has no estimate at all: it comes first.
            key = (0, Fraction(0)) if k == 0 else (1, -weight[h] * eligible[h] / (k * (k + 1)))
            heapq.heappush(heap, (key, h))

    for h in sizes:
        push(h)
    while not _meets(variance(), z2, half_width):
        if not heap:
            return None
        _, h = heapq.heappop(heap)
        sizes[h] += 1
        push(h)
    return sizes
