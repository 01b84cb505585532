"""Tickets: consistency (independent of other units), determinism, order and bad input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

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
from randsample.core import ticket_kernel
from randsample.errors import MissingDependencyError
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
            "\x7f",  # DEL and US: ASCII, not printable (the bulk check's ASCII path)
            "\x1f",
            "~",  # the last printable ASCII character
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


# -- compiled kernels --------------------------------------------------------------------------

_VECTORS = json.loads((Path(__file__).parents[1] / "data" / "ticket_vectors.json").read_text())


def _kernels() -> list[str]:
    """Every kernel that can run here (the compiled ones need the kernel extra)."""
    from randsample.core import KERNELS

    names = []
    for name in KERNELS:
        try:
            ticket_kernel(name)
        except MissingDependencyError:
            continue
        names.append(name)
    return names


@pytest.mark.parametrize("name", _kernels())
def test_every_kernel_reproduces_the_golden_vectors(name):
    """Each kernel gives the frozen ticket of every golden vector (CJK, fullwidth, 300 bytes)."""
    for vector in _VECTORS:
        got = tickets(bytes.fromhex(vector["subkey"]), [vector["id"]], kernel=name)
        assert vector["ticket"] == bytes(got[0]).hex()


_LONG_CHINESE = st.text(
    st.sampled_from("统一社会信用代码深圳市南山区科技有限公司"), min_size=20, max_size=120
)
_ANY_IDS = st.one_of(
    unit_ids,
    _LONG_CHINESE,
    st.text(st.sampled_from("AZ09-_"), min_size=300, max_size=300),  # exactly 300 bytes
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=70),
)


@pytest.mark.skipif(len(_kernels()) == 1, reason="needs the kernel extra (numba)")
@given(st.lists(_ANY_IDS, min_size=1, max_size=30), st.binary(min_size=32, max_size=32))
def test_compiled_kernels_equal_hashlib(ids, key):
    """Every compiled kernel equals hashlib bit for bit on random ids: short, long Chinese,
    300-byte and arbitrary Unicode (the ids are hashed unvalidated, so any text counts)."""
    ids = [i for i in dict.fromkeys(ids) if "\x00" not in i] or ["x"]
    reference = tickets(key, ids, validate=False, kernel="hashlib")
    for name in _kernels():
        assert reference.tolist() == tickets(key, ids, validate=False, kernel=name).tolist()


def test_kernel_block_boundaries():
    """Ids around SHA-256 block edges (1 or 2 padding blocks) hash as hashlib does."""
    ids = ["x" * n for n in range(1, 140)]
    reference = tickets(KEY, ids, kernel="hashlib")
    for name in _kernels():
        assert reference.tolist() == tickets(KEY, ids, kernel=name).tolist()


@pytest.mark.parametrize("message_bytes", [37, 55, 56, 63, 64, 119, 120, 121, 183, 184])
def test_kernel_padding_edges_by_message_length(message_bytes):
    """Messages (32-byte key, 4-byte length, id) of exactly 55 bytes (the longest in one
    block), 56 and 63 (padding spills into a second block), 64 and 119/120 (two blocks, then
    three) hash as hashlib does, for ASCII ids and ids ending in 3-byte characters; the ids
    are hashed in one call with longer and shorter ones, so stale bytes of a neighbour's
    padding would show."""
    size = message_bytes - 36
    ascii_id = "7" * size
    cjk_id = "9" * (size % 3) + "统" * (size // 3)
    ids = ["a" * 200, ascii_id, "b", cjk_id, "c" * 150, "d" * size + "e"]
    assert [size, size] == [len(ascii_id.encode()), len(cjk_id.encode())]
    reference = tickets(KEY, ids, validate=False, kernel="hashlib")
    for name in _kernels():
        assert reference.tolist() == tickets(KEY, ids, validate=False, kernel=name).tolist()


def test_unchecked_nul_ids_fall_back_to_the_reference():
    """An unvalidated id containing NUL (never valid) still gets hashlib's ticket."""
    ids = ["a\x00b", "c"]
    assert tickets(KEY, ids, validate=False, kernel="hashlib").tolist() == (
        tickets(KEY, ids, validate=False).tolist()
    )


def test_unknown_kernel_is_a_typed_error():
    """A kernel name that does not exist is refused, naming the field."""
    with pytest.raises(InvalidInputError, match="kernel"):
        tickets(KEY, ["a"], kernel="gpu")


def test_missing_compiled_kernel_names_the_extra(monkeypatch):
    """Without numba, asking for a compiled kernel says which extra to install."""
    from randsample.core import _kernel

    monkeypatch.setattr(_kernel, "_numba", lambda: None)
    _kernel._compile.cache_clear()
    _kernel._checked.cache_clear()
    try:
        with pytest.raises(MissingDependencyError, match="kernel"):
            ticket_kernel("numba")
        assert "hashlib" == ticket_kernel("auto").name
    finally:
        _kernel._compile.cache_clear()
        _kernel._checked.cache_clear()


@pytest.mark.skipif(len(_kernels()) == 1, reason="needs the kernel extra (numba)")
@pytest.mark.parametrize("cores", [1, 2])
@given(st.lists(_ANY_IDS, min_size=1, max_size=120), st.binary(min_size=32, max_size=32))
def test_chunked_kernel_equals_hashlib(cores, ids, key):
    """With many chunks (chunks made tiny here) each chunk is hashed by a pool thread while
    the next is encoded (one thread: one after the other); the tickets are still hashlib's, in
    input order, NUL chunks included."""
    from randsample.core import _tickets

    ids = list(dict.fromkeys(ids))
    reference = tickets(key, ids, validate=False, kernel="hashlib")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_tickets, "_COMPILED_CHUNK", 4)
        patch.setattr(_tickets, "usable_cores", lambda: cores)
        for name in _kernels():
            assert reference.tolist() == tickets(key, ids, validate=False, kernel=name).tolist()


def test_auto_keeps_small_inputs_on_the_reference_loop(monkeypatch):
    """With kernel="auto", fewer than 2**18 ids never load a compiled kernel (loading costs
    more than it could save); at 2**18 ids the best kernel is asked for. Same bytes either way."""
    from randsample.core import _tickets

    asked = []

    def spy(name):
        asked.append(name)
        return _tickets._REFERENCE

    monkeypatch.setattr(_tickets, "ticket_kernel", spy)
    small = tickets(KEY, ["a", "b"], validate=False)
    assert asked == []
    reference = _tickets._REFERENCE
    assert (
        small.tolist() == tickets(KEY, ["a", "b"], validate=False, kernel=reference.name).tolist()
    )
    asked.clear()
    monkeypatch.setattr(_tickets, "_COMPILED_MIN_IDS", 2)
    tickets(KEY, ["a", "b"], validate=False)
    assert asked == ["auto"]


_CACHE_PROBE = """
import json
from randsample.core import _jit, ticket_kernel
for name in ("openssl", "numba"):
    ticket_kernel(name)  # compiles or loads, then checks against hashlib
loops = {"openssl": _jit.fill_openssl, "numba": _jit.fill_sha256}
print(json.dumps({k: [sum(v.stats.cache_hits.values()), sum(v.stats.cache_misses.values())]
                  for k, v in loops.items()}))
"""


@pytest.mark.skipif(len(_kernels()) < 3, reason="needs the kernel extra (numba) and OpenSSL")
def test_compiled_loops_load_from_the_disk_cache():
    """A new process loads both compiled loops from numba's on-disk cache instead of compiling
    them again (about 3 s each). A loop made inside a function, or one calling ctypes function
    objects, would miss the cache in every process."""
    import subprocess
    import sys

    def probe():
        done = subprocess.run(
            [sys.executable, "-c", _CACHE_PROBE], capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout)

    probe()  # the first process of a cold cache compiles and writes it
    second = probe()
    assert second == {"openssl": [1, 0], "numba": [1, 0]}


def test_a_kernel_that_is_not_a_name_is_a_type_error():
    """kernel=3 is InvalidTypeError (a wrong type), like every other argument."""
    with pytest.raises(InvalidTypeError, match="kernel"):
        tickets(KEY, ["a"], kernel=3)
