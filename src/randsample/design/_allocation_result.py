"""The result of :func:`~randsample.design.allocate`: sizes, bounds reached, precision."""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import attrs

from .._text import Column, Tabular, decimal, percent
from ..errors import InvalidInputError
from ._planning import Outlook, points, precision
from ._sizing import Sizes

__all__ = ["Allocation"]

_BOUND_NAMES = {(True, True): "fixed", (True, False): "minimum", (False, True): "maximum"}
_BOUND_NAMES[False, False] = ""


@attrs.frozen
class Allocation(Tabular):
    """The outcome of :func:`allocate`; every mapping is keyed by stratum, in label order.

    Attributes
    ----------
    sizes : Sizes
        The exact integer optimum; the sizes add up to ``n``. Pass it straight to a draw.
    continuous : dict[str, float]
        The real-valued optimum under the same bounds (for reporting only).
    method : str
        ``"proportional"``, ``"neyman"`` or ``"optimal"``.
    minimum_binding, maximum_binding : tuple[str, ...]
        Strata whose integer size equals their minimum (maximum); a maximum equal to ``N_h``
        means the stratum is taken whole.
    population_sizes : dict[str, int]
        The ``N_h`` the allocation was made for.
    violation_rates : dict[str, Fraction] or None
        The assumed violation rates, when given: then the table also shows the expected
        findings and the expected standard error and 95% half-width of each class's violation
        rate (see :meth:`precision`).

    Examples
    --------
    >>> from randsample.design import allocate
    >>> a = allocate(60, {"A": 900, "B": 300, "D": 8}, method="neyman",
    ...              violation_rates={"A": "2%", "B": "5%", "D": "40%"}, minimum={"B": 25})
    >>> a
    Allocation(neyman: {'A': 34, 'B': 25, 'D': 1})
    >>> print(a.summary())
    stratum   N_h  continuous  sample     p_h  findings  SE (pts)   ± 95%  bound
    A         900      33.944      34   2.00%      0.68     2.357   4.619
    B         300      25.000      25   5.00%      1.25     4.180   8.193  minimum
    D           8       1.056       1  40.00%      0.40    48.990  96.018
    total    1208      60.000      60              2.33     2.065   4.048
    """

    sizes: Sizes
    continuous: dict[str, float]
    method: str
    minimum_binding: tuple[str, ...]
    maximum_binding: tuple[str, ...]
    population_sizes: dict[str, int]
    violation_rates: dict[str, Fraction] | None = None

    def __repr__(self) -> str:
        return f"Allocation({self.method}: {dict(self.sizes)!r})"

    def precision(
        self, violation_rates: Mapping[str, object] | None = None, *, level: float = 0.95
    ) -> Outlook:
        """Return findings and expected precision per class and overall for these sizes.

        ``violation_rates`` defaults to those given to :func:`allocate`.

        >>> from randsample.design import allocate
        >>> a = allocate(100, {"A": 9000, "D": 1000}, method="neyman",
        ...              violation_rates={"A": "2%", "D": "30%"})
        >>> o = a.precision()
        >>> dict(a.sizes), round(o.half_width, 4)
        ({'A': 73, 'D': 27}, 0.0335)
        """
        rates = self.violation_rates if violation_rates is None else violation_rates
        if rates is None:
            raise InvalidInputError(
                "violation_rates", None, "is needed: allocate got none, so pass them here"
            )
        return precision(self.sizes, rates, level=level, name=f"{self.method} allocation")

    def _columns(self) -> list[Column]:
        columns = [
            Column("stratum", "stratum", align="<"),
            Column("population_size", "N_h"),
            Column("continuous", "continuous", lambda x: f"{x:.3f}"),
            Column("size", "sample"),
            Column("bound", "bound", align="<"),
        ]
        if self.violation_rates is not None:
            columns[4:4] = [
                Column("violation_rate", "p_h", percent),
                Column("expected_findings", "findings", decimal),
                Column("standard_error", "SE (pts)", points),
                Column("half_width", "± 95%", points),
            ]
        return columns

    def _items(self) -> list[dict[str, object]]:
        outlook = self.precision() if self.violation_rates is not None else None
        rows = []
        for index, (h, size) in enumerate(self.sizes.items()):
            at_lower, at_upper = h in self.minimum_binding, h in self.maximum_binding
            if at_upper and size == self.population_sizes[h] > 0:
                bound = "take-all"
            else:
                bound = _BOUND_NAMES[at_lower, at_upper]
            row: dict[str, object] = {
                "stratum": h,
                "population_size": self.population_sizes[h],
                "continuous": self.continuous[h],
                "size": size,
                "bound": bound,
            }
            if outlook is not None:
                c = outlook.classes[index]
                row.update(
                    violation_rate=c.violation_rate,
                    expected_findings=c.expected_findings,
                    standard_error=c.standard_error,
                    half_width=c.half_width,
                )
            rows.append(row)
        return rows

    def _footer(self) -> list[list[str]]:
        row = [
            "total",
            str(sum(self.population_sizes.values())),
            f"{math.fsum(self.continuous.values()):.3f}",
            str(sum(self.sizes.values())),
            "",
        ]
        if self.violation_rates is not None:
            o = self.precision()
            row[4:4] = [
                "",
                decimal(o.expected_findings),
                points(o.standard_error),
                points(o.half_width),
            ]
        return [row]
