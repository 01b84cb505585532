"""The fast canonical JSON of large lists of rows gives exactly the bytes of json.dumps.

Large lists of uniform rows (a selection's units) are written from their columns when every
value is plain (a string needing no escape, an integer in the exact range). The text must be
byte for byte the reference ``json.dumps(value, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``, and a value the fast path does not cover must take the general path:
the same text, or the same typed error naming the field. The thresholds are lowered here so
that small generated values reach the fast path and the chunk boundaries.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from randsample.core import _encoding, canonical_digest, canonical_text, row_columns
from randsample.core._rows import RowColumns
from randsample.errors import RandsampleError

#: Characters json.dumps escapes or that need care: quotes, backslashes, controls, DEL, line
#: and paragraph separators, a BOM, lone surrogates, and one- to four-byte UTF-8.
TRICKY_CHARS = '"\\/\x00\x01\x08\t\n\x0c\r\x1f\x7f\x80 \u00a0é\u2028\u2029\ufeff统\ud800\udfff😀'
TRICKY_TEXT = st.text(TRICKY_CHARS + "az09", max_size=6) | st.text(
    st.characters(blacklist_categories=()), max_size=4
)
PLAIN_TEXT = st.text("aZ09 -/é统一😀", max_size=6)
INTEGERS = st.integers(-(2**53) + 1, 2**53 - 1)
TRICKY_VALUE = st.one_of(
    TRICKY_TEXT,
    INTEGERS,
    st.sampled_from([2**53 - 1, -(2**53) + 1, 2**53, -(2**53), 10**30, 0]),
    st.booleans(),
    st.none(),
    st.sampled_from([1.5, 0.0, Fraction(1, 3), Fraction(2), "1/3", b"x"]),
    st.lists(INTEGERS, max_size=2),
)
KEYS = st.sampled_from(["id", "rank", "a", "b", "stratum", "inclusion_probability", 'q"k', "\x01"])


def _reference(value):
    """What canonical JSON is: json.dumps with the canonical settings (docs/spec.md 6.1)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _outcome(function, value):
    """The function's result, or the type and text of the typed error it raised."""
    try:
        return function(value)
    except RandsampleError as exc:
        return type(exc).__name__, str(exc)


@st.composite
def _rows(draw, values=TRICKY_VALUE):
    """1 to 6 rows with one set of keys (usually), values mostly plain, some tricky."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=4, unique=True))
    count = draw(st.integers(1, 6))
    rows = [
        {key: draw(PLAIN_TEXT if key in ("id", "stratum") else INTEGERS) for key in keys}
        for _ in range(count)
    ]
    for _ in range(draw(st.integers(0, 2))):  # a few tricky values anywhere
        row = draw(st.integers(0, count - 1))
        rows[row][draw(st.sampled_from(keys))] = draw(values)
    if draw(st.integers(0, 9)) == 0:  # now and then a row with other keys
        rows[-1] = {draw(KEYS): draw(values)}
    return rows


def _fast(value, bulk, chunk):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_encoding, "_BULK_ROWS", bulk)
        patch.setattr(_encoding, "_CHUNK_ROWS", chunk)
        return (_outcome(canonical_text, value), _outcome(canonical_digest, value))


def _slow(value):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_encoding, "_BULK_ROWS", 10**9)  # neither the fast path nor _valid_rows
        return (_outcome(canonical_text, value), _outcome(canonical_digest, value))


@given(_rows(), st.integers(1, 3), st.integers(1, 4))
@example([{"id": "a\u2028", "rank": 1}, {"id": "b", "rank": 2}], 1, 1)
@example([{"id": '"', "rank": 1}, {"id": "\\", "rank": 2**53}], 1, 1)
@example([{"id": "\ud800", "rank": 1}], 1, 1)
@example([{"id": "x", "rank": True}], 1, 1)
@example([{"id": "x", "rank": 2**53}, {"id": "y", "rank": 1}], 1, 1)
@example([{"id": "x", "rank": 1}, {"id": "y", "rank": -(2**53)}], 1, 1)
def test_rows_give_the_bytes_of_json_dumps_or_the_same_error(rows, bulk, chunk):
    """A list of rows: the fast path's text and digest are json.dumps' (when the value is
    canonical JSON at all), and otherwise the same error as the general path."""
    fast = _fast(rows, bulk, chunk)
    assert _slow(rows) == fast
    text, digest = fast
    if isinstance(text, str):
        assert _reference(rows) == text
        assert hashlib.sha256(_reference(rows).encode("utf-8")).hexdigest() == digest


@given(st.sampled_from(TRICKY_CHARS) | TRICKY_TEXT, st.integers(0, 2), st.integers(1, 3))
def test_one_tricky_string_gives_the_bytes_of_json_dumps(text, row, chunk):
    """One string of quotes, backslashes, controls, separators or surrogates among plain rows:
    json.dumps' bytes (escapes and all), or the general path's error for a lone surrogate."""
    rows = [{"id": f"e{index}", "rank": index} for index in range(3)]
    rows[row]["id"] = text
    fast = _fast(rows, 1, chunk)
    assert _slow(rows) == fast
    if isinstance(fast[0], str):
        assert _reference(rows) == fast[0]


@given(
    st.dictionaries(KEYS | st.sampled_from(["record_format", "z", "é"]), TRICKY_VALUE, max_size=4),
    _rows(),
    st.sampled_from(["selection", "a", "~", "", "Z"]),
    st.integers(1, 3),
    st.integers(1, 4),
)
def test_a_record_holding_rows_gives_the_bytes_of_json_dumps(fields, rows, name, bulk, chunk):
    """An object holding a list of rows among other fields (a record): the same bytes as
    json.dumps, wherever the rows' key sorts, or the same error as the general path."""
    value = {**fields, name: rows}
    fast = _fast(value, bulk, chunk)
    assert _slow(value) == fast
    text, digest = fast
    if isinstance(text, str):
        assert _reference(value) == text
        assert hashlib.sha256(_reference(value).encode("utf-8")).hexdigest() == digest


@st.composite
def _plain(draw):
    """1 to 6 rows with one set of keys, each column all strings needing no escape or all
    integers in the exact range."""
    kinds = draw(st.dictionaries(KEYS, st.sampled_from([PLAIN_TEXT, INTEGERS]), min_size=1))
    count = draw(st.integers(1, 6))
    return [{key: draw(kind) for key, kind in kinds.items()} for _ in range(count)]


@given(_plain(), st.integers(1, 4))
def test_plain_rows_take_the_fast_path(rows, chunk):
    """Rows of plain values are written by the fast path (so the tests above exercise it),
    chunk boundaries anywhere."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_encoding, "_BULK_ROWS", 1)
        patch.setattr(_encoding, "_CHUNK_ROWS", chunk)
        pieces = _encoding._pieces({"selection": rows}, RowColumns())
        assert pieces is not None
        assert _reference({"selection": rows}) == "".join(_encoding._texts(pieces))


def test_row_columns_are_found_once_per_list():
    """RowColumns returns the very columns it found for a list, and separate ones for an
    equal but distinct list."""
    rows = [{"a": 1}, {"a": 2}]
    same = [{"a": 1}, {"a": 2}]
    columns = RowColumns()
    assert columns(rows) is columns(rows)
    assert columns(same) is not columns(rows)
    assert row_columns(rows) == columns(same)


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 3), max_size=3)
        | st.sampled_from([[], "ab", None]),
        max_size=5,
    )
)
@example([{"a": 0}, {"b": 0}])  # as many keys, other ones
@example([{"a": 0}, {"a": 0, "b": 1}])  # more keys
@example([{"a": 0, "b": 1}, {"a": 0}])  # fewer keys
def test_row_columns_exactly_when_the_rows_share_their_keys(rows):
    """row_columns gives the columns exactly when every row is a dict with the first row's
    keys (no more, no fewer), in the first row's key order; None otherwise."""
    uniform = all(type(row) is dict and row.keys() == rows[0].keys() for row in rows)
    expected = {key: [row[key] for row in rows] for key in rows[0]} if rows and uniform else None
    assert (expected if rows else {}) == row_columns(rows)
    if expected:
        assert list(rows[0]) == list(row_columns(rows))


@pytest.mark.parametrize("columns", [{}, [], "rows", 0])
def test_columns_keyword_refuses_anything_but_its_cache(columns):
    """The internal ``columns=`` keyword takes None or the cache; anything else is a typed
    error naming it, never a builtin TypeError from deep inside."""
    from randsample.errors import InvalidTypeError
    from randsample.records import compute_digest
    from randsample.records._values import check_draw_values

    value = {"selection": [{"id": "a"}]}
    for call in (
        lambda: canonical_text(value, columns=columns),
        lambda: canonical_digest(value, columns=columns),
        lambda: compute_digest(value, columns=columns),
        lambda: check_draw_values(value, columns=columns),
    ):
        with pytest.raises(InvalidTypeError, match="columns"):
            call()
