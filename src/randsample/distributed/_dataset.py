"""A population stored in partitions (a Dask DataFrame), and where its work runs.

:class:`PartitionedPopulation` is the partitioned counterpart of :class:`randsample.Population`:
the same four fields per unit (``id``, ``stratum``, ``eligible``, optional ``weight``; ids and
labels as Arrow strings, never Python objects in bulk), spread over partitions that may live
on the workers of a ``distributed`` cluster. It is checked when its work runs: every partition
is checked as it is read, and an error names the partition and the value.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import reduce
from typing import Any

import attrs
import numpy as np

from ..errors import InvalidInputError, InvalidTypeError, require
from ..population import Population
from ._partition import COLUMNS, ORIGIN, Scan, scan

__all__ = ["PartitionedPopulation", "Runner"]


def _dask() -> Any:
    return require("dask.dataframe", feature="the distributed engine", package="dask", extra="dask")


def dask_core() -> Any:
    """Return the ``dask`` module (untyped here: its functions are used dynamically)."""
    return require("dask", feature="the distributed engine", extra="dask")


@attrs.frozen
class Runner:
    """Where the work runs: a ``distributed.Client``, or Dask's local scheduler if ``None``."""

    client: Any = None

    def compute(self, collections: Sequence[Any]) -> list[Any]:
        """Compute Dask collections (or delayed values) and return their results, in order."""
        if self.client is not None:
            return list(self.client.gather(self.client.compute(list(collections))))
        return list(dask_core().compute(*collections))

    def persist(self, collection: Any) -> Any:
        """Keep a collection's partitions in (cluster) memory for the passes that follow."""
        if self.client is not None:
            return self.client.persist(collection)
        return collection.persist()


def _as_runner(client: Any) -> Runner:
    return client if isinstance(client, Runner) else Runner(client)


def _with_origin(part: Any, partition_info: dict[str, Any] | None = None) -> Any:
    number = 0 if partition_info is None else int(partition_info["number"])
    return part.assign(**{ORIGIN: np.full(len(part), number, dtype=np.int64)})


@attrs.frozen(eq=False)
class PartitionedPopulation:
    """A population in partitions: a Dask DataFrame of units.

    Its columns are ``id``, ``stratum``, ``eligible`` (and ``weight`` when ``weighted``).

    Build one with :meth:`from_frame` (any Dask or pandas DataFrame with those columns),
    :meth:`from_population` (split an in-memory population, e.g. to test), or
    :func:`randsample.files.read_population_dataset` (partitioned Parquet).

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import Population
    >>> pop = Population.from_columns(["e1", "e2", "e3"], strata=["A", "A", "B"])
    >>> parts = PartitionedPopulation.from_population(pop, partitions=[2, 0, 1])
    >>> parts.npartitions, parts.scan().strata
    (3, {'A': (2, 2, 2), 'B': (1, 1, 1)})
    """

    frame: Any
    weighted: bool

    @classmethod
    def from_frame(cls, frame: Any, *, weighted: bool | None = None) -> PartitionedPopulation:
        """Wrap a Dask (or pandas) DataFrame; ``weighted`` defaults to having a ``weight``."""
        dd = _dask()
        if not isinstance(frame, dd.DataFrame):
            import pandas as pd

            if not isinstance(frame, pd.DataFrame):
                raise InvalidTypeError("frame", frame, "a Dask or pandas DataFrame")
            frame = dd.from_pandas(frame, npartitions=1)
        columns = [str(c) for c in frame.columns]
        if weighted is None:
            weighted = "weight" in columns
        needed = (*COLUMNS, "weight") if weighted else COLUMNS
        for name in needed:
            if name not in columns:
                raise InvalidInputError("columns", columns, f"has no {name!r} column")
        return cls(frame[list(needed)], bool(weighted))

    @classmethod
    def from_population(
        cls, population: Population, *, partitions: int | Sequence[int]
    ) -> PartitionedPopulation:
        """Split ``population`` into partitions (to test, or to run a local population there).

        ``partitions`` is a number of about equal parts, or the size of each part (sizes may
        be 0; they must add up to the population's size).
        """
        dd = _dask()
        import pandas as pd

        if not isinstance(population, Population):
            raise InvalidTypeError("population", population, "a Population")
        n = len(population)
        if isinstance(partitions, int) and not isinstance(partitions, bool):
            if partitions < 1:
                raise InvalidInputError("partitions", partitions, "must be at least 1")
            sizes = [len(c) for c in np.array_split(np.arange(n), partitions)]
        else:
            sizes = [int(s) for s in partitions]  # type: ignore[union-attr]  # a sequence
            if sum(sizes) != n or any(s < 0 for s in sizes):
                raise InvalidInputError(
                    "partitions", sizes, f"sizes must be >= 0 and add up to {n} units"
                )
        columns: dict[str, Any] = {
            "id": pd.array(population.ids.tolist(), dtype="string[pyarrow]"),
            "stratum": pd.array(population.strata.tolist(), dtype="string[pyarrow]"),
            "eligible": population.eligible.copy(),
        }
        if population.weights is not None:
            columns["weight"] = population.weights.copy()
        whole = pd.DataFrame(columns)
        bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
        parts = [whole.iloc[a:b].reset_index(drop=True) for a, b in itertools.pairwise(bounds)]
        frame = dd.from_delayed(
            [_delayed(p) for p in parts], meta=whole.iloc[:0], verify_meta=False
        )
        return cls(frame, population.weights is not None)

    @property
    def npartitions(self) -> int:
        """The number of partitions."""
        return int(self.frame.npartitions)

    def partition_map(self, function: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """Return ``function(partition, number, *args, **kwargs)`` per partition, delayed."""
        parts = self.frame.to_delayed()
        call = dask_core().delayed(function, pure=True)
        return [call(part, number, *args, **kwargs) for number, part in enumerate(parts)]

    def scan(self, *, client: Any = None) -> Scan:
        """Check every partition and count units per stratum.

        The counts are (units, eligible, eligible with weight > 0). The first error found is
        raised, naming its partition.
        """
        results = _as_runner(client).compute(self.partition_map(scan, self.weighted))
        return reduce(Scan.__add__, results, Scan(0, {}))

    def eligible_counts(self, *, client: Any = None) -> dict[str, int]:
        """Return the eligible units of every stratum, in label order.

        The same as :meth:`randsample.Population.eligible_counts` on the same units.
        """
        strata = self.scan(client=client).strata
        return {label: strata[label][1] for label in sorted(strata)}

    def sorted_by_id(self, *, client: Any = None) -> Any:
        """Return the rows sorted by id (bytewise), each with its origin partition, persisted."""
        with_origin = self.frame.map_partitions(_with_origin, meta=_with_origin(self.frame._meta))
        return _as_runner(client).persist(with_origin.sort_values("id"))


def _delayed(part: Any) -> Any:
    # Not pure: a part's key must be unique (hashing a small frame's content can collide).
    return dask_core().delayed(part, pure=False)
