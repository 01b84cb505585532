"""How well the departments' draws were coordinated.

Visits against the theoretical minimum and against the independent expectation, per cell
(scope and stratum) and per pair of departments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from fractions import Fraction
from itertools import combinations

import attrs
import numpy as np

from .._text import decimal as _decimal
from .._text import pad as _pad
from ..population import Population
from ._visits import DepartmentDraw

__all__ = ["CellFigures", "CoordinationReport", "PairOverlap"]


@attrs.frozen
class CellFigures:
    """Figures of one (scope, stratum): sizes per department, and counts three ways.

    ``scope`` is the scope in the coordinated mode and the task id in the declared mode
    (where the "independent" figures are what the departments would have drawn each on its
    own, and "minimum" is the list the initiator drew).

    ``visits`` (enterprises needing an on-site visit) and ``enterprises`` (drawn at all) are
    the coordinated counts; ``*_independent`` their exact expectation had every department
    drawn independently; ``*_minimum`` the largest department sample, the least possible.
    """

    scope: str
    stratum: str
    eligible: int
    sizes: tuple[tuple[str, int], ...]
    visits: int
    visits_independent: Fraction
    visits_minimum: int
    enterprises: int
    enterprises_independent: Fraction
    enterprises_minimum: int


@attrs.frozen
class PairOverlap:
    """Enterprises drawn by both of two departments in a period, and under independence.

    Listed for every pair of departments whose scopes share an enterprise.
    """

    departments: tuple[str, str]
    overlap: int
    independent: Fraction


@attrs.frozen
class CoordinationReport:
    """What coordination achieved in a period, with exact comparisons.

    Totals: ``visits`` (on-site visits made), ``visits_independent`` (the exact expected
    number had each department drawn with its own seed, ``sum_u P(some on-site draw takes u)``),
    ``visits_minimum`` (per (scope, stratum) the largest on-site department sample, summed: the
    least possible when no enterprise belongs to two scopes; ``shared_enterprises`` counts those
    that do). The same three for ``enterprises`` drawn at all, on-site or off-site.
    """

    period: str
    cells: tuple[CellFigures, ...]
    visits: int
    visits_independent: Fraction
    visits_minimum: int
    enterprises: int
    enterprises_independent: Fraction
    enterprises_minimum: int
    pairs: tuple[PairOverlap, ...]
    shared_enterprises: int
    grouped_by: str = "scope"

    def summary(self) -> str:
        """Return the figures as a table (expectations to two decimals, rounded half up).

        >>> from randsample.examples import small_joint_draw
        >>> print(small_joint_draw().report.summary())
        period 2026-Q4: 3 visits, 0 off-site checks
        scope      stratum  eligible  visits  independent  minimum  sizes
        餐饮       A              20       2         3.80        2  HEALTH 2, SAMR 2
        餐饮       B               5       1         1.80        1  HEALTH 1, SAMR 1
        total visits                       3         5.60        3
        enterprises drawn                  3         5.60        3  (visits and off-site checks)
        pair                 overlap  independent
        HEALTH+SAMR                3         0.40
        """
        rows = [
            f"period {self.period}: {self.visits} visits,"
            f" {self.enterprises - self.visits} off-site checks",
            f"{self.grouped_by:<10} {'stratum':<8} {'eligible':>8} {'visits':>7}"
            f" {'independent':>12} {'minimum':>8}  sizes",
        ]
        for c in self.cells:
            sizes = ", ".join(f"{d} {n}" for d, n in c.sizes)
            rows.append(
                f"{_pad(c.scope, 10)} {_pad(c.stratum, 8)} {c.eligible:>8} {c.visits:>7}"
                f" {_decimal(c.visits_independent):>12} {c.visits_minimum:>8}  {sizes}"
            )
        rows.append(
            f"{'total visits':<28} {self.visits:>7} {_decimal(self.visits_independent):>12}"
            f" {self.visits_minimum:>8}"
        )
        rows.append(
            f"{'enterprises drawn':<28} {self.enterprises:>7}"
            f" {_decimal(self.enterprises_independent):>12} {self.enterprises_minimum:>8}"
            "  (visits and off-site checks)"
        )
        if self.shared_enterprises:
            rows.append(
                f"({self.shared_enterprises} enterprises belong to several {self.grouped_by}s)"
            )
        rows.append(f"{'pair':<19} {'overlap':>8} {'independent':>12}")
        rows.extend(
            f"{_pad('+'.join(p.departments), 19)} {p.overlap:>8} {_decimal(p.independent):>12}"
            for p in self.pairs
        )
        return "\n".join(rows)


def _cell(
    scope: str, stratum: str, eligible: int, drawn: list[tuple[DepartmentDraw, set[str], int]]
) -> CellFigures:
    def independent(sizes: list[int]) -> Fraction:
        # Each unit escapes every department with prob. prod(1 - n_d / M); exact fractions.
        if not eligible:  # no eligible unit: nothing can be drawn (and n_h is 0)
            return Fraction(0)
        miss = Fraction(1)
        for size in sizes:
            miss *= 1 - Fraction(size, eligible)
        return eligible * (1 - miss)

    on_site = [(ids, n) for draw, ids, n in drawn if draw.on_site]
    every = [(ids, n) for _, ids, n in drawn]
    return CellFigures(
        scope,
        stratum,
        eligible,
        tuple((draw.department, n) for draw, _, n in drawn),
        len(set().union(*(ids for ids, _ in on_site))),
        independent([n for _, n in on_site]),
        max((n for _, n in on_site), default=0),
        len(set().union(*(ids for ids, _ in every))),
        independent([n for _, n in every]),
        max((n for _, n in every), default=0),
    )


Signature = tuple[tuple[str, str, bool], ...]


def _signatures(
    keys: list[str], scopes: Mapping[str, Population]
) -> tuple[Counter[Signature], int]:
    """Count the enterprises by their (group, stratum, eligible) memberships, in key order.

    Returns the counts and the number of enterprises in more than one group. Groups over the
    same units in the same order (a scope's tasks in the declared mode) form a family; when
    the families share no unit, each family is counted column-wise (fast); otherwise unit by
    unit.
    """
    families: list[list[str]] = []
    for key in keys:
        ids = scopes[key].ids
        for family in families:
            first = scopes[family[0]].ids
            if first is ids or (len(first) == len(ids) and bool(np.array_equal(first, ids))):
                family.append(key)
                break
        else:
            families.append([key])
    seen: set[str] = set()
    total = 0
    for family in families:
        ids = scopes[family[0]].ids.tolist()
        seen.update(ids)
        total += len(ids)
    counts: Counter[Signature] = Counter()
    if len(seen) == total:  # the families are disjoint
        for family in families:
            columns = [scopes[key].eligible.tolist() for key in family]
            strata = scopes[family[0]].strata.tolist()
            for (label, *oks), count in Counter(zip(strata, *columns, strict=True)).items():
                counts[tuple((key, label, ok) for key, ok in zip(family, oks, strict=True))] += (
                    count
                )
        shared = sum(len(scopes[f[0]]) for f in families if len(f) > 1)
        return counts, shared
    memberships: dict[str, list[tuple[str, str, bool]]] = {}
    for key in keys:
        population = scopes[key]
        for ident, label, ok in zip(
            population.ids.tolist(),
            population.strata.tolist(),
            population.eligible.tolist(),
            strict=True,
        ):
            memberships.setdefault(ident, []).append((key, label, ok))
    counts.update(tuple(m) for m in memberships.values())
    return counts, sum(len(m) > 1 for m in memberships.values())


def _by_scope(draw: DepartmentDraw) -> str:
    return draw.scope


#: Counts the enterprises of the given groups by their memberships (see :func:`_signatures`).
Memberships = Callable[[list[str]], tuple[Counter[Signature], int]]


def _report(
    period: str,
    draws: list[DepartmentDraw],
    scopes: Mapping[str, Population],
    visits: int,
    enterprises: int,
    *,
    key: Callable[[DepartmentDraw], str] = _by_scope,
    grouped_by: str = "scope",
) -> CoordinationReport:
    # Draws are grouped by key(draw) (the scope; the task in the declared mode, where each task
    # has its own population after exclusions) and scopes[key] is the group's population.
    return report_from(
        period,
        draws,
        lambda keys: _signatures(keys, scopes),
        visits,
        enterprises,
        key=key,
        grouped_by=grouped_by,
    )


def report_from(
    period: str,
    draws: list[DepartmentDraw],
    memberships: Memberships,
    visits: int,
    enterprises: int,
    *,
    key: Callable[[DepartmentDraw], str] = _by_scope,
    grouped_by: str = "scope",
) -> CoordinationReport:
    """Return the coordination report, the enterprises' memberships counted by ``memberships``.

    The one computation of the report, whatever holds the populations (in memory, or
    partitioned: :mod:`randsample.distributed`).
    """
    by_scope: dict[str, list[DepartmentDraw]] = {}
    for draw in draws:
        by_scope.setdefault(key(draw), []).append(draw)
    cells = []
    for scope, scope_draws in by_scope.items():
        for stratum_size in scope_draws[0].sizes.details:
            label = stratum_size.stratum
            drawn = [
                (
                    d,
                    {u.id for u in d.sample.selection if u.stratum == label},
                    d.sample.sizes[label],
                )
                for d in scope_draws
            ]
            cells.append(_cell(scope, label, stratum_size.eligible, drawn))
    # Exact expectations under independent draws, per enterprise: an enterprise's chances
    # depend only on its (scope, stratum, eligible) memberships, so group by those.
    signatures, shared = memberships(list(by_scope))
    departments = sorted({d.department for d in draws})
    visits_expected = enterprises_expected = Fraction(0)
    pair_expected = dict.fromkeys(combinations(departments, 2), Fraction(0))
    pi_of = {
        (draw.task_id, draw.department): {s.stratum: s.rate for s in draw.sizes.details}
        for draw in draws
    }
    for signature, count in signatures.items():
        miss_visit = miss_any = Fraction(1)
        miss_department = dict.fromkeys(departments, Fraction(1))
        for scope, label, ok in signature:
            for draw in by_scope[scope]:
                pi = pi_of[draw.task_id, draw.department][label] if ok else Fraction(0)
                miss_any *= 1 - pi
                miss_department[draw.department] *= 1 - pi
                if draw.on_site:
                    miss_visit *= 1 - pi
        visits_expected += count * (1 - miss_visit)
        enterprises_expected += count * (1 - miss_any)
        for first, second in pair_expected:
            pair_expected[first, second] += (
                count * (1 - miss_department[first]) * (1 - miss_department[second])
            )
    chosen: dict[str, set[str]] = {d: set() for d in departments}
    for draw in draws:
        chosen[draw.department].update(draw.sample.ids)
    pairs = tuple(
        PairOverlap(pair, overlap, expected)
        for pair, expected in pair_expected.items()
        # Departments that share no enterprise at all (disjoint scopes) are left out.
        if (overlap := len(chosen[pair[0]] & chosen[pair[1]])) or expected
    )
    return CoordinationReport(
        period=period,
        cells=tuple(cells),
        visits=visits,
        visits_independent=visits_expected,
        visits_minimum=sum(c.visits_minimum for c in cells),
        enterprises=enterprises,
        enterprises_independent=enterprises_expected,
        enterprises_minimum=sum(c.enterprises_minimum for c in cells),
        pairs=pairs,
        shared_enterprises=shared,
        grouped_by=grouped_by,
    )
