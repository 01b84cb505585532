"""One department's result for one drawn enterprise in one task, and its audit states.

An :class:`InspectionResult` is a *snapshot*: the result's content (category, methods,
follow-ups, officers, inspection dates) and the audit state it reached on a date. Every change
is a new snapshot made by :meth:`InspectionResult.advance`, which allows only the moves of
:data:`~randsample.results.TRANSITIONS`:

    未录入 → 待审核 → 审核退回 → 待审核 …
                   ↘ 审核通过 → 已公示 → 完结

The content can change only when a returned result is entered again (审核退回 → 待审核); once
approved it is frozen, so a published result cannot be edited ("谁检查、谁录入、谁公开": each
department enters and publishes its own result, and no other department's result touches it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import attrs

from .. import _validation as check
from ..errors import IllegalTransitionError, InvalidInputError
from ._vocabulary import CATEGORIES, FOLLOW_UPS, METHODS, STATES, SUBTYPES, TRANSITIONS, term

__all__ = ["CONTENT_FIELDS", "InspectionResult", "ResultKey", "check_step", "enter_result"]

#: What identifies a result: (task_id, department, enterprise_id).
#: The key of a result: (task_id, department, enterprise_id).
ResultKey = tuple[str, str, str]

#: The fields that make up a result's content (frozen from 审核通过 on).
CONTENT_FIELDS = (
    "period",
    "category",
    "subtypes",
    "methods",
    "follow_ups",
    "officers",
    "leader",
    "inspection_start",
    "inspection_end",
)


def _codes(values: Iterable[str], field: str, vocabulary: Any, what: str) -> tuple[str, ...]:
    items = check.sequence(values, field, what=f"a list of {what} codes")
    codes = tuple(term(v, f"{field}[{i}]", vocabulary, what) for i, v in enumerate(items))
    for index, code in enumerate(codes):
        if code in codes[:index]:
            raise InvalidInputError(f"{field}[{index}]", code, "is listed twice")
    return tuple(sorted(codes))


def _labels(values: Iterable[str], field: str) -> tuple[str, ...]:
    items = check.sequence(values, field, what="a list of labels (not a single string)")
    out = tuple(check.label(v, f"{field}[{i}]") for i, v in enumerate(items))
    for index, value in enumerate(out):
        if value in out[:index]:
            raise InvalidInputError(f"{field}[{index}]", value, "is listed twice")
    return tuple(sorted(out))


@attrs.frozen(kw_only=True)
class InspectionResult:
    """A department's result for one enterprise in one task, in one audit state.

    Build the first snapshot with :func:`enter_result` and every later one with
    :meth:`advance`. Codes are stored (``"corrected"``); Chinese labels are accepted on input.

    >>> import datetime as dt
    >>> r = enter_result(task_id="T1", department="SAMR", enterprise_id="E1", period="2026-03",
    ...                  category="发现问题经责令已改正", methods=["on-site"],
    ...                  follow_ups=["order-correction"], officers=["O-1", "O-2"],
    ...                  inspection_start=dt.date(2026, 3, 2), inspection_end=dt.date(2026, 3, 2),
    ...                  on=dt.date(2026, 3, 3), by="O-1")
    >>> r.state, r.category, r.problem_found
    ('pending-review', 'corrected', True)
    >>> r.advance("published", on=dt.date(2026, 3, 4), by="chief")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.IllegalTransitionError: state: cannot move from 待审核 (pending-review) ...
    """

    task_id: str
    department: str
    enterprise_id: str
    period: str
    category: str
    subtypes: tuple[str, ...] = ()
    methods: tuple[str, ...]
    follow_ups: tuple[str, ...]
    officers: tuple[str, ...]
    leader: str | None = None
    inspection_start: datetime.date
    inspection_end: datetime.date
    state: str
    date: datetime.date
    by: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("task_id", "department", "enterprise_id", "period", "by"):
            check.label(getattr(self, name), f"result.{name}")
        where = f"result {self.key!r}"
        fix = object.__setattr__
        fix(
            self,
            "category",
            term(self.category, f"{where}.category", CATEGORIES, "a result category"),
        )
        fix(self, "subtypes", _codes(self.subtypes, f"{where}.subtypes", SUBTYPES, "sub-type"))
        fix(self, "methods", _codes(self.methods, f"{where}.methods", METHODS, "inspection method"))
        fix(
            self,
            "follow_ups",
            _codes(self.follow_ups, f"{where}.follow_ups", FOLLOW_UPS, "follow-up"),
        )
        fix(self, "officers", _labels(self.officers, f"{where}.officers"))
        fix(self, "state", term(self.state, f"{where}.state", STATES, "an audit state"))
        if self.note is not None:
            check.label(self.note, f"{where}.note")
        self._check_rules(where)

    def __repr__(self) -> str:
        task, department, enterprise = self.key
        return (
            f"InspectionResult({task}/{department}/{enterprise}: {self.category}, "
            f"{self.state} on {self.date})"
        )

    def _check_rules(self, where: str) -> None:
        if self.category == "pending-follow-up" and not self.subtypes:
            raise InvalidInputError(
                f"{where}.subtypes", [], "发现问题待后续处理 (pending-follow-up) needs a sub-type"
            )
        if self.subtypes and self.category != "pending-follow-up":
            raise InvalidInputError(
                f"{where}.subtypes", list(self.subtypes), "only 发现问题待后续处理 has sub-types"
            )
        if not self.methods:
            raise InvalidInputError(f"{where}.methods", [], "must name at least one method")
        if not self.follow_ups:
            raise InvalidInputError(f"{where}.follow_ups", [], "must name at least one measure")
        if "none" in self.follow_ups and len(self.follow_ups) > 1:
            raise InvalidInputError(
                f"{where}.follow_ups", list(self.follow_ups), "'none' cannot be combined"
            )
        if not self.officers:
            raise InvalidInputError(f"{where}.officers", [], "must name at least one officer")
        if "on-site" in self.methods and len(self.officers) < 2:
            raise InvalidInputError(
                f"{where}.officers",
                list(self.officers),
                "an on-site inspection needs at least two officers (行政处罚法 Art. 42)",
            )
        if self.leader is not None and self.leader not in self.officers:
            raise InvalidInputError(f"{where}.leader", self.leader, "is not one of the officers")
        start = check.date(self.inspection_start, f"{where}.inspection_start")
        end = check.date(self.inspection_end, f"{where}.inspection_end")
        day = check.date(self.date, f"{where}.date")
        if end < start:
            raise InvalidInputError(f"{where}.inspection_end", end, f"is before the start {start}")
        if day < end:
            raise InvalidInputError(
                f"{where}.date", day, f"is before the inspection ended ({end}): enter after it"
            )
        if self.state == "not-entered":
            raise InvalidInputError(
                f"{where}.state", self.state, "未录入 is the state before any snapshot exists"
            )

    @property
    def key(self) -> ResultKey:
        """``(task_id, department, enterprise_id)``: what the result is about."""
        return (self.task_id, self.department, self.enterprise_id)

    @property
    def problem_found(self) -> bool:
        """Whether the category is a finding (发现问题) under the default definition."""
        from ._vocabulary import PROBLEM_CATEGORIES

        return self.category in PROBLEM_CATEGORIES

    @property
    def published(self) -> bool:
        """Whether the result has been published (已公示, or 完结 after it)."""
        return self.state in ("published", "closed")

    def content(self) -> dict[str, Any]:
        """Return the content fields (those frozen from 审核通过 on) as a dict."""
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def advance(
        self, state: str, *, on: datetime.date, by: str, note: str | None = None, **changes: Any
    ) -> InspectionResult:
        """Return the next snapshot in ``state`` (a code or 中文), reached on ``on`` by ``by``.

        ``changes`` (content fields) are allowed only when a returned result is entered again
        (``returned`` → ``pending-review``). Illegal moves raise IllegalTransitionError.
        """
        unknown = sorted(set(changes) - set(CONTENT_FIELDS))
        if unknown:
            raise InvalidInputError(
                "changes", unknown[0], f"is not a content field ({', '.join(CONTENT_FIELDS)})"
            )
        fields = {**attrs.asdict(self, recurse=False), **changes}
        fields.update(state=state, date=on, by=by, note=note)
        following = InspectionResult(**fields)
        check_step(self, following)
        return following


def check_step(previous: InspectionResult | None, following: InspectionResult) -> None:
    """Raise unless ``following`` may come right after ``previous`` (None: 未录入).

    Checks the state machine, that time does not run backwards, that the result is the same
    one, and that the content changes only on re-entry after 审核退回.
    """
    where = f"result {following.key!r}"
    before = "not-entered" if previous is None else previous.state
    if following.state not in TRANSITIONS[before]:
        allowed = ", ".join(str(STATES[s]) for s in sorted(TRANSITIONS[before])) or "nothing"
        raise IllegalTransitionError(
            "state",
            str(STATES[following.state]),
            f"cannot move from {STATES[before]} for {where}; allowed: {allowed}",
        )
    if previous is None:
        return
    if previous.key != following.key:
        raise InvalidInputError(
            "result", following.key, f"is not the same result as {previous.key}"
        )
    if following.date < previous.date:
        raise InvalidInputError(
            f"{where}.date", following.date, f"is before the previous state's date {previous.date}"
        )
    if following.state != "pending-review" and following.content() != previous.content():
        changed = [k for k, v in following.content().items() if previous.content()[k] != v]
        raise IllegalTransitionError(
            f"{where}.{changed[0]}",
            following.content()[changed[0]],
            f"cannot change when moving to {STATES[following.state]}: only a returned "
            "result is entered again",
        )


def enter_result(
    *,
    task_id: str,
    department: str,
    enterprise_id: str,
    period: str,
    category: str,
    methods: Iterable[str],
    follow_ups: Iterable[str],
    officers: Iterable[str],
    inspection_start: datetime.date,
    inspection_end: datetime.date,
    on: datetime.date,
    by: str,
    subtypes: Iterable[str] = (),
    leader: str | None = None,
    note: str | None = None,
) -> InspectionResult:
    """Enter a result (未录入 → 待审核): the first snapshot of a department's result.

    >>> import datetime as dt
    >>> enter_result(task_id="T1", department="SAMR", enterprise_id="E1", period="2026-03",
    ...              category="no-problem", methods=["written"], follow_ups=["none"],
    ...              officers=["O-1"], inspection_start=dt.date(2026, 3, 2),
    ...              inspection_end=dt.date(2026, 3, 2), on=dt.date(2026, 3, 3), by="O-1").state
    'pending-review'
    """
    result = InspectionResult(
        task_id=task_id,
        department=department,
        enterprise_id=enterprise_id,
        period=period,
        category=category,
        subtypes=tuple(check.sequence(subtypes, "subtypes")),
        methods=tuple(check.sequence(methods, "methods")),
        follow_ups=tuple(check.sequence(follow_ups, "follow_ups")),
        officers=tuple(check.sequence(officers, "officers")),
        leader=leader,
        inspection_start=inspection_start,
        inspection_end=inspection_end,
        state="pending-review",
        date=on,
        by=by,
        note=note,
    )
    check_step(None, result)
    return result
