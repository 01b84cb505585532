"""The bytewise order of padded id rows used by the one-read draw, and the ticket-head cut
that keeps a superset of each partition's first units."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from randsample import Seed, draw_stratified
from randsample.distributed import PartitionedPopulation, _heads, _runs, draw_dataset
from randsample.distributed._order import sorted_order
from randsample.examples import demo_population

SEED = Seed.from_hex("00112233445566778899aabbccddeeff")


def _padded(ids: list[bytes]) -> np.ndarray:
    width = max((len(i) for i in ids), default=1)
    rows = np.zeros((len(ids), width), dtype=np.uint8)
    for k, ident in enumerate(ids):
        rows[k, : len(ident)] = np.frombuffer(ident, np.uint8)
    return rows


_BYTES = st.binary(min_size=1, max_size=20).filter(lambda b: b"\x00" not in b)


@given(st.lists(_BYTES, max_size=80), st.lists(st.integers(0, 79), max_size=5))
def test_sorted_order_is_bytewise_and_finds_the_smallest_repeat(ids, repeats):
    """sorted_order puts NUL-padded rows in the order of their bytes (a prefix first) and
    names a pair of rows holding the smallest repeated id, or None when all differ."""
    ids = ids + [ids[k % len(ids)] for k in repeats] if ids else ids
    order, same = sorted_order(_padded(ids))
    assert sorted(ids) == [ids[i] for i in order.tolist()]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        assert same is not None
        assert (repeated[0], repeated[0]) == (ids[same[0]], ids[same[1]])
        assert same[0] != same[1]
    else:
        assert same is None


@given(st.lists(st.sampled_from([b"a", b"ab", b"b", b"\xff", b"a\xff\x01", b"\x01"]), max_size=300))
def test_sorted_order_with_many_ties_and_wide_ranges(ids):
    """Many equal rows and columns with the full byte range (several rounds of ties) are
    ordered exactly."""
    order, _ = sorted_order(_padded(ids))
    assert sorted(ids) == [ids[i] for i in order.tolist()]


def test_sorted_order_of_long_rows_sharing_prefixes():
    """Rows of 64 bytes that agree on their first 60 (the key refined over many rounds)."""
    rng = np.random.default_rng(5)
    ids = [b"p" * 60 + bytes(rng.integers(1, 256, 4, dtype=np.uint8)) for _ in range(500)]
    order, same = sorted_order(_padded(ids))
    assert sorted(ids) == [ids[i] for i in order.tolist()]
    assert (same is None) == (len(set(ids)) == len(ids))


def test_a_cut_that_keeps_too_few_heads_falls_back_to_the_exact_ones(monkeypatch):
    """If a partition's cut on the ticket heads keeps fewer than n_h units of a stratum
    (forced here: half of them), that stratum keeps exactly its n_h smallest heads and the
    sample is still the exact one."""
    monkeypatch.setattr(_heads, "_keep_about", lambda k: k // 2)
    monkeypatch.setattr(_runs, "RUN_ROWS", 30)
    population = demo_population(size=300)
    counts = population.eligible_counts()
    for sizes in ({h: m // 8 for h, m in counts.items()}, dict.fromkeys(counts, 1)):
        expected = draw_stratified(population, sizes, SEED)
        for partitions in (1, 4, [0, 250, 50]):
            parts = PartitionedPopulation.from_population(population, partitions=partitions)
            assert expected == draw_dataset(parts, sizes, SEED)


def test_selected_ids_when_tickets_share_their_first_bits(monkeypatch):
    """When two candidates' tickets share their first 64 bits (forced: said of every
    stratum), every candidate's id is made for the tie-break and the sample is the same."""
    monkeypatch.setattr(_heads, "_share_a_head", lambda tickets: True)
    population = demo_population(size=120)
    sizes = {h: m // 4 for h, m in population.eligible_counts().items()}
    expected = draw_stratified(population, sizes, SEED)
    parts = PartitionedPopulation.from_population(population, partitions=3)
    assert expected == draw_dataset(parts, sizes, SEED)


@given(
    st.lists(st.binary(min_size=3, max_size=3).filter(lambda b: b"\x00" not in b), max_size=40),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_fixed_rows_equal_the_population_digest_rows(ids, weighted, rnd):
    """The merge's digest rows for ids of one width and tails of one length are the bytes
    of population.digest_rows (spec 4.2), weights (with -0.0) included."""
    from randsample.core import lp
    from randsample.population import digest_rows

    tails = [lp(label.encode()) + flag for label in ("A", "统") for flag in (b"\x00", b"\x01")]
    tails = tails[:2] if rnd.random() < 0.5 else [lp(b"ab") + f for f in (b"\x00", b"\x01")]
    padded = _padded(ids) if ids else np.zeros((0, 3), np.uint8)
    order = np.array(rnd.sample(range(len(ids)), len(ids)), dtype=np.intp)
    kinds = np.array([rnd.randrange(len(tails)) for _ in ids], dtype=np.int64)
    weights = np.array([rnd.choice([0.0, -0.0, 1.5, 1e300]) for _ in ids]) if weighted else None
    expected = digest_rows(
        np.take(padded, order, axis=0),
        np.full(len(ids), 3, dtype=np.int64),
        kinds,
        tails,
        weights,
    )
    assert expected == _runs._fixed_rows(padded, order, kinds, tails, weights).tobytes()


def test_one_byte_labels_are_checked_and_coded_in_label_order():
    """One-byte stratum labels (counted by byte) are coded in label order whatever order the
    rows give them, and a bad one (a space) is refused naming the partition."""
    import pandas as pd
    import pytest

    from randsample.distributed._partition import stratum_codes
    from randsample.errors import InvalidIdentifierError

    frame = pd.DataFrame({"stratum": pd.array(["D", "A", "D", "b"], dtype="string[pyarrow]")})
    labels, codes = stratum_codes(frame, 3)
    assert (["A", "D", "b"], [1, 0, 1, 2]) == (labels, codes.tolist())
    frame = pd.DataFrame({"stratum": pd.array(["A", " "], dtype="string[pyarrow]")})
    with pytest.raises(InvalidIdentifierError, match=r"partition 3: stratum\[0\]"):
        stratum_codes(frame, 3)
