"""Sample-size allocation across strata for stratified simple random sampling.

Every method solves one problem: minimise ``V(n_1..n_H) = sum_h w_h**2 / n_h`` subject to
``sum_h n_h = n`` and ``m_h <= n_h <= M_h``, where the weight ``w_h`` is

* ``N_h`` for proportional allocation,
* ``A_h = N_h S_h`` for Neyman allocation (then ``V`` is the variance of the stratified
  estimator of a total, up to the term ``sum_h N_h S_h**2`` that no allocation changes;
  Cochran 1977 §5.5, Särndal et al. 1992 Result 3.7.2),
* ``A_h / sqrt(c_h)`` for ``"optimal"``: cost-weighted allocation *at a fixed total* ``n``.
  Without binding bounds this is Cochran's ``n_h ∝ N_h S_h / sqrt(c_h)``; the costs change
  the shape, never the total. It is not stratallo's ``optcost`` (least cost for a variance).

Without binding bounds the continuous optimum is the textbook ``n_h ∝ w_h``; with bounds it is
``n_h = clip(w_h t, m_h, M_h)`` with the one ``t`` that makes the sizes add up to ``n``.

The integer sizes are the exact integer optimum, found by Wright's (2012, 2017) greedy: start
at ``m_h`` and give one unit at a time to the stratum with the largest priority
``w_h**2 / (n_h (n_h + 1))`` (the fall in ``V`` that unit buys) among those below ``M_h``.
Because ``V`` is separable and convex, each step is the best possible and the result is
optimal. Priorities are exact fractions (``Fraction(float)`` is exact), so no rounding error
can decide a step; equal priorities go to the stratum whose label is first in code-point
order. Consequences worth knowing:

* A stratum with ``n_h = 0`` and ``w_h > 0`` makes ``V`` infinite, so its priority is
  infinite: with the default ``m_h = 0`` every such stratum gets a unit before any gets two
  (largest ``w_h`` first when ``n`` is too small for all).
* A stratum with ``w_h = 0`` (``S_h = 0``, a violation rate of 0 or 1, or ``N_h = 0``) gets
  nothing beyond ``m_h`` unless every other stratum is at ``M_h``; use ``minimum`` to insist.
* The greedy is a divisor method (Huntington-Hill, the US House apportionment method, for the
  proportional weights): raising ``n`` by one adds one unit to one stratum and takes none from
  any other. Largest-remainder (Hamilton) rounding lacks this (the Alabama paradox).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Literal

from .. import _validation as check
from ..core import check_id
from ..errors import InvalidInputError, InvalidTypeError, SampleSizeError
from ._allocation_result import Allocation
from ._sizing import Sizes

__all__ = ["Allocation", "allocate"]

_METHODS = ("proportional", "neyman", "optimal")


def _count(value: object, field: str) -> int:
    """Return ``value`` as a non-negative ``int``; bool and float (even ``3.0``) are refused."""
    error = SampleSizeError if field == "n" else InvalidInputError
    return check.integer(value, field, minimum=0, error=error)


def _real(value: object, field: str) -> Fraction:
    """Return a finite real number as the exact ``Fraction`` of its binary value."""
    check.real(value, field)
    return Fraction(value) if isinstance(value, Fraction) else Fraction(float(value))  # type: ignore[arg-type]


def _per_stratum(values: object, name: str, labels: Mapping[str, int]) -> Mapping[str, object]:
    """Check that ``values`` is a mapping whose keys are all strata of ``population_sizes``."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise InvalidTypeError(name, values, "a mapping from stratum label to value")
    for key in values:
        if key not in labels:
            problem = f"names no stratum of population_sizes {list(labels)}"
            raise InvalidInputError(f"{name}[{key!r}]", values[key], problem)
    return values


def _check_method_inputs(
    method: str,
    std_devs: Mapping[str, object],
    violation_rates: Mapping[str, object],
    costs: Mapping[str, object],
) -> None:
    """Refuse inputs the method needs but lacks, or has but would ignore (it would look used)."""
    if method not in _METHODS:
        raise InvalidInputError("method", method, f"must be one of {', '.join(_METHODS)}")
    if method == "proportional":
        # violation_rates are allowed: they are used for the precision columns only.
        if std_devs:
            raise InvalidInputError(
                "std_devs", dict(std_devs), "is not used by method='proportional'"
            )
    elif not std_devs and not violation_rates:
        raise InvalidInputError("std_devs", None, f"is required by method={method!r}")
    elif std_devs and violation_rates:
        raise InvalidInputError("violation_rates", dict(violation_rates), "give std_devs or this")
    if method != "optimal" and costs:
        raise InvalidInputError("costs", dict(costs), "is used only by method='optimal'")
    if method == "optimal" and not costs:
        raise InvalidInputError("costs", None, "is required by method='optimal'")


def _value(values: Mapping[str, object], name: str, h: str) -> Fraction:
    if h not in values:
        raise InvalidInputError(name, dict(values), f"has no value for stratum {h!r}")
    if name == "violation_rates":  # a rate reads like every rate: "2%", Fraction, 0.02
        return check.rate(values[h], f"{name}[{h!r}]")
    return _real(values[h], f"{name}[{h!r}]")


def _squared_weights(
    method: str,
    sizes: dict[str, int],
    std_devs: Mapping[str, object],
    violation_rates: Mapping[str, object],
    costs: Mapping[str, object],
) -> dict[str, Fraction]:
    """Return ``w_h**2`` exactly: the greedy only needs squares, so no square root is taken."""
    if method == "proportional":
        return {h: Fraction(size * size) for h, size in sizes.items()}
    rates = bool(violation_rates)
    source, name = (violation_rates, "violation_rates") if rates else (std_devs, "std_devs")
    squares: dict[str, Fraction] = {}
    for h, size in sizes.items():
        spread = _value(source, name, h)
        if spread < 0:
            raise InvalidInputError(f"{name}[{h!r}]", source[h], "must be >= 0")
        # For a rate S_h^2 is exactly N_h p(1 - p) / (N_h - 1); that factor, near 1 for any
        # stratum worth allocating to, is dropped so that a rate means the same everywhere.
        variance = spread * (1 - spread) if rates else spread * spread
        cost = _value(costs, "costs", h) if method == "optimal" else Fraction(1)
        if cost <= 0:
            raise InvalidInputError(f"costs[{h!r}]", costs[h], "must be > 0")
        squares[h] = size * size * variance / cost
    return squares


def _greedy(
    n: int, squares: dict[str, Fraction], lo: dict[str, int], hi: dict[str, int]
) -> dict[str, int]:
    """Wright's greedy: the exact integer minimiser of ``sum w_h**2 / n_h`` within the bounds."""
    sizes = dict(lo)
    heap: list[tuple[tuple[int, Fraction], str]] = []

    def push(h: str) -> None:
        k = sizes[h]
        if k < hi[h]:
            # heapq pops the smallest key: negate the priority. Tier 0 holds the infinite
            # priorities (k = 0, w > 0), ordered among themselves by the larger w_h**2; a
            # zero weight has priority 0 at every k.
            if not squares[h]:
                key = (1, Fraction(0))
            elif k == 0:
                key = (0, -squares[h])
            else:
                key = (1, -squares[h] / (k * (k + 1)))
            heapq.heappush(heap, (key, h))  # equal keys fall back to the label: code-point order

    for h in sizes:
        push(h)
    for _ in range(n - sum(lo.values())):
        _, h = heapq.heappop(heap)  # never empty: n <= sum(hi) was checked
        sizes[h] += 1
        push(h)
    return sizes


def _continuous(
    n: int, squares: dict[str, Fraction], lo: dict[str, int], hi: dict[str, int]
) -> dict[str, float]:
    """Return ``clip(w_h t, m_h, M_h)`` with ``t`` solved exactly on its linear piece."""
    weight = {h: math.sqrt(s) for h, s in squares.items()}
    out = {h: float(lo[h]) for h in lo}
    positive = [h for h in lo if weight[h] > 0]
    rest = n - sum(lo.values())
    room = sum(hi[h] - lo[h] for h in positive)
    if rest >= room:
        # Every weighted stratum is full; zero-weight strata take the rest in label order,
        # exactly as the greedy does (any split of it is optimal, this one is reproducible).
        rest -= room
        for h, least in lo.items():
            take = hi[h] - least if h in positive else min(rest, hi[h] - least)
            out[h] += take
            rest -= 0 if h in positive else take
        return out
    if rest == 0:
        return out
    # sum_h clip(w_h t, m_h, M_h) is continuous, piecewise linear and non-decreasing in t with
    # kinks at m_h / w_h and M_h / w_h. Find the piece [a, b] where it reaches n and solve there.
    low = {h: lo[h] / weight[h] for h in positive}
    high = {h: hi[h] / weight[h] for h in positive}
    kinks = sorted(set(low.values()) | set(high.values()))
    target = n - sum(lo[h] for h in lo if h not in positive)

    def pieces(a: float, b: float) -> tuple[float, float]:
        fixed = sum(lo[h] for h in positive if low[h] >= b)
        fixed += sum(hi[h] for h in positive if high[h] <= a and low[h] < b)
        return fixed, math.fsum(weight[h] for h in positive if low[h] < b and high[h] > a)

    for a, b in itertools.pairwise(kinks):
        fixed, free = pieces(a, b)
        if fixed + free * b >= target:
            t = (target - fixed) / free
            for h in positive:
                out[h] = float(min(max(weight[h] * t, lo[h]), hi[h]))
            break
    return out


def allocate(
    n: int,
    population_sizes: Mapping[str, int],
    *,
    method: Literal["proportional", "neyman", "optimal"] = "proportional",
    std_devs: Mapping[str, float] | None = None,
    violation_rates: Mapping[str, float] | None = None,
    costs: Mapping[str, float] | None = None,
    minimum: Mapping[str, int] | None = None,
    maximum: Mapping[str, int] | None = None,
) -> Allocation:
    """Allocate a total sample size ``n`` to strata: the exact integer optimum and its bounds.

    Parameters
    ----------
    n : int
        Total sample size.
    population_sizes : Mapping[str, int]
        ``N_h``, the units of each stratum (eligible units, if some cannot be drawn).
    method : {"proportional", "neyman", "optimal"}
        ``n_h ∝ N_h``, ``n_h ∝ N_h S_h`` or ``n_h ∝ N_h S_h / sqrt(c_h)`` (see the module).
    std_devs : Mapping[str, float], optional
        ``S_h`` of every stratum; required by ``"neyman"`` and ``"optimal"``.
    violation_rates : Mapping[str, rate], optional
        Instead of ``std_devs``: expected rates ``p_h``, giving ``S_h = sqrt(p_h (1 - p_h))``;
        read like every rate (``"2%"``, ``Fraction(1, 50)``, ``0.02``). Also allowed with
        ``"proportional"`` (which does not use them to allocate). When given, the result
        also reports each class's expected findings and the expected standard error and 95%
        half-width of its violation rate and of the overall rate
        (:meth:`Allocation.precision`).
    costs : Mapping[str, float], optional
        ``c_h > 0``, the cost of inspecting one unit; required by ``"optimal"`` only.
    minimum : Mapping[str, int], optional
        ``m_h``, the least size of a stratum; 0 where not given (as in
        :func:`sizes_from_rates`).
    maximum : Mapping[str, int], optional
        ``M_h <= N_h``, the largest size of a stratum; ``N_h`` where not given.

    Returns
    -------
    Allocation
        Integer sizes adding up to ``n``, the continuous optimum and the bounds reached.

    Raises
    ------
    InvalidTypeError
        A value of the wrong type.
    InvalidInputError
        A bad value, naming the stratum: unknown or missing stratum, negative or non-finite
        ``S_h``, a rate outside [0, 1], a cost <= 0, ``m_h > M_h``, ``M_h > N_h``.
    SampleSizeError
        ``n`` is negative, below the sum of the lower bounds or above that of the upper bounds.

    Examples
    --------
    Neyman allocation of 400 inspections to credit classes A-D:

    >>> a = allocate(400, {"A": 4000, "B": 2500, "C": 800, "D": 200},
    ...              method="neyman", std_devs={"A": 1, "B": 2, "C": 4, "D": 10})
    >>> dict(a.sizes)
    {'A': 113, 'B': 141, 'C': 90, 'D': 56}
    >>> [round(x, 3) for x in a.continuous.values()]
    [112.676, 140.845, 90.141, 56.338]
    >>> allocate(400, {"A": 4000, "B": 2500, "C": 800, "D": 200}, method="neyman",
    ...          std_devs={"A": 1, "B": 2, "C": 4, "D": 10}, maximum={"D": 40}).sizes
    Sizes({'A': 118, 'B': 148, 'C': 94, 'D': 40})
    """
    if not isinstance(population_sizes, Mapping):
        raise InvalidTypeError("population_sizes", population_sizes, "a mapping stratum -> N_h")
    if not population_sizes:
        raise InvalidInputError("population_sizes", dict(population_sizes), "must name a stratum")
    labels = [check_id(h, field="population_sizes (stratum label)") for h in population_sizes]
    sizes = {h: _count(population_sizes[h], f"population_sizes[{h!r}]") for h in sorted(labels)}
    n = _count(n, "n")
    std = _per_stratum(std_devs, "std_devs", sizes)
    rates = _per_stratum(violation_rates, "violation_rates", sizes)
    unit_costs = _per_stratum(costs, "costs", sizes)
    _check_method_inputs(method, std, rates, unit_costs)
    squares = _squared_weights(method, sizes, std, rates, unit_costs)

    given_lo = _per_stratum(minimum, "minimum", sizes)
    given_hi = _per_stratum(maximum, "maximum", sizes)
    lo = {h: _count(given_lo.get(h, 0), f"minimum[{h!r}]") for h in sizes}
    hi = {h: _count(given_hi.get(h, size), f"maximum[{h!r}]") for h, size in sizes.items()}
    for h, size in sizes.items():
        if hi[h] > size:  # never clipped quietly: a wrong bound must be seen
            raise InvalidInputError(f"maximum[{h!r}]", hi[h], f"exceeds N_h = {size} of {h!r}")
        if lo[h] > hi[h]:
            bound = f"maximum[{h!r}] = {hi[h]}" if h in given_hi else f"N_h = {size}"
            raise InvalidInputError(f"minimum[{h!r}]", lo[h], f"exceeds {bound} of stratum {h!r}")
    if n < sum(lo.values()):
        raise SampleSizeError("n", n, f"is below the sum of the minimums, {sum(lo.values())}")
    if n > sum(hi.values()):
        raise SampleSizeError(
            "n",
            n,
            f"exceeds the sum of the maximums, {sum(hi.values())} (sum of N_h: "
            f"{sum(sizes.values())}): no allocation can reach it",
        )

    integer = _greedy(n, squares, lo, hi)
    return Allocation(
        sizes=Sizes.from_mapping(integer, sizes, rule=f"{method} allocation"),
        continuous=_continuous(n, squares, lo, hi),
        method=method,
        minimum_binding=tuple(h for h in integer if integer[h] == lo[h]),
        maximum_binding=tuple(h for h in integer if integer[h] == hi[h]),
        population_sizes=sizes,
        violation_rates=(
            {h: check.rate(rates[h], f"violation_rates[{h!r}]") for h in sizes} if rates else None
        ),
    )
