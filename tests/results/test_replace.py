"""Replacement only for data errors: a result category is refused, naming what to record."""

from __future__ import annotations

import pytest

from randsample import Population, Seed, draw_stratified, make_record
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.records import ReplacementRecord, verify_replacements
from randsample.results import (
    CATEGORIES,
    REPLACEMENT_REASONS,
    SUBTYPES,
    replace_unit,
    replacement_reason,
)

POP = Population.from_columns([f"e{i}" for i in range(8)], strata="A")
DRAW = make_record(
    draw_stratified(POP, {"A": 2}, Seed.from_bytes(bytes(range(16)))),
    authority="bureau",
    draw_id="d1",
    timestamp="2026-11-27T02:00:00Z",
)


@pytest.mark.parametrize("code", sorted(REPLACEMENT_REASONS))
def test_every_reason_code_replaces_and_verifies(code: str) -> None:
    """A data-error reason yields a v1 replacement record that verifies as before."""
    record = replace_unit(
        DRAW,
        POP,
        unit_id=DRAW.selected_ids[0],
        reason=REPLACEMENT_REASONS[code].label,
        recorded_by="clerk",
        timestamp="2026-11-28T00:00:00Z",
        previous=DRAW,
    )
    assert isinstance(record, ReplacementRecord)
    assert code == record["replaced"]["reason"]
    assert verify_replacements(DRAW, POP, [record]).ok


@pytest.mark.parametrize("code", sorted(CATEGORIES))
def test_every_result_category_is_refused_naming_itself(code: str) -> None:
    """A result category as a reason is refused; the message names that category."""
    for reason in (code, CATEGORIES[code].label):
        with pytest.raises(InvalidInputError, match=CATEGORIES[code].label) as info:
            replacement_reason(reason)
        assert "reason" == info.value.field


@pytest.mark.parametrize(
    ("reason", "category"),
    [
        ("deregistered (注销)", "注销"),
        ("business licence revoked", "被吊销"),
        ("cannot be reached at its registered address", "无法联系"),
        ("通过登记的住所（经营场所）无法联系", "无法联系"),
        ("已停业", "已关闭停业或正在组织清算"),
        ("moved to another county", "迁出"),
        ("refused to let inspectors in", "不配合检查情节严重"),
    ],
)
def test_free_text_describing_a_result_names_the_category(reason: str, category: str) -> None:
    """Free text that describes what happened to the enterprise names the category to record."""
    with pytest.raises(InvalidInputError, match=category):
        replace_unit(
            DRAW,
            POP,
            unit_id=DRAW.selected_ids[0],
            reason=reason,
            recorded_by="clerk",
            timestamp="2026-11-28T00:00:00Z",
            previous=DRAW,
        )


def test_unknown_reasons_and_types() -> None:
    """Any other text is not a reason code; a non-string is a type error."""
    with pytest.raises(InvalidInputError, match="replacement reason"):
        replacement_reason("the inspector was busy")
    with pytest.raises(InvalidTypeError):
        replacement_reason(7)
    assert not set(REPLACEMENT_REASONS) & (set(CATEGORIES) | set(SUBTYPES))
