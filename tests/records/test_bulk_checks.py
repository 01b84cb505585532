"""The column-at-a-time checks of large records accept exactly what the row-by-row ones do.

Sealing and reading a record check its selection rows a column at a time when they are uniform
(canonical JSON, the schema, the draw's value rules, labels). Each fast path may only say "all
fine"; anything else goes to the row-by-row check, which names the problem. So, with one
field of one row changed to a tricky value, the outcome (accepted, or the exact error) must be
the same with the fast paths as without them.
"""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from randsample import Population, Seed, draw_stratified, make_record
from randsample.core import _encoding, canonical_json
from randsample.core._rows import RowColumns
from randsample.errors import RandsampleError
from randsample.records import _schema, _strict, _values, read_record
from randsample.records._formats import DrawRecord

POPULATION = Population.from_columns([f"e{i:03d}" for i in range(300)], strata=["A", "B"] * 150)
SAMPLE = draw_stratified(POPULATION, {"A": 40, "B": 40}, Seed.from_bytes(bytes(range(16))))
CONTENT = make_record(
    SAMPLE, authority="a", draw_id="d", timestamp="2026-01-01T00:00:00Z"
).content  # 80 rows: over the bulk threshold of canonical JSON

TRICKY = st.sampled_from(
    [
        True, 0, -1, 2**53, 1.5, None, [], "", " e1", "e1 ", "统一", "e\u00e9", "e\x07",
        "\ud800", "A" * 70_000, "0" * 63, "0" * 65, "G" * 64, "F" * 64, "2/4", "0", "1", "1/3",
    ]
)  # fmt: skip


def _outcome(check, content):
    """What ``check`` returns when it accepts, else the error's type and text."""
    try:
        return check(content)
    except RandsampleError as exc:
        return type(exc).__name__, str(exc)


def _checks(content):
    """The canonical bytes of ``content`` if it passes every check."""
    text = _encoding.canonical_json(content)
    _schema.check_schema(content, DrawRecord.SCHEMA)
    _values.check_draw_values(content)
    return text


@given(
    st.integers(0, len(CONTENT["selection"]) - 1),
    st.sampled_from(["id", "stratum", "rank", "ticket", "inclusion_probability"]),
    TRICKY,
)
def test_fast_and_row_by_row_checks_agree_on_one_changed_field(row, field, value):
    """The same outcome with and without the column checks, whatever one field becomes: the
    same canonical bytes, or the same error."""
    content = copy.deepcopy(CONTENT)
    content["selection"][row][field] = value
    fast = _outcome(_checks, content)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_encoding, "_BULK_ROWS", 10**9)
        patch.setattr(_schema, "_plain_rows", lambda rows, flat, columns: False)
        patch.setattr(_values, "_plain_selection", lambda selection, columns: False)
        patch.setattr(_strict, "plain_labels", lambda values: False)
        slow = _outcome(_checks, content)
    assert slow == fast


def test_an_unchanged_record_passes_the_fast_paths():
    """The fast paths accept a real selection (so they are used, not always bypassed)."""
    columns = _encoding.row_columns(CONTENT["selection"])
    assert columns is not None
    assert _encoding._valid_rows(CONTENT["selection"]) is True
    assert _values._plain_selection(CONTENT["selection"], RowColumns())
    assert _strict.plain_labels(columns["id"])
    assert canonical_json(CONTENT)


LABEL_PARTS = ["a", "b c", " ", "", "统", "\t", "\n", "é", "e\u0301", "\u0301", "\u00a0", "\u3000"]
LABEL_PARTS += [
    "\u200b",
    "\ue000",
    "\u0378",
    "\u2028",
    "\ud800",
    "\x7f",
    "\x85",
    "가",
    "\u1100\u1161",
]


@given(st.lists(st.lists(st.sampled_from(LABEL_PARTS), max_size=3).map("".join), max_size=6))
@example(["a", "\u0301"])  # each is NFC; joined without a separator they would compose
@example(["\u1100", "\u1161"])  # Hangul jamo L + V, likewise
def test_plain_labels_says_yes_exactly_for_labels(values):
    """plain_labels is true exactly when every value passes check_label (edge and inner
    spaces, controls, format and unassigned characters, separators, surrogates, combining
    marks and Hangul jamo that NFC composes)."""

    def is_label(value):
        try:
            _strict.check_label(value, "label")
        except RandsampleError:
            return False
        return True

    assert all(map(is_label, values)) == _strict.plain_labels(values)


class _LooksLikeA:
    """A key that hashes and compares equal to the string "id" without being one."""

    def __hash__(self) -> int:
        return hash("id")

    def __eq__(self, other: object) -> bool:
        return other == "id"


def test_a_key_that_only_compares_equal_to_a_string_is_not_taken_for_one():
    """Rows whose key sets compare equal but hold a non-str key get no columns, so canonical
    JSON refuses them with the row-by-row check's typed error."""
    rows = [{"id": f"e{i}"} for i in range(70)]
    rows[5] = {_LooksLikeA(): "e5"}
    assert _encoding.row_columns(rows) is None
    with pytest.raises(RandsampleError, match="object keys must be ASCII strings"):
        canonical_json(rows)


@pytest.mark.parametrize(
    "ids", [["e\u00e9", "统一", "e\u00e9\u7edf"], ["e", 'q"uote', "back\\slash"], ["e"]]
)
def test_a_sealed_draw_hashes_the_bytes_of_json_dumps(ids):
    """make_record's digest (the fast encoding of the rows, or json.dumps when a label needs
    an escape) is the SHA-256 of json.dumps' canonical text, for Chinese, accented and
    escaped ids alike, and the record reads back."""
    names = [f"{ids[i % len(ids)]}{i}" for i in range(200)]
    population = Population.from_columns(names, strata=["A", "B"] * 100)
    sample = draw_stratified(population, {"A": 40, "B": 40}, Seed.from_bytes(bytes(range(16))))
    record = make_record(sample, authority="局", draw_id="d", timestamp="2026-01-01T00:00:00Z")
    body = {k: v for k, v in record.content.items() if k != "record_digest"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == record.record_digest
    assert record.record_digest == read_record(record.to_json()).computed_digest()
