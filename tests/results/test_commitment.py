"""Population commitment v2: RFC 6962 trees, order and partition independence, proofs."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randsample import Population
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.population import (
    CommitmentTree,
    bucket_indices,
    bucket_root,
    combine_buckets,
    commit_population,
    leaf_hash,
    leaf_hashes,
    root_from_path,
    unit_salt,
)
from randsample.population._commitment import _leaf_hash, _levels, _path, _root
from tests.strategies import populations

SECRET = bytes(range(7, 39))


def _mth(data: list[bytes]) -> bytes:
    # RFC 6962 section 2.1, written from the text (recursive split at the largest power of 2).
    if not data:
        return hashlib.sha256(b"").digest()
    if len(data) == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    k = 1
    while 2 * k < len(data):
        k *= 2
    return hashlib.sha256(b"\x01" + _mth(data[:k]) + _mth(data[k:])).digest()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 7, 8, 9, 16, 31])
def test_trees_are_rfc6962_and_every_path_verifies(n: int) -> None:
    """Roots equal RFC 6962's MTH; every audit path leads back; a changed sibling does not.

    (A path alone does not fix the tree size: the size is bound by the bucket entry and the
    final hash, tested below.)
    """
    data = [bytes([i]) * 3 for i in range(n)]
    leaves = [_leaf_hash(d) for d in data]
    levels = _levels(leaves)
    assert _mth(data) == _root(levels)
    for index in range(n):
        path = _path(levels, index)
        assert _mth(data) == root_from_path(leaves[index], index, n, path)
        if path:
            assert _mth(data) != root_from_path(leaves[index], index, n, [bytes(32), *path[1:]])


@given(populations(max_size=40), st.randoms(use_true_random=False), st.integers(1, 6))
def test_commitment_ignores_row_order_and_partitioning(
    pop: Population, rng: random.Random, parts: int
) -> None:
    """Any row order, split into any partitions and merged by bucket, gives the same root."""
    whole = commit_population(pop, SECRET, buckets=8)
    rows = list(
        zip(
            pop.ids.tolist(),
            pop.strata.tolist(),
            pop.eligible.tolist(),
            [None] * len(pop) if pop.weights is None else pop.weights.tolist(),
            strict=True,
        )
    )
    rng.shuffle(rows)
    groups: dict[int, list[tuple[bytes, bytes]]] = {}
    for p in range(parts):
        chunk = rows[p::parts]
        if not chunk:
            continue
        ids, strata, eligible, weights = zip(*chunk, strict=True)
        for bucket, ident, leaf in leaf_hashes(
            ids,
            strata,
            eligible,
            None if pop.weights is None else weights,
            secret=SECRET,
            buckets=8,
        ):
            groups.setdefault(bucket, []).append((ident, leaf))
    roots = [bucket_root(b, leaves) for b, leaves in groups.items()]
    assert whole.root == combine_buckets(roots, buckets=8)
    assert len(pop) == whole.units


def test_every_unit_proves_membership_and_nothing_else_does() -> None:
    """Each unit's leaf and proof reach the root; another unit's row with the proof does not."""
    pop = Population.from_columns(
        [f"E{i}" for i in range(50)], strata=["ABCD"[i % 4] for i in range(50)]
    )
    tree = CommitmentTree(pop, SECRET, buckets=4)
    root = bytes.fromhex(tree.commitment.root)
    for ident, stratum in zip(pop.ids.tolist(), pop.strata.tolist(), strict=True):
        proof = tree.proof(ident)
        leaf = leaf_hash(unit_salt(SECRET, ident), ident, stratum, True, None)
        assert root == proof.root(leaf, buckets=4, units=50)
        other = "A" if stratum != "A" else "B"
        forged = leaf_hash(unit_salt(SECRET, ident), ident, other, True, None)
        assert root != proof.root(forged, buckets=4, units=50)
        assert root != proof.root(leaf, buckets=4, units=51)
    with pytest.raises(InvalidInputError):
        tree.proof("nobody")


def test_salts_depend_on_the_secret_so_leaves_cannot_be_guessed() -> None:
    """Another secret changes every leaf and the root; ids and classes alone do not give a leaf."""
    pop = Population.from_columns(["E1", "E2"], strata=["A", "D"])
    assert commit_population(pop, SECRET).root != commit_population(pop, bytes(range(9, 41))).root
    assert unit_salt(SECRET, "E1") != unit_salt(SECRET, "E2")


def test_bad_input() -> None:
    """Weak secrets, bad bucket counts, duplicates and wrong types are typed errors."""
    pop = Population.from_columns(["E1"], strata="A")
    with pytest.raises(InvalidInputError):
        commit_population(pop, bytes(16))
    with pytest.raises(InvalidTypeError):
        commit_population(pop, "secret")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        commit_population(pop, SECRET, buckets=0)
    with pytest.raises(InvalidInputError):
        bucket_root(0, [(b"E1", bytes(32)), (b"E1", bytes(32))])
    with pytest.raises(InvalidInputError):
        combine_buckets([bucket_root(9, [])], buckets=4)
    assert [0] == bucket_indices(["E1"], 1).tolist()
