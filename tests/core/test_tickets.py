"""Tickets: consistency (independent of other units), determinism, order and bad input."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import (
    InvalidIdentifierError,
    InvalidInputError,
    InvalidTypeError,
    ticket,
    ticket_order,
    tickets,
)
from tests.strategies import seeds, unit_ids

KEY = hashlib.sha256(b"test subkey").digest()


@given(st.lists(unit_ids, min_size=1, max_size=40, unique=True), st.data())
def test_ticket_depends_only_on_own_id(ids, data):
    """Reordering, adding or removing other units leaves every ticket unchanged."""
    base = {i: bytes(t) for i, t in zip(ids, tickets(KEY, ids), strict=True)}
    keep = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1))
    extra = data.draw(st.lists(unit_ids.filter(lambda s: s not in base), unique=True, max_size=5))
    changed = data.draw(st.permutations(keep + extra))
    after = {i: bytes(t) for i, t in zip(changed, tickets(KEY, changed), strict=True)}
    assert {i: base[i] for i in keep} == {i: after[i] for i in keep}


@given(st.lists(unit_ids, min_size=1, max_size=20, unique=True))
def test_vectorized_equals_scalar_and_spec(ids):
    """tickets() row i equals ticket(ids[i]) equals SHA-256(k || lp(UTF-8(id)))."""
    array = tickets(KEY, ids)
    for row, ident in zip(array, ids, strict=True):
        encoded = ident.encode("utf-8")
        expected = hashlib.sha256(KEY + len(encoded).to_bytes(4, "big") + encoded).digest()
        assert expected == bytes(row) == ticket(KEY, ident)


@given(seeds, seeds)
def test_different_subkeys_give_unrelated_tickets(a, b):
    """Two purposes (or two seeds) never share tickets."""
    ids = [f"u{i}" for i in range(50)]
    ta = tickets(a.subkey("enterprises"), ids)
    tb = tickets(a.subkey("inspectors"), ids)
    assert not np.any(np.all(ta == tb, axis=1))
    if a != b:
        tc = tickets(b.subkey("enterprises"), ids)
        assert not np.any(np.all(ta == tc, axis=1))


@given(st.lists(unit_ids, min_size=1, max_size=40, unique=True))
def test_ticket_order_sorts_as_256_bit_integers(ids):
    """ticket_order agrees with sorting the tickets as Python big integers."""
    array = tickets(KEY, ids)
    order = ticket_order(array, ids=ids).tolist()
    expected = sorted(range(len(ids)), key=lambda i: int.from_bytes(bytes(array[i]), "big"))
    assert expected == order


def test_ties_broken_by_id_bytes():
    """Equal tickets (forced here: real ones need a SHA-256 collision) fall back to the ids."""
    ids = ["b", "a", "c"]
    array = np.zeros((3, 32), dtype=np.uint8)
    array[2, 0] = 1  # c is largest; a and b tie
    assert [1, 0, 2] == ticket_order(array, ids=ids).tolist()
    with pytest.raises(InvalidInputError, match="tie"):
        ticket_order(array)


def test_prefix_collision_resolved_by_full_ticket():
    """Tickets equal in the first 64 bits are ordered by the remaining bits."""
    array = np.zeros((2, 32), dtype=np.uint8)
    array[0, 31] = 2
    array[1, 31] = 1
    assert [1, 0] == ticket_order(array, ids=["x", "y"]).tolist()


@pytest.mark.parametrize(
    ("ids", "error", "fragment"),
    [
        ([], InvalidIdentifierError, "at least one"),
        (["a", "a"], InvalidIdentifierError, "duplicate of ids\\[0\\]"),
        (["a", 7], InvalidTypeError, "ids\\[1\\]"),
        (["a", " b"], InvalidIdentifierError, "whitespace"),
        (["a", "b\t"], InvalidIdentifierError, "whitespace"),
        (["a", ""], InvalidIdentifierError, "empty"),
        (["a\u200bb"], InvalidIdentifierError, "printable"),
        (["Cafe\u0301"], InvalidIdentifierError, "NFC"),
    ],
)
def test_bad_ids_are_typed_errors(ids, error, fragment):
    """Bad identifiers raise a typed error naming the position; nothing is repaired."""
    with pytest.raises(error, match=fragment):
        tickets(KEY, ids)


@pytest.mark.parametrize("key", [b"short", "0" * 64, None])
def test_bad_subkey(key):
    """The sub-key must be 32 bytes."""
    with pytest.raises((InvalidInputError, InvalidTypeError)):
        tickets(key, ["a"])


def test_numpy_string_array_accepted():
    """A numpy array of strings gives the same tickets as a list."""
    ids = ["甲公司", "乙公司"]
    assert np.array_equal(tickets(KEY, ids), tickets(KEY, np.array(ids)))


_TRICKY = st.text(
    st.sampled_from(
        [
            "a",
            "B",
            "统",
            " ",
            "\t",
            "\u3000",
            "\u00a0",
            "e",
            "\u0301",
            "\u00e9",
            "\u200b",
            "\x00",
            "\x85",
        ]
    ),
    max_size=4,
)


@given(st.lists(_TRICKY, min_size=1, max_size=6))
def test_bulk_id_checks_agree_with_single_checks(ids):
    """check_ids (bulk, C-level passes) accepts exactly the lists whose every id passes
    check_id and has no duplicate; it reports the same first failure."""
    from randsample.core import check_id, check_ids

    expected = None
    for index, ident in enumerate(ids):
        try:
            check_id(ident, field=f"ids[{index}]")
        except InvalidIdentifierError as exc:
            expected = str(exc)
            break
    if expected is None and len(set(ids)) != len(ids):
        expected = "duplicate"
    if expected is None:
        assert ids == check_ids(ids)
    else:
        with pytest.raises(InvalidIdentifierError) as caught:
            check_ids(ids)
        assert expected in ("duplicate", str(caught.value))
