"""Replacement only for data errors: what happened to an enterprise is a result, not a reason.

A drawn enterprise that was deregistered, revoked, moved out, closed, or cannot be reached at
its registered address is a *finding*: the platforms record it as a result category (注销 /
被吊销 / 被撤销 / 迁出 / 已关闭停业 / 通过登记的住所（经营场所）无法联系, the last of which puts the
enterprise on the abnormal-operations list). Replacing it by the next enterprise in ticket order
would hide the finding. :func:`replace_unit` therefore accepts only the closed list of
:data:`~randsample.results.REPLACEMENT_REASONS`: errors in the directory data that put the unit
outside the task's scope. A reason that names a result is refused with an error that names the
category to record instead.

The reason code is written into the existing ``replaced.reason`` field of a
``randsample.replacement-record/1`` (a label; spec section 10), so v1 records are unchanged and
verify as before; the closed list is enforced here, at the API (spec section 13.4).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from .. import _validation as check
from ..errors import InvalidInputError
from ..population import Population
from ..records import DrawRecord, ReplacementRecord, SealedRecord, record_replacement
from ._vocabulary import CATEGORIES, REPLACEMENT_REASONS, SUBTYPES, term

__all__ = ["replace_unit", "replacement_reason"]

#: Words that describe something that happened to the enterprise, and the result to record.
_RESULT_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("注销", "deregist", "dissolved"), "deregistered"),
    (("吊销", "revoked", "revocation"), "licence-revoked"),
    (("撤销", "cancelled", "canceled"), "registration-cancelled"),
    (("迁出", "moved", "relocated"), "moved-out"),
    (
        ("无法联系", "查无", "unreachable", "cannot be reached", "not found", "no contact"),
        "pending-follow-up/unreachable-at-address",
    ),
    (("停业", "关闭", "清算", "closed", "liquidat", "bankrupt"), "closed-or-liquidating"),
    (("不配合", "拒绝", "refus", "obstruct"), "refused-inspection"),
    (("未开展", "no relevant", "no business", "not operating"), "no-relevant-activity"),
)


def _category_text(code: str) -> str:
    if "/" in code:
        category, subtype = code.split("/")
        return f"{CATEGORIES[category]} with sub-type {SUBTYPES[subtype]}"
    return str(CATEGORIES[code])


def replacement_reason(reason: object) -> str:
    """Return the reason code for ``reason``; refuse a reason that is a result category.

    >>> replacement_reason("名录库重复记录")
    'duplicate-entry'
    >>> replacement_reason("deregistered (注销)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    randsample.errors.InvalidInputError: reason: is a result, not a reason to replace: record \
注销 (deregistered) as the enterprise's result instead, got 'deregistered (注销)'
    """
    if isinstance(reason, str):
        for entry in CATEGORIES.values():
            if reason in (entry.code, entry.label):
                _refuse(reason, entry.code)
        for entry in SUBTYPES.values():
            if reason in (entry.code, entry.label):
                _refuse(reason, f"pending-follow-up/{entry.code}")
        if reason not in REPLACEMENT_REASONS and not any(
            reason == e.label for e in REPLACEMENT_REASONS.values()
        ):
            lowered = reason.lower()
            for words, category in _RESULT_WORDS:
                if any(word in lowered for word in words):
                    _refuse(reason, category)
    return term(reason, "reason", REPLACEMENT_REASONS, "a replacement reason (a data error)")


def _refuse(reason: str, category: str) -> None:
    raise InvalidInputError(
        "reason",
        reason,
        f"is a result, not a reason to replace: record {_category_text(category)} as the "
        "enterprise's result instead",
    )


def replace_unit(
    draw: DrawRecord,
    population: Population,
    *,
    unit_id: str,
    reason: str,
    recorded_by: str,
    timestamp: datetime.datetime | str,
    previous: SealedRecord,
    earlier: Sequence[ReplacementRecord] = (),
) -> ReplacementRecord:
    """Replace a drawn unit for a data error (a reason code); see the module docstring.

    The record is a v1 replacement record (:func:`randsample.records.record_replacement`) whose
    ``replaced.reason`` is the reason code.

    >>> from randsample import Population, Seed, draw_stratified, make_record
    >>> pop = Population.from_columns([f"e{i}" for i in range(6)], strata="A")
    >>> draw = make_record(draw_stratified(pop, {"A": 2}, Seed.from_bytes(bytes(range(16)))),
    ...                    authority="bureau", draw_id="d1", timestamp="2026-11-27T02:00:00Z")
    >>> record = replace_unit(draw, pop, unit_id=draw.selected_ids[0], reason="duplicate-entry",
    ...                       recorded_by="clerk 3", timestamp="2026-11-28T02:00:00Z",
    ...                       previous=draw)
    >>> record["replaced"]["reason"], record["replacement"]["rank"]
    ('duplicate-entry', 3)
    """
    code = replacement_reason(reason)
    check.instance(draw, "draw", DrawRecord)
    return record_replacement(
        draw,
        population,
        unit_id=unit_id,
        reason=code,
        recorded_by=recorded_by,
        timestamp=timestamp,
        previous=previous,
        earlier=earlier,
    )
