"""Joint-inspection plans: departments, inspection items and tasks.

A :class:`Plan` is the published annual plan of random inspections: the departments, their
inspection items (the "one list" of 一单两库), and the tasks, each one department's draw over a
*scope* (an industry, say ``"餐饮"``) in a *period* (say ``"2026-Q4"``) with a per-stratum design
(rates, fixed sizes or take-all). The population of a scope is supplied when drawing
(:func:`randsample.joint.draw_joint`), so a plan can be checked and merged before the
directory of a period is frozen.

Every rule that merging (:func:`~randsample.joint.merge_plan`) could break is checked when the
:class:`Plan` is built, so merging never fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, Literal

import attrs

from .. import _validation as check
from ..core import check_id
from ..design import Rounding, Sizes, parse_rate, sizes_from_rates
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ._credit import FOUR_CLASSES, CreditScheme

__all__ = [
    "ITEM_KINDS",
    "METHODS",
    "Department",
    "Design",
    "InspectionItem",
    "ItemKind",
    "Method",
    "Plan",
    "Task",
]

#: How an item is inspected. Only ``"on-site"`` needs a visit; the others are the off-site
#: methods the plan prefers where they serve (书面核查, 信息共享, 网络监测, 视频检查).
Method = Literal["on-site", "written-review", "data-sharing", "online-monitoring", "video"]
METHODS: tuple[Method, ...] = (
    "on-site",
    "written-review",
    "data-sharing",
    "online-monitoring",
    "video",
)
_ROUNDINGS = ("ceiling", "floor", "half-up", "half-even")
TaskKind = Literal["joint", "internal"]
#: General items (一般) and key items (重点); key items may carry no ratio cap (annual bands).
ItemKind = Literal["general", "key"]
ITEM_KINDS: tuple[ItemKind, ...] = ("general", "key")
_JOINT: TaskKind = "joint"
_INTERNAL: TaskKind = "internal"


def rewrap(exc: RandsampleError, prefix: str) -> RandsampleError:
    """Return ``exc`` again with its field prefixed by ``prefix`` (same type, same value)."""
    if isinstance(exc, InvalidTypeError):
        return InvalidTypeError(f"{prefix}.{exc.field}", exc.value, exc.expected)
    if isinstance(exc, InvalidInputError):
        return type(exc)(f"{prefix}.{exc.field}", exc.value, exc.problem)
    return exc  # pragma: no cover - every raised error is one of the two above


def _pairs(field: str, value: object) -> tuple[tuple[str, Any], ...]:
    # Mappings are stored as sorted pairs: hashable, canonical (order of entry does not matter).
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        pairs = list(value)
    else:
        raise InvalidTypeError(field, value, "a mapping with str keys")
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            raise InvalidTypeError(field, value, "a mapping with str keys")
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise InvalidInputError(field, key, "is given twice")
    return tuple(sorted(pairs, key=lambda pair: pair[0]))


def _rates(value: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    return _pairs("task.rates", value)


def _sizes(value: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    return _pairs("task.sizes", value)


def _leads(value: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    return _pairs("industry_leads", value)


def _labels(field: str, value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):  # a lone str would silently become its characters
        raise InvalidTypeError(field, value, "a sequence of labels, not one str")
    return tuple(value)


def _items(value: Iterable[str]) -> tuple[str, ...]:
    return _labels("task.items", value)


def _take_all(value: Iterable[str]) -> tuple[str, ...]:
    return _labels("task.take_all", value)


@attrs.frozen
class Department:
    """A department taking part in the plan: a short code (used everywhere) and a name.

    >>> Department("SAMR", "县市场监管局").code
    'SAMR'
    """

    code: str
    name: str

    def __attrs_post_init__(self) -> None:
        check_id(self.code, field="department.code")
        check_id(self.name, field=f"department {self.code!r}.name")


@attrs.frozen
class InspectionItem:
    """An entry of the inspection item list: whose it is, its legal basis, method and kind.

    ``kind`` is ``"general"`` (一般, the default) or ``"key"`` (重点): a task over key items
    only carries no ratio cap in the annual bands (:class:`~randsample.joint.YearPlan`).

    >>> InspectionItem("SAMR", "F-01", "《食品安全法》第八十七条", "食品安全", "on-site").on_site
    True
    >>> InspectionItem("SAMR", "F-09", "《特种设备安全法》", "特种设备", "on-site", "key").kind
    'key'
    """

    department: str
    item_id: str
    legal_basis: str
    category: str
    method: Method
    kind: ItemKind = "general"

    def __attrs_post_init__(self) -> None:
        check_id(self.item_id, field="item.item_id")
        where = f"item {self.item_id!r}"
        check_id(self.department, field=f"{where}.department")
        check_id(self.legal_basis, field=f"{where}.legal_basis")
        check_id(self.category, field=f"{where}.category")
        if self.method not in METHODS:
            raise InvalidInputError(f"{where}.method", self.method, f"expected one of {METHODS}")
        if self.kind not in ITEM_KINDS:
            raise InvalidInputError(f"{where}.kind", self.kind, f"expected one of {ITEM_KINDS}")

    @property
    def on_site(self) -> bool:
        """Whether the item needs an inspector at the enterprise (only ``"on-site"`` does)."""
        return self.method == "on-site"


@attrs.frozen
class Design:
    """One department's per-stratum design for a scope: rates, fixed sizes, take-all strata.

    Every stratum of the scope's population needs exactly one rule; rates become sizes with
    :func:`randsample.design.sizes_from_rates` on the population's eligible units.
    ``uses_credit_risk`` is None when it is to be read from the rates (True when they differ by
    credit class: :func:`~randsample.joint.credit_risk_based`), or a declared True/False.

    >>> design = Design(rates=(("A", Fraction(3, 100)),), take_all=("D",))
    >>> design.describe()
    'A 3/100, D take-all (rounding ceiling)'
    """

    rates: tuple[tuple[str, Fraction], ...] = ()
    sizes: tuple[tuple[str, int], ...] = ()
    take_all: tuple[str, ...] = ()
    rounding: Rounding = "ceiling"
    uses_credit_risk: bool | None = None

    def describe(self) -> str:
        """Return the design in one line, strata in code point order."""
        rules = [(label, str(rate)) for label, rate in self.rates]
        rules += [(label, f"n={size}") for label, size in self.sizes]
        rules += [(label, "take-all") for label in self.take_all]
        text = ", ".join(f"{label} {rule}" for label, rule in sorted(rules))
        flag = "" if self.uses_credit_risk is None else f", credit risk {self.uses_credit_risk}"
        return f"{text} (rounding {self.rounding}{flag})"

    def resolve(self, eligible: Mapping[str, int]) -> Sizes:
        """Return the integer size of every stratum, given its eligible units.

        A stratum the design names but the scope lacks (a credit class absent from one
        scope) draws 0, and shows in the sizes with 0 eligible units; a stratum of the scope
        without a rule is still an error.

        >>> design = Design(rates=(("A", Fraction(3, 100)), ("D", Fraction(1, 2))),
        ...                 sizes=(("B", 2),))
        >>> dict(design.resolve({"A": 101, "B": 5}))
        {'A': 4, 'B': 2, 'D': 0}
        """
        named = [label for label, _ in self.rates] + [label for label, _ in self.sizes]
        return sizes_from_rates(
            {**dict.fromkeys(named + list(self.take_all), 0), **eligible},
            dict(self.rates),
            rounding=self.rounding,
            counts=dict(self.sizes),
            take_all=self.take_all,
        )


@attrs.frozen(kw_only=True)
class Task:
    """One department's planned draw: its items, over one scope, in one period, by design.

    ``rates`` (e.g. ``{"A": "3%"}``, read exactly by :func:`~randsample.design.parse_rate`),
    ``sizes`` (fixed counts) and ``take_all`` together give each stratum exactly one rule.

    >>> task = Task(task_id="T1", department="SAMR", items=["F-01"], scope="餐饮",
    ...             period="2026-Q4", rates={"A": "3%", "B": "5%"}, take_all=["D"])
    >>> task.design.describe()
    'A 3/100, B 1/20, D take-all (rounding ceiling)'
    >>> Task(task_id="T2", department="SAMR", items=["F-01"], scope="餐饮", period="2026-Q4")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: task 'T2'.design: needs per-stratum rates, ..., got {}
    """

    task_id: str
    department: str
    items: tuple[str, ...] = attrs.field(converter=_items)
    scope: str
    period: str
    rates: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_rates)
    sizes: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_sizes)
    take_all: tuple[str, ...] = attrs.field(default=(), converter=_take_all)
    rounding: Rounding = "ceiling"
    uses_credit_risk: bool | None = None

    def __attrs_post_init__(self) -> None:
        check_id(self.task_id, field="task.task_id")
        where = f"task {self.task_id!r}"
        for name in ("department", "scope", "period"):
            check_id(getattr(self, name), field=f"{where}.{name}")
        if not self.items:
            raise InvalidInputError(f"{where}.items", [], "must name at least one item")
        for index, item in enumerate(self.items):
            check_id(item, field=f"{where}.items[{index}]")
            if item in self.items[:index]:
                raise InvalidInputError(f"{where}.items[{index}]", item, "is listed twice")
        rates = tuple(
            (check_id(h, field=f"{where}.rates"), parse_rate(r, field=f"{where}.rates[{h!r}]"))
            for h, r in self.rates
        )
        for label, size in self.sizes:
            check_id(label, field=f"{where}.sizes")
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise InvalidInputError(f"{where}.sizes[{label!r}]", size, "must be an int >= 0")
        for label in self.take_all:
            check_id(label, field=f"{where}.take_all")
        named = [h for h, _ in rates] + [h for h, _ in self.sizes] + list(self.take_all)
        if not named:
            raise InvalidInputError(
                f"{where}.design", {}, "needs per-stratum rates, sizes or take_all"
            )
        for label in named:
            if named.count(label) > 1:
                raise InvalidInputError(
                    f"{where}.design", label, "gives one stratum more than one rule"
                )
        if self.rounding not in _ROUNDINGS:
            raise InvalidInputError(f"{where}.rounding", self.rounding, f"expected {_ROUNDINGS}")
        if self.uses_credit_risk is not None and not isinstance(self.uses_credit_risk, bool):
            raise InvalidTypeError(f"{where}.uses_credit_risk", self.uses_credit_risk, "a bool")
        object.__setattr__(self, "rates", rates)
        object.__setattr__(self, "take_all", tuple(sorted(self.take_all)))

    @property
    def design(self) -> Design:
        """The task's design, normalized (equal designs compare equal however written)."""
        return Design(self.rates, self.sizes, self.take_all, self.rounding, self.uses_credit_risk)


def _tuple_of(kind: type, field: str, values: object) -> None:
    if not isinstance(values, tuple):
        raise InvalidTypeError(field, values, "a sequence")
    for index, value in enumerate(values):
        if not isinstance(value, kind):
            raise InvalidTypeError(f"{field}[{index}]", value, f"a {kind.__name__}")


def _as_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


@attrs.frozen
class Plan:
    """A plan for the *coordinated* mode: departments, items, tasks, and each scope's lead.

    In this mode (一业一查 merging, :func:`~randsample.joint.merge_plan`) every department draws
    its own design and the draws of one scope and period are merged into visits. The default
    model of joint work is the declared joint task of a :class:`~randsample.joint.YearPlan`
    (the initiator draws one list; the cooperating departments inspect all of it).

    ``industry_leads`` maps a scope to the department that leads joint tasks over it (谁主管、
    谁监管: the industry's competent department). Checked on construction: unknown or duplicate
    departments, items and tasks; a task naming an item of another department; one department
    with two different designs for one scope and period; a scope drawn by several departments
    in one period without a declared lead, or whose lead takes no part. ``credit_classes``
    (A-D by default) says which strata are credit classes (for the credit-risk flag).

    >>> from randsample.examples import small_joint_plan
    >>> plan = small_joint_plan()
    >>> Plan(plan.departments, plan.items, plan.tasks, {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: industry_leads: has no lead ... for joint scope '餐饮' ...
    """

    departments: tuple[Department, ...] = attrs.field(converter=_as_tuple)
    items: tuple[InspectionItem, ...] = attrs.field(converter=_as_tuple)
    tasks: tuple[Task, ...] = attrs.field(converter=_as_tuple)
    industry_leads: tuple[tuple[str, Any], ...] = attrs.field(factory=tuple, converter=_leads)
    credit_classes: CreditScheme = attrs.field(default=FOUR_CLASSES, kw_only=True)

    def __attrs_post_init__(self) -> None:
        check.instance(self.credit_classes, "credit_classes", CreditScheme)
        _tuple_of(Department, "departments", self.departments)
        _tuple_of(InspectionItem, "items", self.items)
        _tuple_of(Task, "tasks", self.tasks)
        codes: set[str] = set()
        for index, department in enumerate(self.departments):
            if department.code in codes:
                raise InvalidInputError(
                    f"departments[{index}].code", department.code, "duplicate department code"
                )
            codes.add(department.code)
        owner: dict[str, str] = {}
        for index, item in enumerate(self.items):
            if item.item_id in owner:
                raise InvalidInputError(f"items[{index}].item_id", item.item_id, "duplicate id")
            if item.department not in codes:
                raise InvalidInputError(
                    f"items[{index}].department", item.department, "is not a department"
                )
            owner[item.item_id] = item.department
        for scope, lead in self.industry_leads:
            check_id(scope, field="industry_leads (scope)")
            if lead not in codes:
                raise InvalidInputError(
                    f"industry_leads[{scope!r}]", lead, "is not a department of the plan"
                )
        self._check_tasks(codes, owner)

    def _check_tasks(self, codes: set[str], owner: dict[str, str]) -> None:
        seen: dict[str, int] = {}
        design_of: dict[tuple[str, str, str], Task] = {}
        for index, task in enumerate(self.tasks):
            where = f"tasks[{index}]"
            if task.task_id in seen:
                raise InvalidInputError(f"{where}.task_id", task.task_id, "duplicate task id")
            seen[task.task_id] = index
            if task.department not in codes:
                raise InvalidInputError(
                    f"{where}.department", task.department, "is not a department of the plan"
                )
            for item in task.items:
                if item not in owner:
                    raise InvalidInputError(f"{where}.items", item, "is not an inspection item")
                if owner[item] != task.department:
                    raise InvalidInputError(
                        f"{where}.items",
                        item,
                        f"belongs to department {owner[item]!r}, not {task.department!r}",
                    )
            key = (task.period, task.scope, task.department)
            other = design_of.setdefault(key, task)
            if other.design != task.design:
                raise InvalidInputError(
                    f"{where}.design",
                    task.design.describe(),
                    f"conflicts with task {other.task_id!r} of department {task.department!r} "
                    f"for scope {task.scope!r} in period {task.period!r} "
                    f"({other.design.describe()}): one department draws a scope once a period",
                )
        leads = dict(self.industry_leads)
        groups: dict[tuple[str, str], set[str]] = {}
        for period, scope, department in design_of:
            groups.setdefault((period, scope), set()).add(department)
        for (period, scope), departments in sorted(groups.items()):
            if len(departments) < 2:
                continue
            names = ", ".join(sorted(departments))
            if scope not in leads:
                raise InvalidInputError(
                    "industry_leads",
                    leads,
                    f"has no lead department for joint scope {scope!r} "
                    f"(period {period}, departments {names})",
                )
            if leads[scope] not in departments:
                raise InvalidInputError(
                    f"industry_leads[{scope!r}]",
                    leads[scope],
                    f"takes no part in the joint task over {scope!r} in {period} ({names})",
                )
