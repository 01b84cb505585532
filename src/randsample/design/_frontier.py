"""The rate frontier: workload against expected findings and precision as class rates sweep.

:func:`rate_sweep` scales a base set of class rates by a list of factors (all classes, or the
ones named) and returns the :class:`~randsample.design.RateComparison` of the results, a table
like any other. :func:`plot_rate_frontier` draws such a comparison (any, also one from
:func:`compare_rates`): inspections on the x axis, expected findings on the y axis, each set of
rates a point coloured by the overall 95% half-width, and the sets that no other set beats on
both workload and findings (the Pareto frontier) joined by a line. matplotlib is an optional
dependency (the ``plot`` extra), imported only when a plot is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from .. import _validation as check
from .._text import decimal
from ..errors import InvalidInputError, require
from ._planning import RateComparison, compare_rates
from ._sizing import Rounding

__all__ = ["plot_rate_frontier", "rate_sweep"]

DEFAULT_FACTORS = ("1/2", "3/4", "1", "3/2", "2", "3")


def rate_sweep(
    eligible: Mapping[str, int],
    base_rates: Mapping[str, object],
    violation_rates: Mapping[str, object],
    *,
    factors: Sequence[object] = DEFAULT_FACTORS,
    classes: Sequence[str] | None = None,
    rounding: Rounding = "ceiling",
    level: float = 0.95,
) -> RateComparison:
    """Return the comparison of ``base_rates`` scaled by each factor (capped at 100%).

    Only the classes named in ``classes`` are scaled (all by default); a factor is a
    non-negative rational (``"3/2"``, ``Fraction(3, 2)``, ``2``). Each row is named
    ``"×factor"``.

    >>> sweep = rate_sweep({"A": 1000, "D": 100}, {"A": "3%", "D": "30%"},
    ...                    {"A": "2%", "D": "40%"}, factors=["1", "2"], classes=["D"])
    >>> [(o.name, o.inspections) for o in sweep]
    [('×1', 60), ('×2', 90)]
    """
    base = check.mapping(base_rates, "base_rates")
    chosen = list(base) if classes is None else list(check.sequence(classes, "classes"))
    for h in chosen:
        if h not in base:
            raise InvalidInputError("classes", h, "names no class of base_rates")
    rate_sets: dict[str, dict[str, object]] = {}
    for index, factor in enumerate(check.sequence(factors, "factors")):
        try:
            scale = Fraction(factor) if not isinstance(factor, float) else Fraction(repr(factor))
        except (TypeError, ValueError, ZeroDivisionError):
            raise InvalidInputError(f"factors[{index}]", factor, "expected a rational") from None
        if scale < 0:
            raise InvalidInputError(f"factors[{index}]", factor, "must be >= 0")
        rates: dict[str, object] = {}
        for h, rate in base.items():
            value = check.rate(rate, f"base_rates[{h!r}]")
            rates[h] = min(Fraction(1), value * scale) if h in chosen else value
        rate_sets[f"×{decimal(scale, 2).rstrip('0').rstrip('.')}"] = rates
    return compare_rates(eligible, rate_sets, violation_rates, rounding=rounding, level=level)


def _frontier(points: list[tuple[int, float]]) -> list[int]:
    """Return the points no other point beats on both (fewer or equal x, more y)."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1]))
    best = float("-inf")
    kept = []
    for i in order:
        if points[i][1] > best:
            kept.append(i)
            best = points[i][1]
    return kept


def plot_rate_frontier(comparison: RateComparison, *, ax: Any = None, annotate: bool = True) -> Any:
    """Plot workload (x) against expected findings (y), coloured by the overall half-width.

    Returns the matplotlib ``Axes``. Needs matplotlib (``pip install randsample[plot]``);
    without it, :class:`~randsample.errors.MissingDependencyError` says so. (The plotting
    line is skipped in the doctests, which run without matplotlib; tests/design cover it.)

    >>> sweep = rate_sweep({"A": 1000, "D": 100}, {"A": "3%", "D": "30%"},
    ...                    {"A": "2%", "D": "40%"})
    >>> ax = plot_rate_frontier(sweep)  # doctest: +SKIP
    """
    check.instance(comparison, "comparison", RateComparison)
    if not len(comparison):
        raise InvalidInputError("comparison", comparison, "has no set of rates to plot")
    pyplot = require("matplotlib.pyplot", feature="plot_rate_frontier", extra="plot")
    if ax is None:
        _, ax = pyplot.subplots(figsize=(6.4, 4.2))
    x = [o.inspections for o in comparison]
    y = [float(o.expected_findings) for o in comparison]
    widths = [o.half_width for o in comparison]
    colour = [float("nan") if w is None else w * 100 for w in widths]
    front = _frontier(list(zip(x, y, strict=True)))
    ax.plot([x[i] for i in front], [y[i] for i in front], color="0.6", zorder=1, lw=1)
    dots = ax.scatter(x, y, c=colour, cmap="viridis_r", zorder=2, edgecolors="black")
    level = decimal(Fraction(comparison[0].level) * 100, 0)
    ax.figure.colorbar(dots, ax=ax, label=f"overall ± {level}% half-width (points)")
    if annotate:
        for name, xi, yi in zip((o.name for o in comparison), x, y, strict=True):
            ax.annotate(name, (xi, yi), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel("inspections (workload)")
    ax.set_ylabel("expected findings")
    ax.set_title("rate frontier: workload, findings and precision")
    return ax
