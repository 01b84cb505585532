"""Results: vocabularies, content rules, the audit state machine, typed errors."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.errors import IllegalTransitionError, InvalidInputError, InvalidTypeError
from randsample.results import CATEGORIES, STATES, TRANSITIONS, check_step

from .helpers import D, entered


def test_entry_takes_codes_or_chinese_labels() -> None:
    """A result is entered in 待审核 and stores codes whichever form was given."""
    result = entered(category="发现问题待后续处理", subtypes=["通过登记的住所（经营场所）无法联系"])
    assert "pending-review" == result.state
    assert ("pending-follow-up", ("unreachable-at-address",)) == (result.category, result.subtypes)
    assert result.problem_found


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "lost"}, "category"),
        ({"category": "pending-follow-up"}, "subtypes"),
        ({"subtypes": ["false-disclosure"]}, "subtypes"),
        ({"methods": []}, "methods"),
        ({"methods": ["telepathy"]}, "methods[0]"),
        ({"follow_ups": ["none", "refer-case"]}, "follow_ups"),
        ({"officers": ["O-1"]}, "officers"),
        ({"leader": "O-9"}, "leader"),
        ({"inspection_end": D(2026, 3, 1)}, "inspection_end"),
        ({"on": D(2026, 3, 2)}, "date"),
        ({"officers": ["O-1", "O-1"]}, "officers[1]"),
    ],
)
def test_bad_content_is_a_typed_error_naming_the_field(changes: dict, field: str) -> None:
    """Every broken content rule raises InvalidInputError whose field ends with the name."""
    with pytest.raises(InvalidInputError) as info:
        entered(**changes)
    assert info.value.field.endswith(field)


def test_wrong_types_are_type_errors() -> None:
    """A non-date date, a str for a list and a non-str category raise InvalidTypeError."""
    for changes in ({"inspection_start": "2026-03-02"}, {"officers": "O-1"}, {"category": 3}):
        with pytest.raises(InvalidTypeError):
            entered(**changes)


def test_the_normal_path_and_a_return() -> None:
    """待审核 → 审核退回 → 待审核 (content may change) → 审核通过 → 已公示 → 完结."""
    first = entered()
    back = first.advance("审核退回", on=D(2026, 3, 5), by="chief", note="补充材料")
    again = back.advance("pending-review", on=D(2026, 3, 6), by="O-1", follow_ups=["refer-case"])
    assert ("refer-case",) == again.follow_ups
    final = again.advance("approved", on=D(2026, 3, 7), by="chief")
    final = final.advance("published", on=D(2026, 3, 7), by="chief")
    final = final.advance("完结", on=D(2026, 4, 1), by="chief")
    assert ("closed", True) == (final.state, final.published)


def test_content_is_frozen_after_approval() -> None:
    """Changing content on any move but re-entry raises IllegalTransitionError."""
    approved = entered().advance("approved", on=D(2026, 3, 5), by="chief")
    with pytest.raises(IllegalTransitionError) as info:
        approved.advance("published", on=D(2026, 3, 6), by="chief", category="no-problem")
    assert info.value.field.endswith("category")
    with pytest.raises(InvalidInputError):
        approved.advance("published", on=D(2026, 3, 6), by="chief", colour="red")


def test_time_does_not_run_backwards() -> None:
    """A move dated before the previous state's date is refused."""
    with pytest.raises(InvalidInputError):
        entered().advance("approved", on=D(2026, 3, 3), by="chief")


@given(st.lists(st.sampled_from(sorted(STATES)), min_size=1, max_size=8))
def test_only_listed_transitions_are_legal(path: list[str]) -> None:
    """Along any sequence of target states, a move succeeds iff TRANSITIONS allows it."""
    current = None
    for state in path:
        before = "not-entered" if current is None else current.state
        try:
            if current is None:
                following = attrs.evolve(entered(), state=state)
                check_step(None, following)
            else:
                following = current.advance(state, on=current.date, by="x")
        except InvalidInputError:  # IllegalTransitionError, or 未录入 as a snapshot
            assert state not in TRANSITIONS[before]
            continue
        assert state in TRANSITIONS[before]
        current = following


def test_illegal_first_move_names_the_states() -> None:
    """未录入 → 已公示 directly is an IllegalTransitionError naming both states."""
    snapshot = attrs.evolve(entered(), state="published")
    with pytest.raises(IllegalTransitionError, match="未录入"):
        check_step(None, snapshot)


def test_categories_are_the_platform_list() -> None:
    """The ten categories of the result form, with their Chinese labels."""
    assert 10 == len(CATEGORIES)
    assert "通过登记的住所（经营场所）无法联系" not in {t.label for t in CATEGORIES.values()}
