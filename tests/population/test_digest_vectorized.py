"""The vectorized pieces of the population digest equal their plain definitions."""

from __future__ import annotations

import hashlib

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from randsample import Population
from randsample.core import lp, utf8_buffer
from randsample.population import bytewise_order, padded_order, padded_rows

_IDS = st.lists(
    st.text(st.sampled_from("ab统\U0001f600 Z9"), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool),
    min_size=1,
    max_size=60,
    unique=True,
)


@given(_IDS)
def test_orders_equal_sorting_the_utf8_bytes(ids):
    """padded_order and bytewise_order sort ids as their UTF-8 bytes sort (prefixes first),
    whatever their lengths and however many share a long prefix."""
    data, starts, ends = utf8_buffer(ids)
    expected = sorted(range(len(ids)), key=lambda i: ids[i].encode("utf-8"))
    assert expected == padded_order(padded_rows(data, starts, ends - starts)).tolist()
    assert expected == bytewise_order(data, starts, ends - starts).tolist()


def test_long_shared_prefixes_and_long_ids():
    """Ids that agree on their first 63 bytes, and ids over 64 bytes, are ordered exactly."""
    ids = ["x" * 63 + c for c in "cab"] + ["y" * 70 + "b", "y" * 70 + "a", "y" * 70]
    data, starts, ends = utf8_buffer(ids)
    expected = sorted(range(len(ids)), key=lambda i: ids[i].encode("utf-8"))
    assert expected == bytewise_order(data, starts, ends - starts).tolist()


@given(_IDS, st.data())
def test_digest_equals_the_spec_definition(ids, data):
    """Population.digest equals spec 4.2 computed row by row."""
    strata = data.draw(st.lists(st.sampled_from(["A", "乙"]), min_size=len(ids), max_size=len(ids)))
    eligible = data.draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)))
    weights = data.draw(
        st.none() | st.lists(st.floats(0, 1e9), min_size=len(ids), max_size=len(ids))
    )
    population = Population.from_columns(ids, strata=strata, eligible=eligible, weights=weights)
    assert _spec_digest(ids, strata, eligible, weights) == population.digest()


def _spec_digest(ids, strata, eligible, weights):
    rows = b""
    for i in sorted(range(len(ids)), key=lambda i: ids[i].encode("utf-8")):
        rows += lp(ids[i].encode()) + lp(strata[i].encode()) + bytes([eligible[i]])
        rows += (
            b"\x00"
            if weights is None
            else b"\x01" + np.float64(weights[i] + 0.0).byteswap().tobytes()
        )
    return hashlib.sha256(
        b"randsample/v1/population\x00" + len(ids).to_bytes(8, "big") + rows
    ).hexdigest()


@given(st.integers(1, 70), st.sampled_from([("A", "B"), ("甲", "乙"), ("AA",)]), st.data())
def test_digest_of_equal_length_rows_equals_the_spec_definition(width, labels, data):
    """With ids of one length and labels of one length (every row laid out alike, the 2-D
    fast path of digest_rows), the digest still equals spec 4.2 computed row by row."""
    alphabet = data.draw(st.sampled_from(["ab9", "统一", "ab统"]))  # one byte length or mixed
    ids = data.draw(
        st.lists(
            st.text(st.sampled_from(alphabet), min_size=width, max_size=width),
            min_size=1,
            max_size=40,
            unique=True,
        )
    )
    n = len(ids)
    strata = data.draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n))
    eligible = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    weights = data.draw(st.none() | st.lists(st.floats(0, 1e9), min_size=n, max_size=n))
    population = Population.from_columns(ids, strata=strata, eligible=eligible, weights=weights)
    assert _spec_digest(ids, strata, eligible, weights) == population.digest()
