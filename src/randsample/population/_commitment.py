"""Population commitment v2: a salted, bucketed Merkle commitment (docs/spec.md section 14).

The v1 digest (spec 4.2) hashes the whole population at once: anyone holding the file can
check it, but it proves nothing about one row without the whole file. Commitment v2 lets *one
enterprise* check its own row (a Merkle inclusion proof, RFC 6962) without learning anything
about any other row:

* every unit has a 32-byte **salt** derived from an authority secret (given to the auditor,
  never published), so a leaf cannot be brute-forced from the public id and the few class
  letters;
* units fall into a fixed number of **buckets** by a hash of their id; each bucket is an RFC 6962
  Merkle tree over its leaves sorted by UTF-8 id bytes; a top tree covers the bucket roots.

The commitment depends only on the *set* of rows, never on row order or on how the rows are
partitioned, and it is computable partition by partition: :func:`leaf_hashes` on any
partition (map), group the leaves by bucket (shuffle), :func:`bucket_root` per bucket
(reduce), :func:`combine_buckets` over all bucket roots. :func:`commit_population` does all of it
in one process.
"""

from __future__ import annotations

import hashlib
import itertools
import struct
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .. import _validation as check
from ..core import lp
from ..errors import InvalidInputError, InvalidTypeError
from ._merkle import _EMPTY, _levels, _path, _root, root_from_path
from ._population import Population

__all__ = [
    "COMMITMENT_VERSION",
    "DEFAULT_BUCKETS",
    "BucketRoot",
    "CommitmentTree",
    "MembershipProof",
    "PopulationCommitment",
    "bucket_indices",
    "bucket_root",
    "combine_buckets",
    "commit_population",
    "leaf_data",
    "leaf_hash",
    "leaf_hashes",
    "root_from_path",
    "unit_salt",
    "unit_salts",
]

COMMITMENT_VERSION = 2
#: Buckets of a commitment unless the authority chooses another number (1..65536).
DEFAULT_BUCKETS = 1024
MAX_BUCKETS = 1 << 16

_SALT = b"randsample/v2/unit-salt\x00"
_BUCKET = b"randsample/v2/bucket\x00"
_LEAF = b"randsample/v2/leaf\x00"
_ENTRY = b"randsample/v2/bucket-root\x00"
_COMMIT = b"randsample/v2/population-commitment\x00"
# lp() prefixes of short fields, looked up instead of computed in the per-unit loops.
_LP = [n.to_bytes(4, "big") for n in range(256)]


def _lp(data: bytes) -> bytes:
    size = len(data)
    return (_LP[size] if size < 256 else size.to_bytes(4, "big")) + data


def check_secret(secret: object, field: str = "secret") -> bytes:
    """Return ``secret`` if it is at least 16 bytes with at least 8 distinct byte values."""
    if not isinstance(secret, bytes):
        raise InvalidTypeError(field, secret, "bytes (e.g. secrets.token_bytes(32))")
    if len(secret) < 16 or len(set(secret)) < 8:
        raise InvalidInputError(
            field, f"{len(secret)} bytes", "needs at least 16 bytes with 8 distinct values"
        )
    return secret


def _buckets(value: object) -> int:
    return check.integer(value, "buckets", minimum=1, maximum=MAX_BUCKETS)


def unit_salt(secret: bytes, unit_id: str) -> bytes:
    """Return a unit's 32-byte salt: ``SHA-256(tag || lp(secret) || lp(UTF-8(id)))``.

    >>> unit_salt(bytes(range(16)), "E1").hex()[:16]
    '829e053bcc2e2df3'
    """
    check_secret(secret)
    return hashlib.sha256(_SALT + lp(secret) + lp(unit_id.encode("utf-8"))).digest()


def unit_salts(secret: bytes, ids: Sequence[str]) -> list[bytes]:
    """Return the salts of many units (ids already validated), in input order.

    >>> unit_salts(bytes(range(16)), ["E1"])[0] == unit_salt(bytes(range(16)), "E1")
    True
    """
    prefix = _SALT + lp(check_secret(secret))
    sha = hashlib.sha256
    return [sha(prefix + _lp(i.encode("utf-8"))).digest() for i in ids]


def bucket_indices(ids: Sequence[str] | npt.NDArray[Any], buckets: int) -> npt.NDArray[np.int64]:
    """Return each id's bucket: the first 8 bytes of ``SHA-256(tag || lp(id))`` mod ``buckets``.

    >>> bucket_indices(["E1", "E2"], 1024).tolist()
    [516, 998]
    """
    count = _buckets(buckets)
    sha = hashlib.sha256
    values = [
        int.from_bytes(sha(_BUCKET + _lp(i.encode("utf-8"))).digest()[:8], "big") % count
        for i in (ids.tolist() if isinstance(ids, np.ndarray) else ids)
    ]
    return np.asarray(values, dtype=np.int64)


def leaf_data(
    salt: bytes, unit_id: str, stratum: str, eligible: bool, weight: float | None
) -> bytes:
    """Return the bytes a leaf commits to: ``tag || salt || row`` (v1 row encoding, 4.2)."""
    tail = b"\x00" if weight is None else b"\x01" + struct.pack(">d", float(weight) + 0.0)
    row = _lp(unit_id.encode("utf-8")) + _lp(stratum.encode("utf-8"))
    return _LEAF + salt + row + (b"\x01" if eligible else b"\x00") + tail


def _leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def leaf_hash(
    salt: bytes, unit_id: str, stratum: str, eligible: bool, weight: float | None
) -> bytes:
    """Return a unit's RFC 6962 leaf hash: ``SHA-256(0x00 || leaf_data(...))``."""
    return _leaf_hash(leaf_data(salt, unit_id, stratum, eligible, weight))


@attrs.frozen
class BucketRoot:
    """A bucket's Merkle root and its number of leaves (one entry of the top tree)."""

    bucket: int
    count: int
    root: bytes

    def entry(self) -> bytes:
        """Return the top tree's leaf data: ``tag || u32be(b) || u64be(count) || root``."""
        return _ENTRY + self.bucket.to_bytes(4, "big") + self.count.to_bytes(8, "big") + self.root


def leaf_hashes(
    ids: Sequence[str] | npt.NDArray[Any],
    strata: Sequence[str] | npt.NDArray[Any],
    eligible: Sequence[bool] | npt.NDArray[np.bool_],
    weights: Sequence[float] | npt.NDArray[np.float64] | None = None,
    *,
    secret: bytes,
    buckets: int = DEFAULT_BUCKETS,
) -> list[tuple[int, bytes, bytes]]:
    """Return, as the map step, ``(bucket, UTF-8 id, leaf hash)`` for every row of a partition.

    Rows are validated as a :class:`Population` validates them (ids unique within the call).
    """
    population = Population.from_columns(
        ids.tolist() if isinstance(ids, np.ndarray) else list(ids),
        strata=list(strata.tolist() if isinstance(strata, np.ndarray) else strata),
        eligible=None if eligible is None else list(eligible),
        weights=None if weights is None else list(weights),
    )
    return _leaves(population, check_secret(secret), _buckets(buckets))


def _leaves(population: Population, secret: bytes, buckets: int) -> list[tuple[int, bytes, bytes]]:
    return _leaves_and_salts(population, secret, buckets)[0]


def _leaves_and_salts(
    population: Population, secret: bytes, buckets: int
) -> tuple[list[tuple[int, bytes, bytes]], list[bytes]]:
    # (bucket, UTF-8 id, leaf hash) and the salt of every unit, in population order.
    encoded = [i.encode("utf-8") for i in population.ids.tolist()]
    sha = hashlib.sha256
    salt_prefix = _SALT + lp(secret)
    salts = [sha(salt_prefix + _lp(e)).digest() for e in encoded]
    where = [int.from_bytes(sha(_BUCKET + _lp(e)).digest()[:8], "big") % buckets for e in encoded]
    weights = (
        [b"\x00"] * len(encoded)
        if population.weights is None
        else [b"\x01" + struct.pack(">d", w) for w in population.weights.tolist()]
    )
    tails = {label: _lp(label.encode("utf-8")) for label in population.stratum_labels()}
    flags = (b"\x00", b"\x01")
    leaf_tag = b"\x00" + _LEAF
    out = [
        (bucket, e, sha(leaf_tag + salt + _lp(e) + tails[h] + flags[ok] + w).digest())
        for bucket, e, salt, h, ok, w in zip(
            where,
            encoded,
            salts,
            population.strata.tolist(),
            population.eligible.tolist(),
            weights,
            strict=True,
        )
    ]
    return out, salts


def bucket_root(bucket: int, leaves: Iterable[tuple[bytes, bytes]]) -> BucketRoot:
    """Return one bucket's root from *all* its ``(UTF-8 id, leaf hash)`` pairs (reduce step)."""
    ordered = sorted(leaves)
    for before, after in itertools.pairwise(ordered):
        if before[0] == after[0]:
            raise InvalidInputError("ids", before[0].decode("utf-8"), "is in the population twice")
    hashes = [leaf for _, leaf in ordered]
    return BucketRoot(bucket, len(hashes), _root(_levels(hashes)))


def combine_buckets(roots: Iterable[BucketRoot], *, buckets: int = DEFAULT_BUCKETS) -> str:
    """Return the commitment (hex) over every bucket's root; absent buckets are empty."""
    count = _buckets(buckets)
    table = [BucketRoot(b, 0, _EMPTY) for b in range(count)]
    for root in roots:
        if not 0 <= root.bucket < count:
            raise InvalidInputError("bucket", root.bucket, f"must be in [0, {count})")
        table[root.bucket] = root
    top = _root(_levels([_leaf_hash(r.entry()) for r in table]))
    units = sum(r.count for r in table)
    return _final(count, units, top).hex()


def _final(buckets: int, units: int, top: bytes) -> bytes:
    return hashlib.sha256(
        _COMMIT + buckets.to_bytes(4, "big") + units.to_bytes(8, "big") + top
    ).digest()


@attrs.frozen
class PopulationCommitment:
    """A published population commitment v2: its root (hex), bucket count and unit count."""

    root: str
    buckets: int
    units: int
    version: int = COMMITMENT_VERSION

    def to_json(self) -> dict[str, Any]:
        """Return the ``population_commitment`` object of a record (spec 14.4)."""
        return {
            "version": self.version,
            "root": self.root,
            "buckets": self.buckets,
            "units": self.units,
        }


@attrs.frozen
class MembershipProof:
    """A unit's inclusion proof: its bucket tree path, then the top tree path."""

    bucket: int
    leaf_index: int
    leaf_count: int
    path: tuple[bytes, ...]
    top_path: tuple[bytes, ...]

    def root(self, leaf: bytes, *, buckets: int, units: int) -> bytes | None:
        """Recompute the commitment from the unit's leaf hash; None if the path is malformed."""
        inner = root_from_path(leaf, self.leaf_index, self.leaf_count, self.path)
        if inner is None:
            return None
        entry = _leaf_hash(BucketRoot(self.bucket, self.leaf_count, inner).entry())
        top = root_from_path(entry, self.bucket, buckets, self.top_path)
        return None if top is None else _final(buckets, units, top)


class CommitmentTree:
    """Every level of every bucket tree, kept to hand out inclusion proofs (authority side).

    ``salts`` holds every unit's salt in the population's row order.

    >>> pop = Population.from_columns(["E1", "E2", "E3"], strata=["A", "B", "A"])
    >>> tree = CommitmentTree(pop, bytes(range(32)), buckets=2)
    >>> proof = tree.proof("E2")
    >>> leaf = leaf_hash(unit_salt(bytes(range(32)), "E2"), "E2", "B", True, None)
    >>> proof.root(leaf, buckets=2, units=3).hex() == tree.commitment.root
    True
    """

    def __init__(
        self, population: Population, secret: bytes, *, buckets: int = DEFAULT_BUCKETS
    ) -> None:
        check.instance(population, "population", Population)
        self.buckets = _buckets(buckets)
        self.units = len(population)
        grouped: dict[int, list[tuple[bytes, bytes]]] = {}
        rows, self.salts = _leaves_and_salts(population, check_secret(secret), self.buckets)
        for bucket, ident, leaf in rows:
            grouped.setdefault(bucket, []).append((ident, leaf))
        del rows
        self._index: dict[str, tuple[int, int]] = {}
        self._trees: dict[int, list[list[bytes]]] = {}
        roots = []
        for bucket, leaves in grouped.items():
            leaves.sort()
            for position, (ident, _) in enumerate(leaves):
                self._index[ident.decode("utf-8")] = (bucket, position)
            levels = _levels([leaf for _, leaf in leaves])
            self._trees[bucket] = levels
            roots.append(BucketRoot(bucket, len(leaves), _root(levels)))
        table = {r.bucket: r for r in roots}
        entries = [
            _leaf_hash(table.get(b, BucketRoot(b, 0, _EMPTY)).entry()) for b in range(self.buckets)
        ]
        self._top = _levels(entries)
        self.commitment = PopulationCommitment(
            _final(self.buckets, self.units, _root(self._top)).hex(), self.buckets, self.units
        )

    def __repr__(self) -> str:
        root = self.commitment.root[:16]
        return f"CommitmentTree({self.units} units, {self.buckets} buckets, {root}…)"

    def proof(self, unit_id: str) -> MembershipProof:
        """Return the inclusion proof of ``unit_id``."""
        located = self._index.get(unit_id)
        if located is None:
            raise InvalidInputError("unit_id", unit_id, "is not in the committed population")
        bucket, position = located
        levels = self._trees[bucket]
        return MembershipProof(
            bucket,
            position,
            len(levels[0]),
            tuple(_path(levels, position)),
            tuple(_path(self._top, bucket)),
        )


def commit_population(
    population: Population, secret: bytes, *, buckets: int = DEFAULT_BUCKETS
) -> PopulationCommitment:
    """Return the population commitment v2 of ``population`` under the authority ``secret``.

    >>> pop = Population.from_columns(["E1", "E2", "E3"], strata=["A", "B", "A"])
    >>> secret = bytes(range(32))
    >>> c = commit_population(pop, secret, buckets=4)
    >>> c.units, c.buckets, len(c.root)
    (3, 4, 64)
    >>> rows = leaf_hashes(["E3", "E1"], ["A", "A"], [True, True], secret=secret, buckets=4)
    >>> rows += leaf_hashes(["E2"], ["B"], [True], secret=secret, buckets=4)
    >>> groups = {}
    >>> for bucket, ident, leaf in rows:
    ...     groups.setdefault(bucket, []).append((ident, leaf))
    >>> combine_buckets([bucket_root(b, v) for b, v in groups.items()], buckets=4) == c.root
    True
    """
    check.instance(population, "population", Population)
    return CommitmentTree(population, secret, buckets=buckets).commitment
