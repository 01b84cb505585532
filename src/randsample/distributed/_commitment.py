"""Population commitments computed on a cluster: the v1 digest, and the shape of later ones.

A draw record commits to its population by a digest. The engine computes it through a
:class:`Commitment`, so that another commitment can be plugged in without touching the draw:

* :data:`POPULATION_DIGEST_V1` is the digest of ``docs/spec.md`` section 4.2. Its rows are
  hashed in one stream, in bytewise id order, so it cannot be computed partition by partition
  and combined; it is computed by a global sort on the cluster (Dask's shuffle, spilling to
  disk as needed), after which each sorted part's rows are built on its worker and the parts'
  bytes are hashed in order by the caller (one SHA-256 stream; a few GB at ~1.5 GB/s). The
  result does not depend on the partitioning, only on the units.
* A bucketed commitment (:class:`BucketedCommitment`) is computed without a global sort: each
  unit goes to a bucket chosen from its id alone, each bucket's rows are hashed in id order
  where they land, and the bucket hashes are combined in bucket order. A salted, bucketed
  Merkle commitment (the "population commitment v2" of the publication receipts) fits this
  shape; its bucket function, leaf and root are its own to specify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from ..core import lp
from ..errors import InvalidInputError
from ..population import digest_header, digest_rows, padded_order, padded_rows
from ._dataset import PartitionedPopulation, Runner, dask_core
from ._partition import (
    digest_part,
    duplicate,
    eligible_column,
    stratum_codes,
    utf8_column,
    weight_column,
)

__all__ = [
    "POPULATION_DIGEST_V1",
    "BucketedCommitment",
    "Commitment",
    "PopulationDigestV1",
]


@runtime_checkable
class Commitment(Protocol):
    """How a population's commitment is computed on the engine."""

    @property
    def name(self) -> str:
        """What the commitment is called (e.g. ``"population-digest/1"``)."""

    def compute(self, population: PartitionedPopulation, units: int, runner: Runner) -> str:
        """Return the commitment (hex) of ``population``, which has ``units`` rows."""


#: Sorted parts are pulled and hashed this many at a time (bounded memory on the caller).
_BATCH = 4


@attrs.frozen
class PopulationDigestV1:
    """The population digest of spec 4.2, by a global sort and one streamed hash.

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population
    >>> pop = Population.from_columns(["b", "a", "c"], strata=["X", "Y", "X"])
    >>> parts = PartitionedPopulation.from_population(pop, partitions=2)
    >>> POPULATION_DIGEST_V1.compute(parts, 3, Runner()) == pop.digest()
    True
    """

    name: str = "population-digest/1"

    def compute(self, population: PartitionedPopulation, units: int, runner: Runner) -> str:
        """Sort by id on the cluster, build rows per part, hash the parts in order.

        On Dask's local scheduler (no client) the partitions are gathered and sorted in
        memory instead of shuffled: the same bytes, faster on one machine.
        """
        if runner.client is None:
            return _local_digest(population, units, runner)
        ordered = population.sorted_by_id(client=runner.client)
        parts = ordered.to_delayed()
        build = dask_core().delayed(digest_part, pure=True)
        h = hashlib.sha256(digest_header(units))
        previous: Any = None
        for start in range(0, len(parts), _BATCH):
            batch = [
                build(p, start + k, population.weighted)
                for k, p in enumerate(parts[start : start + _BATCH])
            ]
            for rows, first, last in runner.compute(batch):
                if first is None:
                    continue
                if previous is not None and previous[0] == first[0]:
                    raise duplicate(first[0], previous[1], first[1])
                h.update(rows)
                previous = last
        return h.hexdigest()


POPULATION_DIGEST_V1 = PopulationDigestV1()


def _local_digest(population: PartitionedPopulation, units: int, runner: Runner) -> str:
    import numpy as np

    # One pass over the partitions keeps only what the rows need: ids padded to a common
    # width (for ids of up to 64 bytes), their lengths, and a small code per row for
    # lp(stratum) || eligible; partition boundaries say where each row came from.
    pieces = runner.compute(population.partition_map(_digest_columns, population.weighted))
    labels = sorted({label for piece in pieces for label in piece[0]})
    code_of = {label: code for code, label in enumerate(labels)}
    counts = [len(piece[2]) for piece in pieces]
    bounds = np.cumsum([0, *counts])
    width = max([piece[1].shape[1] for piece in pieces if len(piece[2])], default=1)
    long_ids = width > 64
    kind_type = np.uint8 if 2 * len(labels) <= 256 else np.int32
    kind = np.empty(units, dtype=kind_type)
    lengths = np.empty(units, dtype=np.int64)
    padded = None if long_ids else np.zeros((units, width), dtype=np.uint8)
    texts: list[bytes] = []
    weight = np.empty(units, dtype=np.float64) if population.weighted else None
    for k, (part_labels, ids, part_lengths, codes, eligible, weights) in enumerate(pieces):
        a, b = int(bounds[k]), int(bounds[k + 1])
        to_global = np.array([code_of[label] for label in part_labels] or [0], dtype=np.int64)
        kind[a:b] = 2 * to_global[codes] + eligible
        lengths[a:b] = part_lengths
        if padded is not None:
            padded[a:b, : ids.shape[1]] = ids
        else:
            texts.extend(bytes(row[:n]) for row, n in zip(ids, part_lengths.tolist(), strict=True))
        if weight is not None:
            weight[a:b] = weights
        pieces[k] = (
            (),
            np.zeros((0, 1), np.uint8),
            part_lengths[:0],
            codes[:0],
            eligible[:0],
            None,
        )
    del pieces
    if padded is not None:
        order = padded_order(padded)
    else:
        order = np.array(sorted(range(units), key=texts.__getitem__), dtype=np.intp)
    tails = [lp(label.encode("utf-8")) + f for label in labels for f in (b"\x00", b"\x01")]
    h = hashlib.sha256(digest_header(units))
    _hash_in_order(
        h,
        order,
        padded=padded,
        texts=texts,
        lengths=lengths,
        kind=kind,
        weight=weight,
        tails=tails,
        bounds=bounds,
    )
    return h.hexdigest()


def _hash_in_order(
    h: Any,
    order: Any,
    *,
    padded: Any,
    texts: list[bytes],
    lengths: Any,
    kind: Any,
    weight: Any,
    tails: list[bytes],
    bounds: Any,
) -> None:
    # Rows in id order, 65,536 at a time; equal neighbours are duplicates (named by origin).
    import numpy as np

    units = order.shape[0]
    last: Any = None
    for start in range(0, units, 1 << 16):
        rows = order[start : start + (1 << 16)]
        if padded is not None:
            ids = padded[rows]
        else:
            chunk = [texts[i] for i in rows.tolist()]
            size = max(map(len, chunk))
            ids = np.frombuffer(b"".join(c.ljust(size, b"\x00") for c in chunk), np.uint8)
            ids = ids.reshape(len(chunk), size)
        row_lengths = lengths[rows]
        same = (row_lengths[1:] == row_lengths[:-1]) & np.all(ids[1:] == ids[:-1], axis=1)
        first = bytes(ids[0, : row_lengths[0]])
        if same.any() or (last is not None and last[0] == first):
            at = int(np.flatnonzero(same)[0]) + 1 if same.any() else 0
            origin = np.searchsorted(bounds, rows, side="right") - 1
            before = origin[at - 1] if at else last[1]
            text = bytes(ids[at, : row_lengths[at]]).decode("utf-8")
            raise duplicate(text, int(before), int(origin[at]))
        last = (
            bytes(ids[-1, : row_lengths[-1]]),
            int(np.searchsorted(bounds, rows[-1], "right") - 1),
        )
        h.update(
            digest_rows(
                ids,
                row_lengths,
                kind[rows].astype(np.intp),
                tails,
                None if weight is None else weight[rows],
            )
        )


def _digest_columns(part: Any, index: int, weighted: bool) -> tuple[Any, ...]:
    """Return (labels, padded ids, lengths, codes, eligible, weights) of one partition."""
    import numpy as np

    data, starts, ends = utf8_column(part["id"], f"partition {index}: id")
    labels, codes = stratum_codes(part, index)
    eligible = eligible_column(part, index)
    weights = weight_column(part, index) if weighted else None
    lengths = ends - starts
    ids = padded_rows(data, starts, lengths) if len(part) else np.zeros((0, 1), np.uint8)
    return labels, ids, lengths, codes.astype(np.int32), eligible, weights


@attrs.frozen
class BucketedCommitment:
    """A commitment made of per-bucket hashes, computed without a global sort.

    ``bucket(ids) -> bucket numbers`` (from each id alone, in ``range(buckets)``),
    ``leaf(bucket, rows) -> bytes`` (the bucket's spec 4.2 rows in id order) and
    ``root(leaves) -> hex`` (the leaves in bucket order, empty buckets included as ``b""``)
    define it. Rows are shuffled to their bucket (Dask's ``shuffle``), sorted there, and only
    the leaves travel back to the caller. This is the hook for the bucketed "population
    commitment v2"; it is not a specified record format in this release.

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population
    >>> toy = BucketedCommitment(
    ...     "toy", 2, lambda ids: [len(i) % 2 for i in ids],
    ...     lambda b, rows: hashlib.sha256(rows).digest(),
    ...     lambda leaves: hashlib.sha256(b"".join(leaves)).hexdigest())
    >>> pop = Population.from_columns(["a", "bb", "c"], strata="A")
    >>> one = toy.compute(PartitionedPopulation.from_population(pop, partitions=1), 3, Runner())
    >>> one == toy.compute(PartitionedPopulation.from_population(pop, partitions=3), 3, Runner())
    True
    """

    name: str
    buckets: int
    bucket: Any
    leaf: Any
    root: Any

    def compute(self, population: PartitionedPopulation, units: int, runner: Runner) -> str:
        """Shuffle rows to buckets, hash each bucket's sorted rows, combine in bucket order."""
        if self.buckets < 1:
            raise InvalidInputError("buckets", self.buckets, "must be at least 1")
        frame = population.frame.map_partitions(
            _with_bucket, self.bucket, meta=_with_bucket(population.frame._meta, self.bucket)
        )
        shuffled = frame.shuffle(
            on="_bucket", npartitions=min(self.buckets, max(1, population.npartitions))
        )
        parts = runner.persist(shuffled).to_delayed()
        leaves: dict[int, bytes] = {}
        call = dask_core().delayed(_bucket_leaves, pure=True)
        for found in runner.compute([call(p, self.leaf, population.weighted) for p in parts]):
            leaves.update(found)
        return str(self.root([leaves.get(b, b"") for b in range(self.buckets)]))


def _with_bucket(part: Any, bucket: Any) -> Any:
    import numpy as np

    ids = part["id"].tolist()
    numbers = np.asarray(bucket(ids) if ids else [], dtype=np.int64)
    return part.assign(_bucket=numbers)


def _bucket_leaves(part: Any, leaf: Any, weighted: bool) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    for number, rows in part.groupby("_bucket", sort=True):
        ordered = rows.sort_values("id").assign(_partition=0)
        data, _, _ = digest_part(ordered, 0, weighted)
        out[int(number)] = leaf(int(number), data)
    return out


def _names(commitments: Sequence[Commitment]) -> list[str]:
    return [c.name for c in commitments]
