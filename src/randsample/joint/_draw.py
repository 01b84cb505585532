"""Joint inspections: coordinated draws of several departments, merged into one visit each.

**Coordination.** Every department of a merged task (:mod:`randsample.joint`) draws with
:func:`~randsample.draw_stratified` on the scope's population, with the *same* seed and the
same purpose (``enterprises``). Tickets depend only on the sub-key and the enterprise's id, so
all departments share them: each department's sample in stratum ``h`` is the ``n_dh`` smallest
tickets (its own design, its own sizes, its own inclusion probabilities ``n_dh / M_h``), and
the samples nest. This is positive coordination with permanent random numbers (Ohlsson 1995;
Brewer, Early & Joyce 1972): the departments' samples overlap as much as their sizes allow,
so stratum ``h`` needs ``max_d n_dh`` visits, the least possible. Each department's draw is
an ordinary :class:`~randsample.StratifiedSample`, so :func:`~randsample.make_record` and
:func:`~randsample.verify` work on it unchanged; coordination changes nothing a department
publishes except that the seed is shared.

**Across periods** the opposite is wanted: a fresh seed per period, published only when that
period's draw is made, so that nothing about a period's draw can be predicted before, and
samples of different periods are independent. Repeat inspections are then limited by
:func:`randsample.reports.exclude_recent_in_scopes` (``exclude_recently_inspected`` per
scope), whose report states the effect on the probabilities; :func:`randsample.reports.burden`
counts what each enterprise bore.

**Visits.** :func:`merge_drawn_units` gives every enterprise drawn in a period exactly one
:class:`MergedVisit` carrying every department and item that drew it. An enterprise drawn only for
off-site items (written review, data sharing, online monitoring, video) gets no visit: it is
listed as an off-site check (a :class:`MergedVisit` with ``on_site`` false and an ``R-`` id).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction
from itertools import combinations

import attrs

from .._text import decimal as _decimal
from .._text import pad as _pad
from ..core import PURPOSE_ENTERPRISES, Seed, check_id
from ..design import Sizes, StratifiedSample, draw_stratified
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ..population import CREDIT_CLASSES, Population
from ._plan import MergedPlan, MergedTask, rewrap

__all__ = [
    "CellFigures",
    "CoordinationReport",
    "DepartmentDraw",
    "DrawnUnit",
    "JointDraw",
    "MergedVisit",
    "PairOverlap",
    "draw_joint",
    "merge_drawn_units",
]


@attrs.frozen
class DepartmentDraw:
    """One department's draw in a merged task: its sizes, flags and ordinary sample."""

    task_id: str
    department: str
    scope: str
    sizes: Sizes
    uses_credit_risk: bool
    on_site: bool
    sample: StratifiedSample


@attrs.frozen
class DrawnUnit:
    """One enterprise drawn by one department under one merged task (a row of a visit)."""

    task_id: str
    department: str
    lead: str
    scope: str
    stratum: str
    enterprise: str
    rank: int
    items: tuple[str, ...]
    on_site_items: tuple[str, ...]

    def __attrs_post_init__(self) -> None:
        # Structural checks only: draw_joint makes these by the thousand from labels that are
        # already checked; a hand-made assignment of the wrong shape is caught here.
        for name in ("task_id", "department", "lead", "scope", "stratum", "enterprise"):
            if not isinstance(getattr(self, name), str):
                raise InvalidTypeError(f"assignment.{name}", getattr(self, name), "a str")
        if isinstance(self.rank, bool) or not isinstance(self.rank, int) or self.rank < 1:
            raise InvalidInputError("assignment.rank", self.rank, "must be an int >= 1")
        for name in ("items", "on_site_items"):
            if not isinstance(getattr(self, name), tuple):
                raise InvalidTypeError(f"assignment.{name}", getattr(self, name), "a tuple")
        if not self.items or not set(self.on_site_items) <= set(self.items):
            raise InvalidInputError(
                "assignment.on_site_items", self.on_site_items, f"must be among {self.items}"
            )


@attrs.frozen
class MergedVisit:
    """Everything one enterprise undergoes in a period: one visit, or one off-site check.

    ``on_site`` is true when some department drew it for an on-site item; the visit then
    carries the off-site items of every department too (they ride along).
    """

    visit_id: str
    period: str
    enterprise: str
    on_site: bool
    drawn_units: tuple[DrawnUnit, ...]

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.drawn_units, tuple) or not self.drawn_units:
            raise InvalidInputError(
                f"visit {self.visit_id!r}.drawn_units",
                self.drawn_units,
                "must be a non-empty tuple",
            )
        for a in self.drawn_units:
            if not isinstance(a, DrawnUnit) or a.enterprise != self.enterprise:
                raise InvalidInputError(
                    f"visit {self.visit_id!r}.drawn_units", a, f"must be of {self.enterprise!r}"
                )

    @property
    def departments(self) -> tuple[str, ...]:
        """Return the departments that drew the enterprise, by code."""
        return tuple(sorted({a.department for a in self.drawn_units}))

    @property
    def items(self) -> tuple[str, ...]:
        """Return every item to inspect, on-site or not."""
        return tuple(sorted({item for a in self.drawn_units for item in a.items}))

    def items_by_department(self) -> dict[str, tuple[str, ...]]:
        """Return each department's items on this visit (from all its draws of the enterprise).

        With :meth:`MergedPlan.item <randsample.joint.MergedPlan.item>` this gives the
        inspection categories per department that staffing a visit needs.
        """
        out: dict[str, set[str]] = {}
        for a in self.drawn_units:
            out.setdefault(a.department, set()).update(a.items)
        return {department: tuple(sorted(items)) for department, items in sorted(out.items())}

    @property
    def lead(self) -> str:
        """Return the department that leads the visit; always one of :attr:`departments`.

        The declared lead of the first task (in (scope, stratum) order) that needs the
        enterprise on site, if that department drew the enterprise; otherwise (the lead's
        sample in the stratum is smaller than another department's, so it does not contain
        every visited enterprise) the first department by code among those drawing it on site.
        """
        acting = [a for a in self.drawn_units if a.on_site_items] or list(self.drawn_units)
        present = {a.department for a in acting}
        for a in acting:
            if a.lead in present:
                return a.lead
        return min(present)


def _order_key(assignment: DrawnUnit) -> tuple[str, str, str, str]:
    return (assignment.scope, assignment.stratum, assignment.task_id, assignment.department)


def merge_drawn_units(
    period: str, drawn_units: Iterable[DrawnUnit]
) -> tuple[tuple[MergedVisit, ...], tuple[MergedVisit, ...]]:
    """Give every enterprise exactly one visit (or off-site check) carrying all its draws.

    Returns ``(visits, off_site_checks)``, each numbered ``V-<period>-000001``... (``R-`` for
    off-site checks) in the order of (scope, stratum, id) of each enterprise's first draw. The
    result depends only on the *set* of drawn_units: their order and repeats do not matter,
    so merging the drawn_units of merged visits again gives the same visits.

    >>> a = DrawnUnit("joint/Q4/x", "SAMR", "SAMR", "x", "A", "e1", 1, ("F-01",), ("F-01",))
    >>> b = DrawnUnit("joint/Q4/x", "HEALTH", "SAMR", "x", "A", "e1", 1, ("H-02",), ())
    >>> visits, off_site = merge_drawn_units("Q4", [a, b, a])
    >>> [(v.visit_id, v.enterprise, v.departments, v.items) for v in visits], off_site
    ([('V-Q4-000001', 'e1', ('HEALTH', 'SAMR'), ('F-01', 'H-02'))], ())
    """
    check_id(period, field="period")
    unique: dict[tuple[str, str, str], DrawnUnit] = {}
    for index, assignment in enumerate(drawn_units):
        if not isinstance(assignment, DrawnUnit):
            raise InvalidTypeError(f"drawn_units[{index}]", assignment, "an DrawnUnit")
        key = (assignment.task_id, assignment.department, assignment.enterprise)
        if unique.setdefault(key, assignment) != assignment:
            raise InvalidInputError(
                f"drawn_units[{index}]",
                assignment,
                f"contradicts an earlier assignment of {key} ({unique[key]})",
            )
    by_enterprise: dict[str, list[DrawnUnit]] = {}
    for assignment in unique.values():
        by_enterprise.setdefault(assignment.enterprise, []).append(assignment)
    grouped = sorted(
        (
            ((*min(_order_key(a)[:2] for a in group), enterprise), sorted(group, key=_order_key))
            for enterprise, group in by_enterprise.items()
        ),
        key=lambda entry: entry[0],
    )
    out: dict[bool, list[MergedVisit]] = {True: [], False: []}
    for (_, _, enterprise), group in grouped:
        on_site = any(a.on_site_items for a in group)
        listed = out[on_site]
        number = f"{'V' if on_site else 'R'}-{period}-{len(listed) + 1:06d}"
        listed.append(MergedVisit(number, period, enterprise, on_site, tuple(group)))
    return tuple(out[True]), tuple(out[False])


@attrs.frozen
class CellFigures:
    """Figures of one (scope, stratum): sizes per department, and counts three ways.

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
            f"{'scope':<10} {'stratum':<8} {'eligible':>8} {'visits':>7} {'independent':>12}"
            f" {'minimum':>8}  sizes",
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
            rows.append(f"({self.shared_enterprises} enterprises belong to several scopes)")
        rows.append(f"{'pair':<19} {'overlap':>8} {'independent':>12}")
        rows.extend(
            f"{_pad('+'.join(p.departments), 19)} {p.overlap:>8} {_decimal(p.independent):>12}"
            for p in self.pairs
        )
        return "\n".join(rows)


@attrs.frozen
class JointDraw:
    """The outcome of :func:`draw_joint` for one period."""

    period: str
    seed: Seed
    tasks: tuple[MergedTask, ...]
    draws: tuple[DepartmentDraw, ...]
    visits: tuple[MergedVisit, ...]
    off_site_checks: tuple[MergedVisit, ...]
    report: CoordinationReport

    def draw(self, task_id: str, department: str) -> DepartmentDraw:
        """Return the draw of ``department`` in merged task ``task_id``."""
        for draw in self.draws:
            if (draw.task_id, draw.department) == (task_id, department):
                return draw
        raise InvalidInputError("draw", (task_id, department), f"is not a draw of {self.period}")


def _period_of(merged_plan: MergedPlan, period: str | None) -> str:
    if not isinstance(merged_plan, MergedPlan):
        raise InvalidTypeError("merged_plan", merged_plan, "a MergedPlan (see merge_plan)")
    periods = merged_plan.periods
    if period is None:
        if len(periods) != 1:
            raise InvalidInputError("period", None, f"must be one of {periods} (several)")
        return periods[0]
    if period not in periods:
        raise InvalidInputError("period", period, f"is not a period of the plan {periods}")
    return period


def _scope_population(scopes: Mapping[str, Population], task: MergedTask) -> Population:
    if not isinstance(scopes, Mapping):
        raise InvalidTypeError("scopes", scopes, "a mapping from scope to Population")
    population = scopes.get(task.scope)
    if population is None:
        raise InvalidInputError(
            "scopes", task.scope, f"has no population for the scope of task {task.task_id!r}"
        )
    if not isinstance(population, Population):
        raise InvalidTypeError(f"scopes[{task.scope!r}]", population, "a Population")
    if not population.eligible.any():
        raise InvalidInputError(
            f"scopes[{task.scope!r}]", len(population), "has no eligible unit to draw from"
        )
    return population


def draw_joint(
    merged_plan: MergedPlan,
    seed: Seed,
    scopes: Mapping[str, Population],
    *,
    period: str | None = None,
) -> JointDraw:
    """Draw every department of every merged task of ``period``, coordinated, and merge.

    ``scopes`` maps each scope to its population for this period; ``period`` may be omitted
    when the plan has one. Each department draws
    ``draw_stratified(scopes[scope], its sizes, seed, purpose="enterprises")``.

    >>> from randsample.examples import small_joint_draw
    >>> result = small_joint_draw()
    >>> [(d.department, dict(d.sample.sizes)) for d in result.draws]
    [('HEALTH', {'A': 2, 'B': 1}), ('SAMR', {'A': 2, 'B': 1})]
    >>> len(result.visits), result.visits[0].visit_id, result.visits[0].departments
    (3, 'V-2026-Q4-000001', ('HEALTH', 'SAMR'))
    """
    period = _period_of(merged_plan, period)
    if not isinstance(seed, Seed):
        raise InvalidTypeError("seed", seed, "a Seed")
    draws: list[DepartmentDraw] = []
    drawn_units: list[DrawnUnit] = []
    for task in merged_plan.tasks_in(period):
        population = _scope_population(scopes, task)
        eligible = population.eligible_counts()
        credit = set(population.stratum_labels()) <= set(CREDIT_CLASSES)
        for part in task.parts:
            try:
                sizes = part.design.resolve(eligible)
            except RandsampleError as exc:
                raise rewrap(exc, f"task {task.task_id!r} department {part.department!r}") from exc
            sample = draw_stratified(population, sizes, seed, purpose=PURPOSE_ENTERPRISES)
            flag = credit if part.design.uses_credit_risk is None else part.design.uses_credit_risk
            draws.append(
                DepartmentDraw(
                    task.task_id, part.department, task.scope, sizes, flag, part.on_site, sample
                )
            )
            drawn_units.extend(
                DrawnUnit(
                    task.task_id,
                    part.department,
                    task.lead,
                    task.scope,
                    unit.stratum,
                    unit.id,
                    unit.rank,
                    part.items,
                    part.on_site_items,
                )
                for unit in sample.selection
            )
    visits, off_site = merge_drawn_units(period, drawn_units)
    report = _report(period, draws, scopes, len(visits), len(visits) + len(off_site))
    tasks = merged_plan.tasks_in(period)
    return JointDraw(period, seed, tasks, tuple(draws), visits, off_site, report)


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


def _report(
    period: str,
    draws: list[DepartmentDraw],
    scopes: Mapping[str, Population],
    visits: int,
    enterprises: int,
) -> CoordinationReport:
    by_scope: dict[str, list[DepartmentDraw]] = {}
    for draw in draws:
        by_scope.setdefault(draw.scope, []).append(draw)
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
    memberships: dict[str, list[tuple[str, str, bool]]] = {}
    for scope in by_scope:
        population = scopes[scope]
        for ident, label, ok in zip(
            population.ids.tolist(),
            population.strata.tolist(),
            population.eligible.tolist(),
            strict=True,
        ):
            memberships.setdefault(ident, []).append((scope, label, ok))
    signatures = Counter(tuple(m) for m in memberships.values())
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
        shared_enterprises=sum(len(m) > 1 for m in memberships.values()),
    )


# -- across periods ----------------------------------------------------------------------------
