"""Across periods: repeat-inspection control and what each enterprise bore.

A fresh seed per period keeps every period's draw unpredictable until its seed is published;
repeat inspections are then limited by :func:`exclude_recent_in_scopes`
(:func:`randsample.population.exclude_recently_inspected` per scope, whose report states the
effect on the probabilities), and :func:`burden` counts the inspections each enterprise bore,
per period and cumulatively, by department.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import combinations

import attrs

from ..errors import InvalidInputError, InvalidTypeError
from ..joint import JointDraw
from ..population import ExclusionReport, Population, exclude_recently_inspected

__all__ = ["BurdenReport", "EnterpriseBurden", "burden", "exclude_recent_in_scopes"]


def exclude_recent_in_scopes(
    scopes: Mapping[str, Population],
    last_inspected: Mapping[str, date | None],
    *,
    as_of: date,
    days: int,
) -> tuple[dict[str, Population], dict[str, ExclusionReport]]:
    """Apply :func:`~randsample.population.exclude_recently_inspected` to every scope.

    ``last_inspected`` covers the whole directory (an id in no scope is an error, as in the
    single-population function); each scope gets the entries of its own ids. The reports say
    per scope and stratum how many were excluded and, via
    :meth:`~randsample.population.ExclusionReport.inclusion_probabilities`, how ``n_h / M_h``
    rises for the others. Use the result as the ``scopes`` of :func:`draw_joint`.

    >>> scopes = {"x": Population.from_columns(["e1", "e2", "e3"], strata="A")}
    >>> new, reports = exclude_recent_in_scopes(
    ...     scopes, {"e1": date(2026, 8, 1)}, as_of=date(2026, 9, 30), days=180)
    >>> reports["x"].excluded, {h: str(p) for h, (_, p)
    ...                          in reports["x"].inclusion_probabilities({"A": 1}).items()}
    (('e1',), {'A': '1/2'})
    """
    if not isinstance(scopes, Mapping):
        raise InvalidTypeError("scopes", scopes, "a mapping from scope to Population")
    known: set[str] = set()
    for scope, population in scopes.items():
        if not isinstance(population, Population):
            raise InvalidTypeError(f"scopes[{scope!r}]", population, "a Population")
        known.update(population.ids.tolist())
    for ident in last_inspected:
        if ident not in known:
            raise InvalidInputError("last_inspected", ident, "is not an id of any scope")
    populations: dict[str, Population] = {}
    reports: dict[str, ExclusionReport] = {}
    for scope, population in scopes.items():
        ids = set(population.ids.tolist())
        own = {ident: when for ident, when in last_inspected.items() if ident in ids}
        populations[scope], reports[scope] = exclude_recently_inspected(
            population, own, as_of=as_of, days=days
        )
    return populations, reports


@attrs.frozen
class EnterpriseBurden:
    """What one enterprise bore, period by period (the periods of the report, in order)."""

    enterprise: str
    periods: tuple[str, ...]
    visits: tuple[int, ...]
    off_site_checks: tuple[int, ...]
    departments: tuple[tuple[str, ...], ...]

    @property
    def cumulative_visits(self) -> tuple[int, ...]:
        """Return the on-site visits up to and including each period."""
        total, out = 0, []
        for count in self.visits:
            total += count
            out.append(total)
        return tuple(out)

    @property
    def total_visits(self) -> int:
        """Return the on-site visits over all periods."""
        return sum(self.visits)

    @property
    def department_inspections(self) -> int:
        """Return the inspections by department: what separate visits would have numbered."""
        return sum(len(departments) for departments in self.departments)

    @property
    def by_department(self) -> tuple[tuple[str, int], ...]:
        """Return, per department, the number of periods in which it inspected the enterprise."""
        counts = Counter(d for departments in self.departments for d in departments)
        return tuple(sorted(counts.items()))


@attrs.frozen
class BurdenReport:
    """Per-enterprise inspection burden over a sequence of periods (see :func:`burden`)."""

    periods: tuple[str, ...]
    enterprises: tuple[EnterpriseBurden, ...]
    reused_seeds: tuple[tuple[str, str], ...]

    def of(self, enterprise: str) -> EnterpriseBurden:
        """Return the burden of ``enterprise`` (all zero if it was never drawn)."""
        for entry in self.enterprises:
            if entry.enterprise == enterprise:
                return entry
        zeros = (0,) * len(self.periods)
        return EnterpriseBurden(enterprise, self.periods, zeros, zeros, ((),) * len(zeros))

    def summary(self) -> str:
        """Return how many enterprises had how many visits, and the saving from merging.

        >>> from randsample.examples import small_joint_draw
        >>> print(burden([small_joint_draw()]).summary())
        periods: 2026-Q4
        enterprises drawn: 3; on-site visits: 3; inspections by department: 6
        visits  enterprises
        1                 3
        """
        rows = [f"periods: {', '.join(self.periods)}"]
        if self.reused_seeds:
            pairs = "; ".join(f"{a} and {b}" for a, b in self.reused_seeds)
            rows.append(f"WARNING: the same seed was used in {pairs}: draws are not independent")
        visits = sum(e.total_visits for e in self.enterprises)
        by_department = sum(e.department_inspections for e in self.enterprises)
        rows.append(
            f"enterprises drawn: {len(self.enterprises)}; on-site visits: {visits};"
            f" inspections by department: {by_department}"
        )
        rows.append(f"{'visits':<7} {'enterprises':>11}")
        histogram = Counter(e.total_visits for e in self.enterprises)
        rows.extend(f"{k:<7} {histogram[k]:>11}" for k in sorted(histogram))
        return "\n".join(rows)


def _check_results(results: Sequence[JointDraw]) -> tuple[JointDraw, ...]:
    out = tuple(results)
    periods: list[str] = []
    for index, result in enumerate(out):
        if not isinstance(result, JointDraw):
            raise InvalidTypeError(f"results[{index}]", result, "a JointDraw")
        if result.period in periods:
            raise InvalidInputError(f"results[{index}].period", result.period, "appears twice")
        periods.append(result.period)
    return out


def burden(results: Sequence[JointDraw]) -> BurdenReport:
    """Count, per enterprise, visits, off-site checks and departments, period by period.

    ``results`` are the draws of successive periods, in order. A seed used in two periods is
    reported (``reused_seeds``): it would draw the same enterprises again and make later
    draws predictable.

    >>> from randsample.examples import small_joint_draw
    >>> report = burden([small_joint_draw()])
    >>> entry = report.enterprises[0]
    >>> entry.visits, entry.cumulative_visits, entry.by_department
    ((1,), (1,), (('HEALTH', 1), ('SAMR', 1)))
    """
    checked = _check_results(results)
    periods = tuple(r.period for r in checked)
    rows: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
    empty = (0, 0, ())
    for index, result in enumerate(checked):
        for visit in result.visits + result.off_site_checks:
            row = rows.setdefault(visit.enterprise, [empty] * len(checked))
            row[index] = (int(visit.on_site), int(not visit.on_site), visit.departments)
    reused = tuple(
        (a.period, b.period) for a, b in combinations(checked, 2) if a.seed.value == b.seed.value
    )
    entries = tuple(
        EnterpriseBurden(
            enterprise,
            periods,
            tuple(v for v, _, _ in row),
            tuple(o for _, o, _ in row),
            tuple(d for _, _, d in row),
        )
        for enterprise, row in sorted(rows.items())
    )
    return BurdenReport(periods, entries, reused)
