"""Population commitment v2 (spec 14) of a partitioned population, without a global sort.

The commitment is a salted, bucketed Merkle tree whose value depends only on the set of rows
(:mod:`randsample.population`). It is computed here in three steps, the map-shuffle-reduce its
definition allows:

1. **leaves** (map): every partition computes ``(bucket, id, leaf hash)`` of its rows with
   :func:`randsample.population.leaf_hashes`;
2. **shuffle**: Dask's shuffle sends every bucket's leaves to one partition (spilling to disk
   as needed);
3. **roots** (reduce): each shuffled partition sorts its buckets' leaves by id, refuses an id
   found twice (naming both partitions), and returns the buckets' roots
   (:func:`randsample.population.bucket_root`); the caller combines the at most 65,536 roots
   (:func:`randsample.population.combine_buckets`).

The caller holds only bucket roots.
"""

from __future__ import annotations

import itertools
from typing import Any

from .. import _validation as check
from ..errors import InvalidTypeError
from ..population import (
    DEFAULT_BUCKETS,
    BucketRoot,
    PopulationCommitment,
    bucket_root,
    combine_buckets,
    leaf_hashes,
)
from ..population._commitment import MAX_BUCKETS, check_secret  # commit_population's checks
from ._dataset import PartitionedPopulation, _as_runner, dask_core
from ._partition import ORIGIN, duplicate, eligible_column, weight_column

__all__ = ["commit_dataset"]


def commit_dataset(
    population: PartitionedPopulation,
    secret: bytes,
    *,
    buckets: int = DEFAULT_BUCKETS,
    client: Any = None,
) -> PopulationCommitment:
    """Return the population commitment v2 of a partitioned population.

    The same commitment as :func:`randsample.population.commit_population` on the same units,
    whatever the partitioning. Every partition is checked first (as a draw checks it); an id
    found twice is an error naming its partitions. ``client`` is a ``distributed.Client``
    (``None``: Dask's local scheduler).

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population
    >>> from randsample.population import commit_population
    >>> pop = Population.from_columns(["E1", "E2", "E3"], strata=["A", "B", "A"])
    >>> parts = PartitionedPopulation.from_population(pop, partitions=[2, 0, 1])
    >>> secret = bytes(range(32))
    >>> commit_dataset(parts, secret, buckets=4) == commit_population(pop, secret, buckets=4)
    True
    """
    if not isinstance(population, PartitionedPopulation):
        raise InvalidTypeError("population", population, "a PartitionedPopulation")
    check_secret(secret)
    buckets = check.integer(buckets, "buckets", minimum=1, maximum=MAX_BUCKETS)
    runner = _as_runner(client)
    units = population.scan(client=runner).rows
    weighted = population.weighted
    leaves = population.frame.map_partitions(
        _leaf_frame,
        secret,
        buckets,
        weighted,
        meta=_leaf_frame(population.frame._meta, secret, buckets, weighted),
    )
    # Dask's shuffle sends each bucket's leaves to one partition (spilling to disk as needed).
    shuffled = leaves.shuffle(on=_BUCKET, npartitions=min(buckets, max(1, population.npartitions)))
    reduce_part = dask_core().delayed(_part_roots, pure=True)
    found = runner.compute([reduce_part(part) for part in shuffled.to_delayed()])
    roots = [root for part in found for root in part]
    return PopulationCommitment(combine_buckets(roots, buckets=buckets), buckets, units)


_BUCKET = "_bucket"


def _leaf_frame(
    part: Any,
    secret: bytes,
    buckets: int,
    weighted: bool,
    partition_info: dict[str, Any] | None = None,
) -> Any:
    """Return a partition's leaves: bucket, id, leaf hash (hex) and the partition's number."""
    import numpy as np
    import pandas as pd

    index = 0 if partition_info is None else int(partition_info["number"])
    ids = part["id"].tolist()
    if len(set(ids)) != len(ids):  # the engine's message, naming the partition
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                raise duplicate(ident, index, index)
            seen.add(ident)
    rows = (
        leaf_hashes(
            ids,
            part["stratum"].tolist(),
            eligible_column(part, index).tolist(),
            weight_column(part, index).tolist() if weighted else None,
            secret=secret,
            buckets=buckets,
        )
        if ids
        else []
    )
    return pd.DataFrame(
        {
            _BUCKET: np.array([bucket for bucket, _, _ in rows], dtype=np.int64),
            "id": pd.array(ids, dtype="string[pyarrow]"),  # leaf_hashes keeps the row order
            "leaf": pd.array([leaf.hex() for _, _, leaf in rows], dtype="string[pyarrow]"),
            ORIGIN: np.full(len(ids), index, dtype=np.int64),
        }
    )


def _part_roots(part: Any) -> list[BucketRoot]:
    """Return the roots of the buckets in one shuffled partition; refuse an id found twice."""
    roots = []
    for bucket, rows in part.groupby(_BUCKET, sort=True):
        leaves = sorted(
            (ident.encode("utf-8"), bytes.fromhex(leaf), int(origin))
            for ident, leaf, origin in zip(
                rows["id"].tolist(), rows["leaf"].tolist(), rows[ORIGIN].tolist(), strict=True
            )
        )
        for before, after in itertools.pairwise(leaves):
            if before[0] == after[0]:
                raise duplicate(before[0].decode("utf-8"), before[2], after[2])
        roots.append(bucket_root(int(bucket), [(ident, leaf) for ident, leaf, _ in leaves]))
    return roots
