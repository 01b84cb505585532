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

from ..errors import InvalidInputError
from ..population import digest_header
from ._dataset import PartitionedPopulation, Runner, dask_core
from ._partition import digest_part, duplicate
from ._runs import release_memory, runs_digest, sorted_runs

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

        On Dask's local scheduler (no client) each partition is sorted where it is read and
        the sorted runs are merged in id order instead (:mod:`._runs`): the same bytes,
        faster and in less memory on one machine.
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
    # Each partition is sorted where it is read; the sorted runs are merged bucket by bucket
    # (see randsample.distributed._runs).
    parts = runner.compute(population.partition_map(sorted_runs, population.weighted))
    runs = [run for part in parts for run in part]
    del parts
    release_memory(units)
    digest = runs_digest(runs, units)
    del runs
    release_memory(units)
    return digest


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
