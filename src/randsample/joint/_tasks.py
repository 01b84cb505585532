"""Declared joint work: the joint item list, joint tasks and internal tasks of a year plan.

A **joint item** (an entry of the 联合抽查事项清单) is declared in advance: its initiating
department (发起部门), its cooperating departments (配合部门), its level (province, city,
county) and the inspection items each of them inspects. A :class:`JointTask` runs a joint item
over a scope in some periods: the initiator draws **one** list at the task's quotas, and every
cooperating department inspects every enterprise on it with its own officers. An
:class:`InternalTask` is one department's own draw. Whether a task is joint is what the plan
declares, never inferred from who happens to draw what.

Both kinds share the task design: per-stratum :class:`~randsample.joint.Quota` rules (annual
counts, allocated over the task's periods by :class:`~randsample.joint.YearPlan`), rounding,
定向/不定向 targeting, the object types covered (enterprise, individual business,
cooperative), a window of dates and an optional declared credit-risk flag.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

import attrs

from .. import _validation as check
from ..design import Rounding
from ..errors import InvalidInputError, InvalidTypeError
from ._plan import TaskKind
from ._quota import OBJECT_TYPES, ObjectType, Quota, parse_quota

__all__ = [
    "LEVELS",
    "TARGETINGS",
    "InternalTask",
    "JointItem",
    "JointTask",
    "Level",
    "Targeting",
]

#: The level that declared a joint item.
Level = Literal["province", "city", "county"]
LEVELS: tuple[Level, ...] = ("province", "city", "county")
#: 定向 (a task over a targeted set of objects) or 不定向 (over the whole directory).
Targeting = Literal["directed", "undirected"]
TARGETINGS: tuple[Targeting, ...] = ("directed", "undirected")
_ROUNDINGS = ("ceiling", "floor", "half-up", "half-even")


def _tuple(value: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value  # the validator refuses it, naming the field
    return tuple(value)


def _labels(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, tuple):
        raise InvalidTypeError(field, value, "a sequence of labels (not one str)")
    out = tuple(check.label(v, f"{field}[{i}]") for i, v in enumerate(value))
    for index, label in enumerate(out):
        if label in out[:index]:
            raise InvalidInputError(f"{field}[{index}]", label, "is listed twice")
    return out


@attrs.frozen(kw_only=True)
class JointItem:
    """An entry of the joint item list: initiator, cooperating departments, level, items.

    ``items`` are inspection item ids of the initiator and of the cooperating departments;
    :class:`~randsample.joint.YearPlan` checks that each participating department has one.

    >>> JointItem(item_id="J-01", name="餐饮服务联合检查", initiator="SAMR",
    ...           cooperating=["HEALTH"], level="county", items=["S-01", "H-01"]).departments
    ('SAMR', 'HEALTH')
    """

    item_id: str
    name: str
    initiator: str
    cooperating: tuple[str, ...] = attrs.field(converter=_tuple)
    level: Level
    items: tuple[str, ...] = attrs.field(converter=_tuple)

    def __attrs_post_init__(self) -> None:
        check.label(self.item_id, "joint_item.item_id")
        where = f"joint item {self.item_id!r}"
        check.label(self.name, f"{where}.name")
        check.label(self.initiator, f"{where}.initiator")
        _labels(self.cooperating, f"{where}.cooperating")
        if not self.cooperating:
            raise InvalidInputError(
                f"{where}.cooperating", (), "must name at least one cooperating department"
            )
        if self.initiator in self.cooperating:
            raise InvalidInputError(
                f"{where}.cooperating", self.initiator, "is the initiator; it cannot cooperate"
            )
        check.one_of(self.level, f"{where}.level", LEVELS)
        _labels(self.items, f"{where}.items")
        if not self.items:
            raise InvalidInputError(f"{where}.items", (), "must name at least one item")

    @property
    def departments(self) -> tuple[str, ...]:
        """The initiator, then the cooperating departments as listed."""
        return (self.initiator, *self.cooperating)


def _optional(value: Any) -> Any:
    return None if value is None else _tuple(value)


def _quotas(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted(value.items(), key=lambda pair: str(pair[0])))
    return value


@attrs.frozen(kw_only=True)
class _TaskDesign:
    """What every task has: scope, periods, quotas and the task design's attributes."""

    task_id: str
    scope: str
    periods: tuple[str, ...] = attrs.field(converter=_tuple)
    quotas: tuple[tuple[str, Quota], ...] = attrs.field(converter=_quotas)
    rounding: Rounding = "ceiling"
    targeting: Targeting = "undirected"
    object_types: tuple[ObjectType, ...] | None = attrs.field(default=None, converter=_optional)
    start: datetime.date | None = None
    end: datetime.date | None = None
    uses_credit_risk: bool | None = None

    def _check(self) -> str:
        check.label(self.task_id, "task.task_id")
        where = f"task {self.task_id!r}"
        check.label(self.scope, f"{where}.scope")
        _labels(self.periods, f"{where}.periods")
        if not self.periods:
            raise InvalidInputError(f"{where}.periods", (), "must name at least one period")
        if not isinstance(self.quotas, tuple):
            raise InvalidTypeError(f"{where}.quotas", self.quotas, "a mapping stratum -> quota")
        if not self.quotas:
            raise InvalidInputError(f"{where}.quotas", {}, "must give each stratum a quota")
        parsed = tuple(
            (
                check.label(h, f"{where}.quotas (stratum)"),
                parse_quota(q, f"{where}.quotas[{h!r}]"),
            )
            for h, q in self.quotas
        )
        object.__setattr__(self, "quotas", parsed)
        check.one_of(self.rounding, f"{where}.rounding", _ROUNDINGS)
        check.one_of(self.targeting, f"{where}.targeting", TARGETINGS)
        if self.object_types is not None:
            if not isinstance(self.object_types, tuple) or not self.object_types:
                raise InvalidInputError(
                    f"{where}.object_types", self.object_types, "must name at least one type"
                )
            for index, kind in enumerate(self.object_types):
                check.one_of(kind, f"{where}.object_types[{index}]", OBJECT_TYPES)
        for name in ("start", "end"):
            if getattr(self, name) is not None:
                check.date(getattr(self, name), f"{where}.{name}")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InvalidInputError(
                f"{where}.end", self.end.isoformat(), f"is before start {self.start.isoformat()}"
            )
        if self.uses_credit_risk is not None:
            check.boolean(self.uses_credit_risk, f"{where}.uses_credit_risk")
        return where

    def in_window(self, day: datetime.date) -> bool:
        """Whether ``day`` lies in the task's window (start and end included)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def describe(self) -> str:
        """Return the task's quotas in one line, strata in code point order."""
        rules = ", ".join(f"{h} {q.describe()}" for h, q in self.quotas)
        return f"{rules} per year (rounding {self.rounding})"


@attrs.frozen(kw_only=True)
class JointTask(_TaskDesign):
    """A declared joint task: the initiator draws one list, the cooperating ones inspect it.

    Every cooperating department inspects every enterprise on the list (module doc).
    ``initiator`` must be the joint item's initiator (checked by the year plan).

    >>> task = JointTask(task_id="T-01", joint_item="J-01", initiator="SAMR", scope="餐饮",
    ...                  periods=["2026-01", "2026-02"], quotas={"A": "3%", "B": "10%（20户）"})
    >>> task.kind, task.describe()
    ('joint', 'A 3/100, B 1/10 (at least 20) per year (rounding ceiling)')
    """

    joint_item: str
    initiator: str

    #: Joint tasks are joint by declaration.
    kind: ClassVar[TaskKind] = "joint"

    def __attrs_post_init__(self) -> None:
        where = self._check()
        check.label(self.joint_item, f"{where}.joint_item")
        check.label(self.initiator, f"{where}.initiator")


@attrs.frozen(kw_only=True)
class InternalTask(_TaskDesign):
    """One department's own task over its own items (部门内部).

    >>> InternalTask(task_id="T-09", department="SAMR", items=["S-02"], scope="制造业",
    ...              periods=["2026-03"], quotas={"A": "2%", "D": "全部"}).kind
    'internal'
    """

    department: str
    items: tuple[str, ...] = attrs.field(converter=_tuple)

    kind: ClassVar[TaskKind] = "internal"

    def __attrs_post_init__(self) -> None:
        where = self._check()
        check.label(self.department, f"{where}.department")
        _labels(self.items, f"{where}.items")
        if not self.items:
            raise InvalidInputError(f"{where}.items", (), "must name at least one item")

    @property
    def initiator(self) -> str:
        """The department that draws (for an internal task, its own department)."""
        return self.department
