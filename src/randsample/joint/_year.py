"""A year plan of declared joint and internal tasks, and its annual sizing.

:class:`YearPlan` is the default model of joint work: the joint item list is declared in
advance, each :class:`~randsample.joint.JointTask` runs one entry of it (the initiator draws
one list, the cooperating departments inspect all of it), and
:class:`~randsample.joint.InternalTask` is one department's own task. Every rule that would
make the plan unworkable is checked on construction, with an error naming the task,
department, item or class.

:meth:`YearPlan.sizing` turns each task's quotas into **annual** counts on the year's base
directory and allocates them over the task's periods (:func:`allocate_over_periods`), so that
the periods of a class add up to the annual count exactly (not a ceiling per period: 30
A-class enterprises at 1% a year give 1 draw a year, not 1 a month).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from .. import _validation as check
from .._text import percent
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ..population import Population
from ._annual import Band, BandConflictError, allocate_over_periods
from ._credit import FOUR_CLASSES, CreditScheme
from ._exclusion import apply_exclusions
from ._plan import Department, InspectionItem, rewrap
from ._quota import quota_sizes
from ._rules import ExclusionRule
from ._sizing import AnnualSizing, SizingRow
from ._tasks import InternalTask, JointItem, JointTask

__all__ = ["YearPlan", "YearTask"]

YearTask = JointTask | InternalTask


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, tuple, set, frozenset)) else value


def _optional(value: Any) -> Any:
    return None if value is None else _tuple(value)


def _sequence_of(values: object, field: str, kind: type | tuple[type, ...]) -> tuple[Any, ...]:
    items = check.sequence(values, field)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            raise InvalidTypeError(f"{field}[{index}]", item, f"a {names}")
    return items


@attrs.frozen(kw_only=True)
class YearPlan:
    """A year's plan: departments, items, the joint item list, tasks, bands and caps.

    Parameters
    ----------
    year : int
        The calendar year (windows of exclusion rules with ``window="year"`` use it).
    periods : sequence of str
        The year's periods in chronological order (e.g. ``2026-01`` ... ``2026-12``).
    departments, items : sequences
        The departments and the inspection item list.
    joint_items : sequence of JointItem
        The joint item list (联合抽查事项清单).
    tasks : sequence of JointTask or InternalTask
        The year's tasks.
    credit_classes : CreditScheme
        Which strata are credit classes (A-D by default; A-E allowed).
    bands : sequence of Band
        Annual bands per class (none by default; see ``examples.LINDIAN_BANDS``).
    annual_cap : int or None
        The most random inspections of one enterprise in the year.
    exclusions : sequence of ExclusionRule
        Applied to every task's population before each draw.
    period_weights : sequence of int or None
        Weights of the periods for the allocation (equal by default).

    Examples
    --------
    >>> from randsample.examples import small_year_plan
    >>> plan = small_year_plan()
    >>> [(t.task_id, t.kind, plan.departments_of(t)) for t in plan.tasks]
    [('T-01', 'joint', ('SAMR', 'HEALTH')), ('T-02', 'internal', ('SAMR',))]
    >>> attrs.evolve(plan, tasks=[attrs.evolve(plan.tasks[0], initiator="HEALTH")])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: task 'T-01'.initiator: is not the initiator of ...
    """

    year: int
    periods: tuple[str, ...] = attrs.field(converter=_tuple)
    departments: tuple[Department, ...] = attrs.field(converter=_tuple)
    items: tuple[InspectionItem, ...] = attrs.field(converter=_tuple)
    joint_items: tuple[JointItem, ...] = attrs.field(default=(), converter=_tuple)
    tasks: tuple[YearTask, ...] = attrs.field(converter=_tuple)
    credit_classes: CreditScheme = FOUR_CLASSES
    bands: tuple[Band, ...] = attrs.field(default=(), converter=_tuple)
    annual_cap: int | None = None
    exclusions: tuple[ExclusionRule, ...] = attrs.field(default=(), converter=_tuple)
    period_weights: tuple[int, ...] | None = attrs.field(default=None, converter=_optional)

    #: The mode of joint work this plan runs (see :mod:`randsample.joint`).
    mode: ClassVar[str] = "declared"

    def __attrs_post_init__(self) -> None:
        check.integer(self.year, "year", minimum=1)
        periods = check.sequence(self.periods, "periods", item=check.label)
        if not periods or len(set(periods)) != len(periods):
            raise InvalidInputError("periods", periods, "must be distinct periods, at least one")
        departments = _sequence_of(self.departments, "departments", Department)
        codes = [d.code for d in departments]
        if len(set(codes)) != len(codes):
            raise InvalidInputError("departments", codes, "lists a department twice")
        owner: dict[str, InspectionItem] = {}
        for index, item in enumerate(_sequence_of(self.items, "items", InspectionItem)):
            if item.item_id in owner:
                raise InvalidInputError(f"items[{index}].item_id", item.item_id, "duplicate id")
            if item.department not in codes:
                raise InvalidInputError(
                    f"items[{index}].department", item.department, "is not a department"
                )
            owner[item.item_id] = item
        self._check_joint_items(set(codes), owner)
        self._check_tasks(set(codes), owner)
        check.instance(self.credit_classes, "credit_classes", CreditScheme)
        seen: set[str] = set()
        for index, band in enumerate(_sequence_of(self.bands, "bands", Band)):
            if band.credit_class not in self.credit_classes.classes:
                raise InvalidInputError(
                    f"bands[{index}].credit_class",
                    band.credit_class,
                    f"is not a class of {self.credit_classes.describe()}",
                )
            if band.credit_class in seen:
                raise InvalidInputError(f"bands[{index}]", band.credit_class, "is given twice")
            seen.add(band.credit_class)
        if self.annual_cap is not None:
            check.integer(self.annual_cap, "annual_cap", minimum=1)
        _sequence_of(self.exclusions, "exclusions", ExclusionRule)
        if self.period_weights is not None:
            weights = check.sequence(self.period_weights, "period_weights", item=check.integer)
            if len(weights) != len(periods) or min(weights) < 1:
                raise InvalidInputError(
                    "period_weights", weights, f"needs one weight >= 1 per period ({len(periods)})"
                )

    def _check_joint_items(self, codes: set[str], owner: dict[str, InspectionItem]) -> None:
        ids: set[str] = set()
        for index, entry in enumerate(_sequence_of(self.joint_items, "joint_items", JointItem)):
            where = f"joint item {entry.item_id!r}"
            if entry.item_id in ids:
                raise InvalidInputError(f"joint_items[{index}].item_id", entry.item_id, "duplicate")
            ids.add(entry.item_id)
            for department in entry.departments:
                if department not in codes:
                    raise InvalidInputError(
                        f"{where}.departments", department, "is not a department of the plan"
                    )
            for item in entry.items:
                if item not in owner:
                    raise InvalidInputError(f"{where}.items", item, "is not an inspection item")
                if owner[item].department not in entry.departments:
                    raise InvalidInputError(
                        f"{where}.items",
                        item,
                        f"belongs to {owner[item].department!r}, which takes no part",
                    )
            for department in entry.departments:
                if not any(owner[i].department == department for i in entry.items):
                    raise InvalidInputError(
                        f"{where}.items", list(entry.items), f"has no item of {department!r}"
                    )

    def _check_tasks(self, codes: set[str], owner: dict[str, InspectionItem]) -> None:
        entries = {entry.item_id: entry for entry in self.joint_items}
        ids: set[str] = set()
        for index, task in enumerate(_sequence_of(self.tasks, "tasks", (JointTask, InternalTask))):
            where = f"task {task.task_id!r}"
            if task.task_id in ids:
                raise InvalidInputError(f"tasks[{index}].task_id", task.task_id, "duplicate id")
            ids.add(task.task_id)
            for period in task.periods:
                if period not in self.periods:
                    raise InvalidInputError(f"{where}.periods", period, "is not a plan period")
            if isinstance(task, JointTask):
                entry = entries.get(task.joint_item)
                if entry is None:
                    raise InvalidInputError(
                        f"{where}.joint_item", task.joint_item, "is not in the joint item list"
                    )
                if task.initiator != entry.initiator:
                    raise InvalidInputError(
                        f"{where}.initiator",
                        task.initiator,
                        f"is not the initiator of joint item {entry.item_id!r} ({entry.initiator})",
                    )
            else:
                if task.department not in codes:
                    raise InvalidInputError(
                        f"{where}.department", task.department, "is not a department of the plan"
                    )
                for item in task.items:
                    if item not in owner or owner[item].department != task.department:
                        raise InvalidInputError(
                            f"{where}.items", item, f"is not an item of {task.department!r}"
                        )

    # -- look-ups ------------------------------------------------------------------------------

    def task(self, task_id: str) -> YearTask:
        """Return the task ``task_id``."""
        for task in self.tasks:
            if task.task_id == task_id:
                return task
        raise InvalidInputError("task_id", task_id, "is not a task of the plan")

    def item(self, item_id: str) -> InspectionItem:
        """Return the inspection item ``item_id`` (its department, category, method, kind)."""
        for item in self.items:
            if item.item_id == item_id:
                return item
        raise InvalidInputError("item_id", item_id, "is not an inspection item of the plan")

    def joint_item(self, item_id: str) -> JointItem:
        """Return the joint item ``item_id``."""
        for entry in self.joint_items:
            if entry.item_id == item_id:
                return entry
        raise InvalidInputError("joint_item", item_id, "is not in the joint item list")

    def departments_of(self, task: YearTask) -> tuple[str, ...]:
        """Return the task's departments: the initiator first, then the cooperating ones."""
        if isinstance(task, JointTask):
            return self.joint_item(task.joint_item).departments
        return (task.department,)

    def items_of(self, task: YearTask) -> dict[str, tuple[str, ...]]:
        """Each of the task's departments -> its inspection items on the task's visits."""
        if isinstance(task, InternalTask):
            return {task.department: tuple(sorted(task.items))}
        entry = self.joint_item(task.joint_item)
        by: dict[str, list[str]] = {department: [] for department in entry.departments}
        for item in entry.items:
            by[self.item(item).department].append(item)
        return {department: tuple(sorted(items)) for department, items in by.items()}

    def is_key(self, task: YearTask) -> bool:
        """Whether every item of the task is a key item (重点): then no ratio cap applies."""
        return all(
            self.item(i).kind == "key" for items in self.items_of(task).values() for i in items
        )

    def tasks_in(self, period: str) -> tuple[YearTask, ...]:
        """Return the tasks that draw in ``period``, by task id."""
        check.one_of(period, "period", self.periods)
        return tuple(
            sorted((t for t in self.tasks if period in t.periods), key=lambda t: t.task_id)
        )

    # -- the annual sizing ---------------------------------------------------------------------

    def sizing(self, base: Mapping[str, Population]) -> AnnualSizing:
        """Size every task on the year's base directory and allocate it over its periods.

        ``base`` maps each scope to its population at the start of the year. A stratum's
        annual count is its quota on the base's eligible units (the task's rounding, then the
        count bounds); the count is allocated over the task's periods by
        :func:`allocate_over_periods`. Bands the rates contradict are refused
        (:class:`BandConflictError`, naming the class and the task): a task (not over key
        items only) whose quotas ask for more of a class than its band's maximum (the rate
        before rounding, or the count a bound set), or a plan whose tasks' annual counts
        cannot reach a band's minimum of the class's base enterprises.
        """
        base = check.mapping(base, "base", key=check.label)
        class_of: dict[str, str | None] = {}
        label_class: dict[str, str | None] = {}
        for scope in sorted(base):
            population = check.instance(base[scope], f"base[{scope!r}]", Population)
            for ident, label, ok in zip(
                population.ids.tolist(),
                population.strata.tolist(),
                population.eligible.tolist(),
                strict=True,
            ):
                if ok and ident not in class_of:
                    if label not in label_class:
                        label_class[label] = self.credit_classes.class_of(label)
                    class_of[ident] = label_class[label]
        totals: dict[str, int] = dict.fromkeys(self.credit_classes.classes, 0)
        for label in class_of.values():
            if label is not None:
                totals[label] += 1
        rows: list[SizingRow] = []
        for task in sorted(self.tasks, key=lambda t: t.task_id):
            where = f"task {task.task_id!r}"
            if task.scope not in base:
                raise InvalidInputError("base", task.scope, f"has no population for {where}")
            population = base[task.scope]
            if task.object_types is not None:  # the annual count is of the task's object types
                population, _ = apply_exclusions(
                    population,
                    (),
                    (),
                    as_of=datetime.date(self.year, 1, 1),
                    object_types=task.object_types,
                )
            eligible = population.eligible_counts()
            missing = sorted(set(eligible) - {h for h, _ in task.quotas})
            if missing:
                raise InvalidInputError(f"{where}.quotas", missing, "gives no quota to")
            # A class the plan rates but the scope lacks has no eligible unit: it draws 0, and
            # the sizing row says so (a minimum count for it cannot be met, and says that).
            eligible = {**{h: 0 for h, _ in task.quotas if h not in eligible}, **eligible}
            try:
                sizes = quota_sizes(task.quotas, eligible, rounding=task.rounding)
            except RandsampleError as exc:
                raise rewrap(exc, where) from exc
            weights = self._weights(task)
            quota = dict(task.quotas)
            for detail in sizes.details:
                shares = allocate_over_periods(detail.size, weights)
                rows.append(
                    SizingRow(
                        task.task_id,
                        detail.stratum,
                        self.credit_classes.class_of(detail.stratum),
                        detail.eligible,
                        quota[detail.stratum].describe(),
                        detail.unrounded,
                        detail.size,
                        tuple(zip(task.periods, shares, strict=True)),
                        detail.bound,
                    )
                )
        sizing = AnnualSizing(self, tuple(rows), MappingProxyType(class_of), totals)
        self._check_bands(sizing)
        return sizing

    def _weights(self, task: YearTask) -> list[int]:
        if self.period_weights is None:
            return [1] * len(task.periods)
        weight = dict(zip(self.periods, self.period_weights, strict=True))
        return [weight[p] for p in task.periods]

    def _check_bands(self, sizing: AnnualSizing) -> None:
        bands = {band.credit_class: band for band in self.bands}
        planned: dict[str, int] = dict.fromkeys(bands, 0)
        for task in sorted(self.tasks, key=lambda t: t.task_id):
            if self.is_key(task):
                continue
            per_class: dict[str, list[Fraction | int]] = {}
            for row in sizing.rows_of(task.task_id):
                if row.credit_class in bands:
                    entry = per_class.setdefault(row.credit_class, [0, 0, Fraction(0)])
                    entry[0] += row.annual
                    entry[1] += row.eligible
                    entry[2] += row.planned_share * row.eligible
            for label, (count, units, asked) in sorted(per_class.items()):
                planned[label] += int(count)
                share = Fraction(asked) / units if units else Fraction(0)
                if share > bands[label].maximum:
                    raise BandConflictError(
                        f"band[{label}]",
                        task.task_id,
                        f"task {task.task_id!r} asks for {percent(share)} of its class {label} "
                        f"enterprises a year ({count} of {units}), above the band maximum "
                        f"{percent(bands[label].maximum)}",
                    )
        for label, band in sorted(bands.items()):
            total = sizing.class_totals.get(label, 0)
            if total and Fraction(planned[label], total) < band.minimum:
                raise BandConflictError(
                    f"band[{label}]",
                    planned[label],
                    f"the plan's non-key tasks inspect at most {planned[label]} of the "
                    f"{total} class {label} enterprises a year "
                    f"({percent(Fraction(planned[label], total))}), below the band minimum "
                    f"{percent(band.minimum)}",
                )
