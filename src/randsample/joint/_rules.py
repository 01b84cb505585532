"""Exclusion rules as data: past inspections, and rules saying which of them exclude whom.

An :class:`ExclusionRule` says which past inspections count (a window of days or the calendar
year; by department; by trigger: random checks only by default, so complaint-driven checks,
which are outside the quota, do not count), how many make an enterprise excluded, for which
credit classes the rule holds, and which outcomes of the enterprise's *last* inspection keep it
in (a problem found: such enterprises are to be re-inspected more, not less). Rules are data,
so a draw's exclusions can be published and re-applied (:func:`~randsample.joint.apply_exclusions`
has the exact definitions).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from .. import _validation as check
from ..errors import InvalidInputError

__all__ = [
    "COMPLAINT",
    "NO_PROBLEM",
    "PROBLEM_FOUND",
    "RANDOM",
    "RISK_ALERT",
    "ExclusionRule",
    "InspectionHistory",
    "PastInspection",
]

#: Triggers of an inspection: a random (quota) check, a complaint, a risk alert.
RANDOM = "random"
COMPLAINT = "complaint"
RISK_ALERT = "risk-alert"
#: Outcomes used by the default rules (any label may be used).
PROBLEM_FOUND = "problem-found"
NO_PROBLEM = "no-problem"


@attrs.frozen(kw_only=True)
class PastInspection:
    """One past inspection of an enterprise: when, by which department, why, with what result.

    >>> PastInspection(enterprise="E1", date=datetime.date(2026, 3, 2), department="SAMR",
    ...                outcome=PROBLEM_FOUND).trigger
    'random'
    """

    enterprise: str
    date: datetime.date
    department: str
    trigger: str = RANDOM
    outcome: str | None = None

    def __attrs_post_init__(self) -> None:
        check.label(self.enterprise, "inspection.enterprise")
        where = f"inspection of {self.enterprise!r}"
        check.date(self.date, f"{where}.date")
        check.label(self.department, f"{where}.department")
        check.label(self.trigger, f"{where}.trigger")
        if self.outcome is not None:
            check.label(self.outcome, f"{where}.outcome")


class InspectionHistory:
    """Past inspections indexed by enterprise (build once, use for every task of a period).

    >>> history = InspectionHistory([PastInspection(enterprise="E1",
    ...     date=datetime.date(2026, 3, 2), department="SAMR")])
    >>> len(history), history.of("E1")[0].department, history.of("E2")
    (1, 'SAMR', ())
    """

    def __init__(self, inspections: Iterable[PastInspection] = ()) -> None:
        items = check.sequence(inspections, "history", what="a sequence of PastInspection")
        by: dict[str, list[PastInspection]] = {}
        for index, item in enumerate(items):
            check.instance(item, f"history[{index}]", PastInspection)
            by.setdefault(item.enterprise, []).append(item)
        self._by = {e: tuple(sorted(v, key=lambda i: i.date)) for e, v in by.items()}
        self._count = len(items)

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"InspectionHistory({self._count} inspections of {len(self._by)} enterprises)"

    def of(self, enterprise: str) -> tuple[PastInspection, ...]:
        """Return ``enterprise``'s inspections, oldest first (empty if none)."""
        return self._by.get(enterprise, ())

    def enterprises(self) -> tuple[str, ...]:
        """Return every enterprise with a past inspection."""
        return tuple(self._by)

    def extended(self, more: Iterable[PastInspection]) -> InspectionHistory:
        """Return a new history with ``more`` inspections added."""
        every = [i for group in self._by.values() for i in group]
        return InspectionHistory([*every, *more])


def _label_set(value: Any) -> Any:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value  # refused with the field's name by the validator
    return frozenset(value)


def _departments(value: Any) -> Any:
    return value if value == "task" else _label_set(value)


@attrs.frozen(kw_only=True)
class ExclusionRule:
    """One exclusion rule (see the module doc for the exact definitions).

    Parameters
    ----------
    name : str
        What reports call the rule.
    window : int or "year"
        Count inspections of the last ``window`` days, or of the calendar year so far.
    at_least : int
        Exclude once this many inspections are counted (default 1).
    classes : set of str
        The credit classes the rule holds for (default: every stratum).
    departments : set of str or "task"
        Whose inspections count (default: every department's; ``"task"``: the drawing task's).
    triggers : set of str
        Which triggers count (default ``{"random"}``: complaint-driven checks do not).
    keep_if_last_outcome : set of str
        Outcomes of the last inspection that keep the enterprise in (default
        ``{"problem-found"}``; empty to keep nobody).

    Examples
    --------
    >>> rule = ExclusionRule(name="recent", window=180, classes={"A", "B", "C"})
    >>> rule.describe()
    'recent: >= 1 random in 180 days, classes A, B, C, kept if last problem-found'
    """

    name: str
    window: int | Literal["year"]
    at_least: int = 1
    classes: frozenset[str] = attrs.field(default=frozenset(), converter=_label_set)
    departments: frozenset[str] | Literal["task"] = attrs.field(
        default=frozenset(), converter=_departments
    )
    triggers: frozenset[str] = attrs.field(default=frozenset({RANDOM}), converter=_label_set)
    keep_if_last_outcome: frozenset[str] = attrs.field(
        default=frozenset({PROBLEM_FOUND}), converter=_label_set
    )

    def __attrs_post_init__(self) -> None:
        check.label(self.name, "rule.name")
        where = f"rule {self.name!r}"
        if self.window != "year":
            check.integer(self.window, f"{where}.window", minimum=1)
        check.integer(self.at_least, f"{where}.at_least", minimum=1)
        check.labels(self.classes, f"{where}.classes")
        if self.departments != "task":
            check.labels(self.departments, f"{where}.departments")
        check.labels(self.triggers, f"{where}.triggers")
        if not self.triggers:
            raise InvalidInputError(f"{where}.triggers", set(), "must name at least one trigger")
        check.labels(self.keep_if_last_outcome, f"{where}.keep_if_last_outcome")

    def describe(self) -> str:
        """Return the rule in one line."""
        window = "this year" if self.window == "year" else f"in {self.window} days"
        text = f"{self.name}: >= {self.at_least} {'/'.join(sorted(self.triggers))} {window}"
        if self.departments == "task":
            text += " by the task's departments"
        elif self.departments:
            text += f" by {', '.join(sorted(self.departments))}"
        if self.classes:
            text += f", classes {', '.join(sorted(self.classes))}"
        if self.keep_if_last_outcome:
            text += f", kept if last {'/'.join(sorted(self.keep_if_last_outcome))}"
        return text

    def counted(
        self, inspections: Sequence[PastInspection], as_of: datetime.date, task: frozenset[str]
    ) -> int:
        """Return how many inspections of one enterprise this rule counts.

        An inspection is an occasion: the distinct dates of the matching records (a joint
        visit by three departments is one inspection, as in the annual caps).
        """
        if self.window == "year":
            start = datetime.date(as_of.year, 1, 1)
        else:
            start = as_of - datetime.timedelta(days=self.window - 1)
        whose = task if self.departments == "task" else self.departments
        return len(
            {
                i.date
                for i in inspections
                if start <= i.date <= as_of
                and i.trigger in self.triggers
                and (not whose or i.department in whose)
            }
        )
