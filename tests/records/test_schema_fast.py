"""check_schema's fast pass over arrays of plain rows decides as the full check does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample.errors import RecordFormatError
from randsample.records._schema import MAX_STRING_LENGTH, _check, check_schema

_ROW = {"id": str, "rank": int}
_VALUES = st.one_of(
    st.text(max_size=3),
    st.integers(-5, 5),
    st.booleans(),
    st.none(),
    st.just("x" * (MAX_STRING_LENGTH + 1)),
    st.lists(st.integers(), max_size=1),
)
_ROWS = st.lists(
    st.dictionaries(st.sampled_from(["id", "rank", "extra"]), _VALUES, max_size=3)
    | st.fixed_dictionaries({"id": st.text(max_size=3), "rank": st.integers(0, 9)}),
    max_size=6,
)


def _outcome(check):
    try:
        check()
    except RecordFormatError as exc:
        return str(exc)
    return None


@given(_ROWS)
def test_fast_pass_agrees_with_the_row_by_row_check(rows):
    """Valid rows pass and a bad row is reported with the same message (field path, value and
    reason) as checking every row with the full rules."""

    def plain():
        for index, row in enumerate(rows):
            _check(row, _ROW, f"rows[{index}]")

    assert _outcome(plain) == _outcome(lambda: check_schema({"rows": rows}, {"rows": [_ROW]}))


def test_bool_is_not_an_integer_in_the_fast_pass():
    """A boolean rank is refused, as the full check refuses it."""
    rows = [{"id": "a", "rank": 1}, {"id": "b", "rank": True}]
    with pytest.raises(RecordFormatError, match=r"rows\[1\]\.rank"):
        check_schema({"rows": rows}, {"rows": [_ROW]})
